package io.armature.engine.runtime;

import io.armature.api.ArmatureException;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.transport.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * The production event loop of one node: an Agrona {@link AgentRunner} that drains a jctools MPSC
 * queue of tasks and fires timers from a {@link DeadlineTimerWheel}. Everything a node's logic
 * does runs on this one thread, so the logic needs no locks.
 *
 * <p>This is production wiring, and so the one place that reads {@link System#nanoTime()} and
 * starts a thread (through {@link AgentRunner}); logic under test gets a virtual scheduler instead.
 *
 * <p>Idle: on a 2-core machine a spinning loop starves everything else (docs/platform-notes.md, traps
 * 2 and 7), so after a short spin/yield phase the loop parks until the next timer is due, and
 * {@link #execute} unparks it when a task arrives. An idle node costs nothing; a busy one never
 * parks.
 *
 * <p>With an {@linkplain Transport#ownerDriven() owner-driven} transport the loop also runs the
 * transport's duty cycle ({@link Transport#doWork()}) in every cycle: no media driver or receive
 * thread of its own, so a message hop costs no thread wake-up. Arriving messages cannot unpark the
 * loop then, so an idle loop parks in short steps, growing from {@value #OWNER_MIN_PARK_NANOS} ns to
 * {@value #OWNER_PARK_NANOS} ns, and to {@value #OWNER_IDLE_PARK_NANOS} ns once it has been idle
 * for {@value #OWNER_IDLE_AFTER_NANOS} ns (a loop without any work then costs next to nothing, and
 * the first message after a quiet second waits at most that long). Any work, timers included,
 * resets the backoff: an idle node's housekeeping keeps it on the short parks for now
 * (docs/performance.md).
 */
public final class NodeRuntime implements Scheduler, AutoCloseable {
    private static final long TICK_NANOS = 1L << 20;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SPINS = 20;
    private static final int YIELDS = 10;
    static final long OWNER_MIN_PARK_NANOS = 20_000;
    static final long OWNER_PARK_NANOS = 1_000_000;
    static final long OWNER_IDLE_PARK_NANOS = 10_000_000;
    static final long OWNER_IDLE_AFTER_NANOS = 1_000_000_000;

    private final MpscUnboundedXaddArrayQueue<Runnable> queue = new MpscUnboundedXaddArrayQueue<>(1024);
    private final DeadlineTimerWheel wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, System.nanoTime(), TICK_NANOS, 512);
    private final Long2ObjectHashMap<Timer> timers = new Long2ObjectHashMap<>();
    private final String name;
    /** The owner-driven transport whose duty cycle this loop runs, or null. */
    private final Transport driven;
    private final LoopAgent agent = new LoopAgent();
    private final AgentRunner runner;
    private volatile Thread thread;
    private volatile boolean parked;
    private volatile boolean closed;
    private volatile boolean stopped;

    /**
     * Starts the loop's thread.
     *
     * @param name the thread and agent name, for example the node id
     */
    public NodeRuntime(final String name) {
        this(name, null);
    }

    /**
     * Starts the loop's thread; if the transport is {@linkplain Transport#ownerDriven() owner-driven},
     * the loop runs its duty cycle (the transport may still be unbound).
     *
     * @param name the thread and agent name, for example the node id
     * @param transport the node's transport, or null
     */
    public NodeRuntime(final String name, final Transport transport) {
        this.name = name;
        this.driven = transport != null && transport.ownerDriven() ? transport : null;
        this.runner = new AgentRunner(new ParkingIdle(), this::onError, null, agent);
        AgentRunner.startOnThread(runner, r -> {
            final Thread t = new Thread(r, "armature-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs a task on this loop and waits for it, for callers outside the loop (starting and
     * stopping a node from a builder or a command line). Never call it from the loop itself.
     *
     * @param task the task
     * @param timeoutSeconds how long to wait
     * @throws RuntimeException the task's own failure, or an {@link ArmatureException} on timeout or interrupt
     */
    public void runAndWait(final Runnable task, final long timeoutSeconds) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (final RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmatureException("interrupted", e);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ArmatureException("node task failed: " + e.getCause(), e.getCause());
        } catch (final TimeoutException e) {
            throw new ArmatureException("the node did not answer within " + timeoutSeconds + " s", e);
        }
    }

    @Override
    public void execute(final Runnable task) {
        queue.offer(task);
        if (closed) {
            drainAfterClose();
        } else if (parked) {
            final Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    @Override
    public Cancellable schedule(final long delayNanos, final Runnable task) {
        final Timer timer = new Timer(Math.max(0, delayNanos), 0, task);
        arm(timer);
        return timer;
    }

    @Override
    public Cancellable schedulePeriodic(final long initialDelayNanos, final long periodNanos, final Runnable task) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive, was " + periodNanos);
        }
        final Timer timer = new Timer(Math.max(0, initialDelayNanos), periodNanos, task);
        arm(timer);
        return timer;
    }

    /**
     * @return true when called on this loop's thread
     */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private void arm(final Timer timer) {
        if (inLoop()) {
            timer.register(System.nanoTime() + timer.delay);
        } else {
            final long deadline = System.nanoTime() + timer.delay;
            execute(() -> timer.register(deadline));
        }
    }

    /**
     * Stops the loop after the tasks already queued and waits for its thread to end.
     */
    @Override
    public void close() {
        closed = true;
        final Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        runner.close();
        stopped = true;
        drainAfterClose();
    }

    /**
     * After the loop ended, tasks still run (on the caller's thread) so that no future handed to
     * this loop is left waiting forever: a stopped node fails them at once.
     */
    private void drainAfterClose() {
        if (!stopped) {
            return;
        }
        synchronized (queue) {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (final RuntimeException e) {
                    onError(e);
                }
            }
        }
    }

    private void onError(final Throwable t) {
        System.getLogger(NodeRuntime.class.getName()).log(System.Logger.Level.ERROR,
            "task failed on the event loop of " + name, t);
    }

    private final class Timer implements Cancellable {
        private final long delay;
        private final long period;
        private final Runnable task;
        private volatile boolean cancelled;
        private long id = DeadlineTimerWheel.NULL_DEADLINE;

        Timer(final long delay, final long period, final Runnable task) {
            this.delay = delay;
            this.period = period;
            this.task = task;
        }

        void register(final long deadline) {
            if (cancelled) {
                return;
            }
            id = wheel.scheduleTimer(deadline);
            timers.put(id, this);
        }

        void fire(final long now) {
            if (cancelled) {
                return;
            }
            if (period > 0) {
                register(now + period);
            }
            task.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
            if (inLoop() && id != DeadlineTimerWheel.NULL_DEADLINE) {
                wheel.cancelTimer(id);
                timers.remove(id);
            }
        }
    }

    private final class LoopAgent implements Agent, DeadlineTimerWheel.TimerHandler {
        @Override
        public void onStart() {
            thread = Thread.currentThread();
        }

        @Override
        public int doWork() {
            int work = 0;
            Runnable task;
            while (work < 256 && (task = queue.poll()) != null) {
                work++;
                try {
                    task.run();
                } catch (final RuntimeException e) {
                    onError(e);
                }
            }
            if (driven != null) {
                try {
                    work += driven.doWork();
                } catch (final RuntimeException e) {
                    onError(e);
                }
            }
            final long now = System.nanoTime();
            // poll advances the wheel by at most one tick: catch up after a park.
            int polls = 0;
            do {
                work += wheel.poll(now, this, 256);
            } while (wheel.timerCount() > 0 && wheel.currentTickTime() <= now && ++polls < 4096);
            return work;
        }

        @Override
        public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId) {
            final Timer timer = timers.remove(timerId);
            if (timer != null) {
                try {
                    timer.fire(now);
                } catch (final RuntimeException e) {
                    onError(e);
                }
            }
            return true;
        }

        @Override
        public String roleName() {
            return "armature-node-" + name;
        }
    }

    /** Spins, yields, then parks until the next timer; {@link #execute} unparks. */
    private final class ParkingIdle implements IdleStrategy {
        private int idleCount;
        private long ownerPark;
        private long idleSince;

        @Override
        public void idle(final int workCount) {
            if (workCount > 0) {
                idleCount = 0;
                ownerPark = 0;
                idleSince = 0;
            } else {
                idle();
            }
        }

        @Override
        public void idle() {
            idleCount++;
            if (idleCount <= SPINS) {
                Thread.onSpinWait();
            } else if (idleCount <= SPINS + YIELDS) {
                Thread.yield();
            } else {
                parked = true;
                if (queue.isEmpty() && !closed) {
                    long park = driven == null ? MAX_PARK_NANOS : ownerPark();
                    if (wheel.timerCount() > 0) {
                        park = Math.max(1_000, Math.min(park, earliestDeadline() - System.nanoTime()));
                    }
                    LockSupport.parkNanos(this, park);
                }
                parked = false;
            }
        }

        /** The next park of an owner-driven loop: growing steps, long ones after a quiet second. */
        private long ownerPark() {
            final long now = System.nanoTime();
            if (ownerPark == 0) {
                idleSince = now;
                ownerPark = OWNER_MIN_PARK_NANOS;
            } else {
                ownerPark = Math.min(OWNER_PARK_NANOS, ownerPark * 2);
            }
            return now - idleSince > OWNER_IDLE_AFTER_NANOS ? OWNER_IDLE_PARK_NANOS : ownerPark;
        }

        private long earliest;

        private long earliestDeadline() {
            if (wheel.timerCount() > 1024) {
                return wheel.currentTickTime();
            }
            earliest = Long.MAX_VALUE;
            wheel.forEach((deadline, timerId) -> earliest = Math.min(earliest, deadline));
            return Math.max(earliest, wheel.currentTickTime() - TICK_NANOS);
        }

        @Override
        public void reset() {
            idleCount = 0;
            ownerPark = 0;
            idleSince = 0;
        }

        @Override
        public String alias() {
            return "parking";
        }
    }
}
