package io.armature.engine.runtime;

import static io.armature.engine.runtime.NodeRuntime.OWNER_IDLE_AFTER_NANOS;
import static io.armature.engine.runtime.NodeRuntime.OWNER_IDLE_PARK_NANOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.spi.runtime.Cancellable;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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

    @Test
    void anOwnerDrivenTransportIsDrivenOnTheLoopThreadAlsoWhenIdle() throws Exception {
        final CountDownLatch cycles = new CountDownLatch(50);
        final AtomicBoolean offLoop = new AtomicBoolean();
        final NodeRuntime[] loop = new NodeRuntime[1];
        final FakeTransport t = new FakeTransport(true, () -> {
            if (loop[0] != null && !loop[0].inLoop()) {
                offLoop.set(true);
            }
            cycles.countDown();
        });
        try (NodeRuntime rt = new NodeRuntime("t5", t)) {
            loop[0] = rt;
            // No task is ever queued: only the loop's own duty cycle can count the latch down.
            assertTrue(cycles.await(10, TimeUnit.SECONDS), "the idle loop stopped driving its transport");
            assertFalse(offLoop.get(), "doWork ran off the loop thread");
        }
    }

    @Test
    void aTransportWithThreadsOfItsOwnIsNotDriven() throws Exception {
        final AtomicInteger calls = new AtomicInteger();
        try (NodeRuntime rt = new NodeRuntime("t6", new FakeTransport(false, calls::incrementAndGet))) {
            for (int i = 0; i < 3; i++) {
                final CompletableFuture<Void> ran = new CompletableFuture<>();
                rt.execute(() -> ran.complete(null));
                ran.get(5, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, calls.get());
    }

    @Test
    void aQuietOwnerDrivenLoopBacksOffToLongParks() throws Exception {
        // After a quiet second the loop parks OWNER_IDLE_PARK_NANOS per cycle: at most ~100 cycles
        // in the next second (a loaded machine only makes it fewer), where short parks would be ~1000.
        final long start = System.nanoTime();
        final long from = start + OWNER_IDLE_AFTER_NANOS + TimeUnit.MILLISECONDS.toNanos(300);
        final long to = from + TimeUnit.SECONDS.toNanos(1);
        final AtomicLong inWindow = new AtomicLong();
        final CountDownLatch past = new CountDownLatch(1);
        final FakeTransport t = new FakeTransport(true, () -> {
            final long now = System.nanoTime();
            if (now >= from && now < to) {
                inWindow.incrementAndGet();
            } else if (now >= to) {
                past.countDown();
            }
        });
        try (NodeRuntime rt = new NodeRuntime("t7", t)) {
            assertTrue(past.await(20, TimeUnit.SECONDS));
            assertFalse(rt.inLoop());
        }
        final long expected = TimeUnit.SECONDS.toNanos(1) / OWNER_IDLE_PARK_NANOS;
        assertTrue(inWindow.get() <= expected * 3 / 2, "a quiet loop ran " + inWindow.get() + " cycles in a second");
    }

    /** A transport that only counts its duty cycles. */
    private static final class FakeTransport implements Transport {
        private final boolean ownerDriven;
        private final Runnable onWork;

        FakeTransport(final boolean ownerDriven, final Runnable onWork) {
            this.ownerDriven = ownerDriven;
            this.onWork = onWork;
        }

        @Override
        public Endpoint bind(final Endpoint local, final MessageHandler handler) {
            return local;
        }

        @Override
        public SendStatus send(final Endpoint to, final ByteBuffer message) {
            return SendStatus.NOT_CONNECTED;
        }

        @Override
        public int maxMessageSize() {
            return 4096;
        }

        @Override
        public int doWork() {
            onWork.run();
            return 0;
        }

        @Override
        public boolean ownerDriven() {
            return ownerDriven;
        }

        @Override
        public void close() {
        }
    }
}
