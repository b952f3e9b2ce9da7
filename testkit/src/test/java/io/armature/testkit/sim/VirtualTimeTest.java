package io.armature.testkit.sim;

import io.armature.spi.runtime.Cancellable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VirtualTimeTest {
    @Test
    void eventsRunInTimeOrderThenInInsertionOrder() {
        final SimLoop loop = new SimLoop();
        final List<String> order = new ArrayList<>();
        loop.schedule(20, () -> order.add("c"));
        loop.schedule(10, () -> order.add("a"));
        loop.schedule(10, () -> order.add("b"));
        loop.runUntil(100);
        assertEquals(List.of("a", "b", "c"), order);
        assertEquals(100, loop.now());
    }

    @Test
    void theClockShowsTheTimeOfTheRunningEventAndSkewMovesOnlyWallTime() {
        final SimLoop loop = new SimLoop();
        final SimClock clock = new SimClock(loop, 500);
        final long[] seen = new long[2];
        loop.schedule(3_000_000, () -> {
            seen[0] = clock.nanoTime();
            seen[1] = clock.currentTimeMillis();
        });
        loop.runUntil(Long.MAX_VALUE / 2);
        assertEquals(3_000_000, seen[0]);
        assertEquals(SimClock.EPOCH_MILLIS + 503, seen[1]);
    }

    @Test
    void periodicTasksRepeatUntilCancelled() {
        final SimLoop loop = new SimLoop();
        final SimScheduler s = new SimScheduler(loop, "n1");
        final List<Long> times = new ArrayList<>();
        final Cancellable c = s.schedulePeriodic(5, 10, () -> times.add(loop.now()));
        loop.runUntil(40);
        c.cancel();
        loop.runUntil(100);
        assertEquals(List.of(5L, 15L, 25L, 35L), times);
    }

    @Test
    void aKilledSchedulerRunsNothingMoreButOthersGoOn() {
        final SimLoop loop = new SimLoop();
        final SimScheduler a = new SimScheduler(loop, "a");
        final SimScheduler b = new SimScheduler(loop, "b");
        final List<String> ran = new ArrayList<>();
        a.schedule(10, () -> ran.add("a1"));
        a.schedulePeriodic(1, 5, () -> ran.add("ap"));
        b.schedule(10, () -> ran.add("b1"));
        a.kill();
        a.execute(() -> ran.add("a2"));
        loop.runUntil(50);
        assertEquals(List.of("b1"), ran);
        assertFalse(a.isAlive());
    }

    @Test
    void cancelledTasksDoNotRunAndRunUntilStopsAtTheCondition() {
        final SimLoop loop = new SimLoop();
        final SimScheduler s = new SimScheduler(loop, "n");
        final int[] count = {0};
        s.schedule(5, () -> count[0] += 100).cancel();
        for (int i = 1; i <= 10; i++) {
            s.schedule(i * 10L, () -> count[0]++);
        }
        assertTrue(loop.runUntil(() -> count[0] == 3, 1_000));
        assertEquals(30, loop.now());
        assertFalse(loop.runUntil(() -> count[0] == 99, 1_000));
        assertEquals(1_000, loop.now());
    }
}
