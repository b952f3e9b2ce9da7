package io.armature.testkit.sim;

import io.armature.spi.storage.Durability;
import io.armature.testkit.sim.history.FaultEvent;
import io.armature.testkit.sim.schedule.SimArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes that lose what was not synced: on storage whose durability is {@code no-sync} every
 * crash may drop a tail of writes, and the guarantees must still hold for the W copies Dynamo
 * promises (the checker takes a lost tail like a wipe of that node). Coverage is gated so that a
 * generator change that stops losing tails fails.
 */
class LossyCrashProperties {
    private static final Simulation NO_SYNC = Simulation.builder().durability(Durability.NO_SYNC).build();

    @Provide
    Arbitrary<Scenario> scenarios() {
        return SimArbitraries.scenarios();
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void theGuaranteesHoldForWCopiesWhenCrashesLoseTheirUnsyncedTail(@ForAll("scenarios") final Scenario scenario) {
        final SimulationResult r = NO_SYNC.run(scenario);
        assertTrue(r.report().ok(), r::failureReport);
        assertEquals(r.stats().lostTails(), r.history().faults().stream().filter(f -> FaultEvent.LOST.equals(f.kind())).count());
        Statistics.label("lost tail").collect(r.stats().lostTails() > 0);
        Statistics.label("lost tail").coverage(c -> c.check(true).percentage(p -> p >= 10));
    }

    @Example
    void aPowerLossOnSyncedStorageLosesNothing() {
        final Scenario s = Scenario.parse("seed=5 nodes=3 nrw=3/2/2 ops=c0:put:k0:+0,c1:put:k1:+0,c2:put:k2:+0,c0:get:k0:+40"
            + " faults=power@10+50:0,power@20+50:1,power@30+50:2");
        final SimulationResult r = Simulation.builder().durability(Durability.SYNC).build().run(s);
        assertTrue(r.report().ok(), r::failureReport);
        assertEquals(0, r.stats().lostTails(), r::failureReport);
    }

    @Example
    void theDurabilityReplays() {
        final Simulation sim = Simulation.builder().durability(Durability.NO_SYNC).build();
        assertTrue(sim.settings().contains("durability=no-sync"), sim.settings());
        assertEquals(sim.settings(), Simulation.builder().settings(sim.settings()).build().settings());
    }
}
