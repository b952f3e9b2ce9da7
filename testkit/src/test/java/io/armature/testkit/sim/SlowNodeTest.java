package io.armature.testkit.sim;

import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.schedule.Fault;
import net.jqwik.api.Example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A slow node delays every message it sends or receives, and the guarantees still hold. */
class SlowNodeTest {
    private static final String OPS = "seed=4 nodes=3 nrw=3/3/3 ops=c0:put:k0:+0,c0:get:k0:+1 faults=";

    private static long firstLatency(final SimulationResult r) {
        final Operation put = r.history().operations().get(0);
        return put.completedAt() - put.invokedAt();
    }

    @Example
    void aSlowReplicaDelaysAnAllReplicaWriteAndKeepsTheGuarantees() {
        final SimulationResult normal = Simulation.simulate(Scenario.parse(OPS));
        final SimulationResult slow = Simulation.simulate(Scenario.parse(OPS + "slow@0+2000:" + (2 + 1000 * 100)));
        assertTrue(normal.report().ok(), normal::failureReport);
        assertTrue(slow.report().ok(), slow::failureReport);
        // W = N = 3 waits for n3, whose request and reply each take 100 ms longer
        assertTrue(firstLatency(slow) >= 200_000_000L && firstLatency(normal) < 100_000_000L,
            () -> firstLatency(normal) + " ns normal, " + firstLatency(slow) + " ns with n3 slow");
    }

    @Example
    void theSlowFaultReadsBackFromItsTextForm() {
        final Fault f = Fault.parse("slow@10+500:" + (1 + 1000 * 250));
        assertEquals("slow n2 by 250ms per message at 10ms for 500ms", f.describe(3));
        assertEquals(f, Fault.parse(f.toString()));
    }
}
