package io.armature.testkit.sim;

import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Scheduler;

/**
 * One node's {@link Scheduler} facade over the shared {@link SimLoop}. Every task it queues is
 * attributed to it: after {@link #kill()} (a crash) none of its queued or periodic tasks runs
 * again, and new ones are ignored. A restarted node gets a fresh facade.
 */
public final class SimScheduler implements Scheduler {
    private final SimLoop loop;
    private final String owner;
    private boolean alive = true;
    private long tasksRun;

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
        final SimLoop.Event e = loop.schedule(Math.max(0, delayNanos), counted(task), this::isAlive);
        return e::cancel;
    }

    @Override
    public Cancellable schedulePeriodic(final long initialDelayNanos, final long periodNanos, final Runnable task) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive, was " + periodNanos);
        }
        final Periodic p = new Periodic(periodNanos, task);
        if (alive) {
            p.next = loop.schedule(Math.max(0, initialDelayNanos), p, this::isAlive);
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
                next = loop.schedule(period, this, SimScheduler.this::isAlive);
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
