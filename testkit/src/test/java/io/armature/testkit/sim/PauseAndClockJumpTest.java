package io.armature.testkit.sim;

import io.armature.spi.runtime.Cancellable;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.schedule.Fault;
import net.jqwik.api.Example;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pauses (a stopped process: state and inbound messages kept, timers late) and wall-clock jumps
 * as fault kinds.
 */
class PauseAndClockJumpTest {
    private static final long MS = 1_000_000L;

    @Example
    void aPausedSchedulerHoldsWhatComesDueAndRunsItInOrderWhenItResumes() {
        final SimLoop loop = new SimLoop();
        final SimScheduler s = new SimScheduler(loop, "n1#1");
        final List<String> ran = new ArrayList<>();
        final long[] at = new long[3];
        s.schedule(10 * MS, () -> {
            ran.add("a");
            at[0] = loop.now();
        });
        final Cancellable b = s.schedule(20 * MS, () -> ran.add("b"));
        s.schedule(30 * MS, () -> {
            ran.add("c");
            at[2] = loop.now();
        });
        s.schedule(5 * MS, () -> s.pause(100 * MS));
        loop.schedule(200 * MS, () -> { });
        loop.runUntil(50 * MS);
        assertTrue(ran.isEmpty() && s.isPaused(), ran::toString);
        b.cancel();
        loop.runUntil(300 * MS);
        assertEquals(List.of("a", "c"), ran, "held tasks run in order, a cancelled one does not");
        assertEquals(105 * MS, at[0], "late, at the end of the pause");
        assertEquals(105 * MS, at[2]);
    }

    @Example
    void aPausedCoordinatorAnswersLateAndTheGuaranteesHold() {
        final SimulationResult r = Simulation.simulate(Scenario.parse(
            "seed=5 nodes=3 nrw=3/2/2 ops=c0:put:k0:+0,c0:get:k0:+1 faults=pause@0+600:0"));
        assertTrue(r.report().ok(), r::failureReport);
        final Operation put = r.history().operations().get(0);
        final long latency = put.completedAt() - put.invokedAt();
        assertTrue(latency >= 600 * MS && latency < 900 * MS, () -> latency + " ns: n1 ran nothing for 600 ms");
        assertTrue(r.history().faults().stream().anyMatch(f -> f.kind().equals("pause") && "n1".equals(f.node())));
    }

    @Example
    void aClockJumpMovesOnlyTheWallClockAndTheGuaranteesHold() {
        final SimClock clock = new SimClock(new SimLoop(), 0);
        final long wall = clock.currentTimeMillis();
        clock.jump(-20_000);
        assertEquals(wall - 20_000, clock.currentTimeMillis());
        assertEquals(0, clock.nanoTime());
        final SimulationResult r = Simulation.simulate(Scenario.parse(
            "seed=6 nodes=3 nrw=3/2/2 ops=c0:put:k0:+0,c1:get:k0:+5,c1:del:k0:+5,c0:get:k0:+20 "
                + "faults=clock@0+3000:" + (1 + 1000 * -20) + ",clock@10+3000:" + (2 + 1000 * 25)));
        assertTrue(r.report().ok(), r::failureReport);
        assertEquals(4, r.history().faults().stream().filter(f -> f.kind().equals("clock")).count(), r.history().faults()::toString);
    }

    @Example
    void pausesAndClockJumpsReadBackFromTheirTextForm() {
        final Fault jump = Fault.parse("clock@5+100:-19998");
        assertEquals(2, jump.node());
        assertEquals(-20, jump.clockSeconds());
        assertEquals("the clock of n3 jumps back 20s at 5ms for 100ms", jump.describe(3));
        assertEquals(jump, Fault.parse(jump.toString()));
        assertEquals("pause n2 at 0ms for 40ms", Fault.parse("pause@0+40:1").describe(3));
    }
}
