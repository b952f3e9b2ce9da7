package io.armature.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.spi.runtime.Cancellable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodeRuntimeTest {
    @Test
    void tasksRunInOrderOnTheLoopThread() throws Exception {
        try (NodeRuntime rt = new NodeRuntime("t1")) {
            final StringBuilder order = new StringBuilder();
            final CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
            for (int i = 0; i < 5; i++) {
                final int n = i;
                rt.execute(() -> order.append(n));
            }
            rt.execute(() -> inLoop.complete(rt.inLoop()));
            assertTrue(inLoop.get(5, TimeUnit.SECONDS));
            assertEquals("01234", order.toString());
            assertFalse(rt.inLoop());
        }
    }

    @Test
    void timersFireAfterTheirDelayAndCancelledOnesDoNot() throws Exception {
        try (NodeRuntime rt = new NodeRuntime("t2")) {
            final CompletableFuture<Long> fired = new CompletableFuture<>();
            final AtomicInteger cancelledRuns = new AtomicInteger();
            final long start = System.nanoTime();
            final Cancellable c = rt.schedule(TimeUnit.MILLISECONDS.toNanos(20), cancelledRuns::incrementAndGet);
            c.cancel();
            rt.schedule(TimeUnit.MILLISECONDS.toNanos(50), () -> fired.complete(System.nanoTime() - start));
            assertTrue(fired.get(5, TimeUnit.SECONDS) >= TimeUnit.MILLISECONDS.toNanos(49));
            assertEquals(0, cancelledRuns.get());
        }
    }

    @Test
    void periodicTimersRepeatUntilCancelled() throws Exception {
        try (NodeRuntime rt = new NodeRuntime("t3")) {
            final CountDownLatch three = new CountDownLatch(3);
            final Cancellable c = rt.schedulePeriodic(0, TimeUnit.MILLISECONDS.toNanos(5), three::countDown);
            assertTrue(three.await(5, TimeUnit.SECONDS));
            c.cancel();
        }
    }

    @Test
    void tasksHandedOverAfterCloseStillRunSoNoFutureWaitsForever() throws Exception {
        final NodeRuntime rt = new NodeRuntime("t4");
        rt.close();
        final CompletableFuture<String> f = new CompletableFuture<>();
        rt.execute(() -> f.complete("ran"));
        assertEquals("ran", f.get(5, TimeUnit.SECONDS));
    }
}
