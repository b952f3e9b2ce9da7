package io.armature.testkit.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The one deterministic event queue of a simulation: every timer, message delivery and client
 * step is an event ordered by virtual time, then by insertion sequence, so two runs that insert
 * the same events in the same order execute them in the same order. Single-threaded: use it from
 * the thread that runs the simulation only.
 */
public final class SimLoop {
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private long executed;
    private Runnable afterEach = () -> { };

    /**
     * A queued event; {@link #cancel()} removes it lazily (it is skipped when its turn comes).
     */
    public static final class Event implements Comparable<Event> {
        private final long time;
        private final long seq;
        private final Runnable task;
        private final BooleanSupplier live;
        private boolean cancelled;

        private Event(final long time, final long seq, final Runnable task, final BooleanSupplier live) {
            this.time = time;
            this.seq = seq;
            this.task = task;
            this.live = live;
        }

        /**
         * Stops the event from running. Idempotent.
         */
        public void cancel() {
            cancelled = true;
        }

        /**
         * @return the virtual time, in nanoseconds, at which the event runs
         */
        public long time() {
            return time;
        }

        @Override
        public int compareTo(final Event o) {
            final int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /**
     * @return the current virtual time in nanoseconds, starting at 0
     */
    public long now() {
        return now;
    }

    /**
     * @return how many events ran so far
     */
    public long executed() {
        return executed;
    }

    /**
     * @return the number of queued events, cancelled ones included
     */
    public int pending() {
        return queue.size();
    }

    /**
     * @param hook runs after every event (an observer: it must not queue events that change
     *     what happens)
     */
    public void afterEach(final Runnable hook) {
        this.afterEach = java.util.Objects.requireNonNull(hook, "hook");
    }

    /**
     * Queues a task.
     *
     * @param delayNanos delay from now, at least 0
     * @param task what to run
     * @param live checked when the event's turn comes: a false answer drops the event (used to
     *     drop the timers and deliveries of a crashed node)
     * @return the event, to cancel it
     */
    public Event schedule(final long delayNanos, final Runnable task, final BooleanSupplier live) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay must be at least 0, was " + delayNanos);
        }
        final Event e = new Event(now + delayNanos, sequence++, task, live);
        queue.add(e);
        return e;
    }

    /**
     * Queues a task that always runs unless cancelled.
     *
     * @param delayNanos delay from now, at least 0
     * @param task what to run
     * @return the event
     */
    public Event schedule(final long delayNanos, final Runnable task) {
        return schedule(delayNanos, task, () -> true);
    }

    /**
     * Runs the next live event, advancing the clock to its time.
     *
     * @param deadline virtual time the event must not be later than
     * @return false if no event is due by the deadline (the clock then stays where it was)
     */
    public boolean step(final long deadline) {
        while (true) {
            final Event e = queue.peek();
            if (e == null || e.time > deadline) {
                return false;
            }
            queue.poll();
            if (e.cancelled || !e.live.getAsBoolean()) {
                continue;
            }
            now = e.time;
            executed++;
            e.task.run();
            afterEach.run();
            return true;
        }
    }

    /**
     * Runs every event due up to {@code deadline}, then sets the clock to the deadline.
     *
     * @param deadline a virtual time, not before now
     */
    public void runUntil(final long deadline) {
        while (step(deadline)) {
            // each step runs one event
        }
        now = Math.max(now, deadline);
    }

    /**
     * Runs events until {@code condition} holds or the deadline passes.
     *
     * @param condition checked before each event
     * @param deadline the latest virtual time to run to
     * @return true if the condition held
     */
    public boolean runUntil(final BooleanSupplier condition, final long deadline) {
        while (!condition.getAsBoolean()) {
            if (!step(deadline)) {
                now = Math.max(now, deadline);
                return condition.getAsBoolean();
            }
        }
        return true;
    }
}
