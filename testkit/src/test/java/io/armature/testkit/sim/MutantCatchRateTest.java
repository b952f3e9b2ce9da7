package io.armature.testkit.sim;

import io.armature.engine.faults.FaultInjection.Fault;
import io.armature.testkit.sim.check.Guarantee;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each deliberate bug's catch rate: over 100 generator seeds of the default settings, the share of
 * seeds whose first 100 scenarios include one where the bug breaks its guarantee and the correct
 * engine passes. At least 95% each. Long (thousands of runs per bug): {@code -Psoak}, or
 * {@code -Dtest=MutantCatchRateTest -Psoak -Dsim.catch.seeds=20} for a quicker estimate.
 *
 * <p>Measured over 20 seeds (2026-12-02): 100% for ACK_WITHOUT_STORE, SKIP_READ_REPAIR,
 * DROP_HINTS, AE_SKIP_LEAF, FORGET_LOCAL_VERSIONS; 95% LAST_WRITE_WINS; <strong>below the target,
 * so this soak test fails today:</strong> APPLY_DUPLICATE_TWICE 75% (needs a duplicated forward,
 * at most 2% duplication by default), EARLY_PURGE 60% (needs a delete, a replica that missed it
 * and a purge), REUSE_INCARNATION 15% (needs a wipe followed by writes the wiped node
 * coordinates). ACK_BEFORE_W is caught only by the targeted run in {@code CheckerSelfTest}.
 *
 * <p>Re-measured over 20 seeds after power-loss faults joined the generator and crashes stopped
 * running a clean stop (2026-12-02): APPLY_DUPLICATE_TWICE 90%, REUSE_INCARNATION 35%,
 * EARLY_PURGE 45% (fewer purges, as lost tails take a share of the faults). Still below target.
 */
@Tag("soak")
class MutantCatchRateTest {
    private static final System.Logger LOG = System.getLogger(MutantCatchRateTest.class.getName());
    private static final int SEEDS = Integer.getInteger("sim.catch.seeds", 100);
    private static final int TRIES = Integer.getInteger("sim.catch.tries", 100);

    @Example
    void skipReadRepair() {
        rate(Fault.SKIP_READ_REPAIR, Guarantee.CONVERGENCE, Mutants.NO_ANTI_ENTROPY);
    }

    @Example
    void ackWithoutStore() {
        rate(Fault.ACK_WITHOUT_STORE, Guarantee.CONVERGENCE, Mutants.DEFAULT);
    }

    @Example
    void lastWriteWins() {
        rate(Fault.LAST_WRITE_WINS, Guarantee.NO_SILENT_OVERWRITE, Mutants.DEFAULT);
    }

    @Example
    void forgetLocalVersions() {
        rate(Fault.FORGET_LOCAL_VERSIONS, Guarantee.NO_LOST_WRITE, Mutants.DEFAULT);
    }

    @Example
    void reuseIncarnation() {
        rate(Fault.REUSE_INCARNATION, Guarantee.NO_LOST_WRITE, Mutants.DEFAULT);
    }

    @Example
    void earlyPurge() {
        rate(Fault.EARLY_PURGE, Guarantee.NO_RESURRECTION, Mutants.DEFAULT);
    }

    @Example
    void dropHints() {
        rate(Fault.DROP_HINTS, Guarantee.CONVERGENCE, Mutants.NO_ANTI_ENTROPY);
    }

    @Example
    void antiEntropySkipsALeaf() {
        rate(Fault.AE_SKIP_LEAF, Guarantee.CONVERGENCE, Mutants.DEFAULT);
    }

    @Example
    void applyDuplicateTwice() {
        rate(Fault.APPLY_DUPLICATE_TWICE, Guarantee.BOUNDED_SIBLINGS, Mutants.DEFAULT);
    }

    private static void rate(final Fault fault, final Guarantee expected, final String settings) {
        int caught = 0;
        long tries = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
            final int t = Mutants.triesToCatch(fault, expected, settings, seed, TRIES);
            if (t > 0) {
                caught++;
                tries += t;
            }
        }
        final double rate = 100.0 * caught / SEEDS;
        LOG.log(System.Logger.Level.INFO, String.format("catch rate %s by %s: %.0f%% of %d seeds within %d scenarios (mean %.1f tries)",
            fault, expected.title(), rate, SEEDS, TRIES, caught == 0 ? 0 : (double) tries / caught));
        assertTrue(rate >= 95, () -> fault + " caught in " + rate + "% of seeds, below 95%");
    }
}
