package io.armature.testkit.sim;

import io.armature.engine.faults.FaultInjection.Fault;
import io.armature.testkit.sim.check.Guarantee;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each deliberate bug's catch rate over the default settings, asserting the one guarantee that bug
 * must break (not just some violation). A <em>seed</em> is a seed of {@link java.util.Random}
 * driving the default generator ({@code SimArbitraries.scenarios()}, size 1000); seed {@code s}
 * catches the bug if one of the first {@value #DEFAULT_TRIES} scenarios it draws makes the buggy
 * engine break the expected guarantee while the correct engine passes that scenario
 * ({@link Mutants#triesToCatch}). A seed stops at its first catch, so a well-caught bug costs a
 * few runs per seed. The catch rate is the share of seeds 1..{@value #DEFAULT_SEEDS} that catch it;
 * the target is at least 95% each.
 *
 * <p>Long (up to 10,000 runs per bug): {@code -Psoak}, one bug with
 * {@code -Dtest='MutantCatchRateTest#earlyPurge'}, a quicker estimate with {@code -Dsim.catch.seeds=20}.
 * The figures measured, and the bugs still below the target, are in the testkit's README
 * ("Mutants and their catch rates").
 */
@Tag("soak")
class MutantCatchRateTest {
    private static final System.Logger LOG = System.getLogger(MutantCatchRateTest.class.getName());
    private static final int DEFAULT_SEEDS = 100;
    private static final int DEFAULT_TRIES = 100;
    private static final int SEEDS = Integer.getInteger("sim.catch.seeds", DEFAULT_SEEDS);
    private static final int TRIES = Integer.getInteger("sim.catch.tries", DEFAULT_TRIES);

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

    @Example
    void ackBeforeW() {
        rate(Fault.ACK_BEFORE_W, Guarantee.NO_LOST_WRITE, Mutants.DEFAULT);
    }

    @Example
    void reuseDot() {
        rate(Fault.REUSE_DOT, Guarantee.NO_LOST_WRITE, Mutants.DEFAULT);
    }

    @Example
    void purgeIgnoresHints() {
        rate(Fault.PURGE_IGNORES_HINTS, Guarantee.NO_RESURRECTION, Mutants.DEFAULT);
    }

    @Example
    void countNonReplica() {
        rate(Fault.COUNT_NON_REPLICA, Guarantee.NO_LOST_WRITE, Mutants.DEFAULT);
    }

    @Example
    void uncappedMerge() {
        rate(Fault.UNCAPPED_MERGE, Guarantee.CONVERGENCE, Mutants.DEFAULT);
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
