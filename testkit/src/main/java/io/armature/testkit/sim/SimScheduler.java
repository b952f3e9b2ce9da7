package io.armature.testkit.sim;

import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Scheduler;

/**
 * One node's {@link Scheduler} facade over the shared {@link SimLoop}. Every task it queues is
 * attributed to it: after {@link #kill()} (a crash) none of its queued or periodic tasks runs
 * again, and new ones are ignored. A restarted node gets a fresh facade. While {@link #pause
 * paused} (a stopped process, a long GC) none of its tasks runs: each one that comes due waits,
 * in order, and all run late when it resumes, inbound messages and timers alike.
 */
public final class SimScheduler implements Scheduler {
    private final SimLoop loop;
    private final String owner;
    private boolean alive = true;
    private long tasksRun;
    /** Tasks that came due while paused, in the order they came due; null when not paused. */
    private java.util.ArrayDeque<Runnable> held;

    /**
     * @param loop the simulation's event queue
     * @param owner the node this facade belongs to, for diagnostics
     */
    public SimScheduler(final SimLoop loop, final String owner) {
        this.loop = loop;
        this.owner = owner;
    }

    @Override
    public Cancellable schedule(final long delayNanos, final Runnable task) {
        if (!alive) {
            return () -> { };
        }
        // The flag, not only the event: a task held by a pause runs from another event, and a
        // task that runs before it on resuming may cancel it.
        final boolean[] cancelled = {false};
        final Runnable counted = counted(task);
        final SimLoop.Event e = loop.schedule(Math.max(0, delayNanos), holdable(() -> {
            if (!cancelled[0]) {
                counted.run();
            }
        }), this::isAlive);
        return () -> {
            cancelled[0] = true;
            e.cancel();
        };
    }

    @Override
    public Cancellable schedulePeriodic(final long initialDelayNanos, final long periodNanos, final Runnable task) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive, was " + periodNanos);
        }
        final Periodic p = new Periodic(periodNanos, task);
        if (alive) {
            p.next = loop.schedule(Math.max(0, initialDelayNanos), holdable(p), this::isAlive);
        }
        return p;
    }

    @Override
    public void execute(final Runnable task) {
        schedule(0, task);
    }

    /**
     * Drops every task of this facade, queued or future: the node crashed.
     */
    public void kill() {
        alive = false;
    }

    /**
     * Stops running this node's tasks for a while, keeping them: what comes due meanwhile runs,
     * in its order, when the pause ends. Pausing a paused node extends nothing (the first pause
     * ends as planned).
     *
     * @param nanos how long, in virtual time
     */
    public void pause(final long nanos) {
        if (held != null || !alive) {
            return;
        }
        held = new java.util.ArrayDeque<>();
        loop.schedule(nanos, this::resume);
    }

    /**
     * @return true while paused
     */
    public boolean isPaused() {
        return held != null;
    }

    private void resume() {
        final java.util.ArrayDeque<Runnable> due = held;
        held = null;
        // Queued now, in order and ahead of anything the node queues when they run.
        for (final Runnable task : due) {
            loop.schedule(0, task, this::isAlive);
        }
    }

    private Runnable holdable(final Runnable task) {
        return () -> {
            if (held != null) {
                held.add(task);
            } else {
                task.run();
            }
        };
    }

    /**
     * @return false once the node crashed
     */
    public boolean isAlive() {
        return alive;
    }

    /**
     * @return the node this facade belongs to
     */
    public String owner() {
        return owner;
    }

    /**
     * @return how many tasks of this facade ran
     */
    public long tasksRun() {
        return tasksRun;
    }

    private Runnable counted(final Runnable task) {
        return () -> {
            tasksRun++;
            task.run();
        };
    }

    private final class Periodic implements Runnable, Cancellable {
        private final long period;
        private final Runnable task;
        private SimLoop.Event next;
        private boolean cancelled;

        Periodic(final long period, final Runnable task) {
            this.period = period;
            this.task = task;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            tasksRun++;
            task.run();
            if (!cancelled && alive) {
                next = loop.schedule(period, holdable(this), SimScheduler.this::isAlive);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            if (next != null) {
                next.cancel();
            }
        }
    }

    @Override
    public String toString() {
        return "SimScheduler[" + owner + (alive ? "" : ", dead") + "]";
    }
}
