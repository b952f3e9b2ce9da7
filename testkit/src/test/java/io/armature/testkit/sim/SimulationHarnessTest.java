package io.armature.testkit.sim;

import io.armature.spi.storage.Durability;
import io.armature.testkit.sim.check.Guarantee;
import io.armature.testkit.sim.schedule.SimArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's harness on a toy replicated store: replay by seed, faults, and the checker
 * catching a store that resolves conflicts by last writer wins.
 */
class SimulationHarnessTest {
    // The toy store mints counters from its stored record alone, with no actor epochs: it is
    // correct only on storage that keeps every write (sync), as a store without kv679's
    // protection is. The engine's own properties run with the lossy durabilities.
    private static Simulation toy(final boolean lww) {
        return Simulation.builder().storage(MapStorage.PROVIDER).durability(Durability.SYNC)
            .engine(s -> new ToyEngine(s, lww)).build();
    }

    private static final String BUSY = "seed=11 nodes=4 nrw=3/2/2 dup=5 reorder=true "
        + "ops=c0:put:k0:+0,c1:blind:k0:+1,c2:get:k0:+3,c0:put:k0:+2,c1:del:k1:+0,c2:put:k1:+4,c0:get:k1:+1,c1:put:k0:+9"
        + " faults=partition@0+40:3,crash@5+30:2,loss@0+100:20";

    @Test
    void twoRunsOfOneSeedProduceIdenticalHistories() {
        final SimulationResult a = toy(false).run(Scenario.parse(BUSY));
        final SimulationResult b = toy(false).run(Scenario.parse(BUSY));
        assertTrue(a.history().operations().size() >= 8);
        assertEquals(a.history().lines(), b.history().lines());
        assertEquals(a.stats().events(), b.stats().events());
        assertEquals(a.finalState().toString(), b.finalState().toString());
    }

    @Test
    void anotherSeedTakesAnotherPath() {
        final SimulationResult a = toy(false).run(Scenario.parse(BUSY));
        final SimulationResult b = toy(false).run(Scenario.parse(BUSY.replace("seed=11", "seed=12")));
        assertFalse(a.history().lines().equals(b.history().lines()));
    }

    @Test
    void aCorrectStoreKeepsEveryGuaranteeThroughFaults() {
        final SimulationResult r = toy(false).run(Scenario.parse(BUSY));
        assertTrue(r.report().ok(), r::failureReport);
        assertTrue(r.history().faults().size() >= 4, r.history().faults()::toString);
    }

    @Test
    void lastWriterWinsIsCaught() {
        final SimulationResult r = toy(true).run(Scenario.parse(
            "seed=1 nodes=3 nrw=3/1/1 ops=c0:blind:k0:+0,c1:blind:k0:+0,c2:get:k0:+50 faults="));
        assertTrue(r.report().violates(Guarantee.NO_SILENT_OVERWRITE) || r.report().violates(Guarantee.NO_LOST_WRITE), r::failureReport);
        assertTrue(r.failureReport().contains("replay: " + SimulationResult.REPLAY_COMMAND), r::failureReport);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return SimArbitraries.scenarios();
    }

    @Property(tries = 100)
    void theToyStoreKeepsTheGuaranteesUnderGeneratedSchedules(@ForAll("scenarios") final Scenario s) {
        final SimulationResult r = toy(false).run(s);
        assertTrue(r.report().ok(), r::failureReport);
    }
}
