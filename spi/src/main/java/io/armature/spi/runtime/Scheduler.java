package io.armature.spi.runtime;

/**
 * Runs the engine's timers. Tasks of one node's scheduler run on that node's logic thread, one
 * at a time and never concurrently with its message handling, so engine logic needs no locks.
 * Methods may be called from any thread.
 */
public interface Scheduler {
    /**
     * Runs a task once, after a delay measured on the node's {@link Clock}.
     *
     * @param delayNanos the delay in nanoseconds, at least 0
     * @param task the task
     * @return a handle to cancel it
     */
    Cancellable schedule(long delayNanos, Runnable task);

    /**
     * Runs a task repeatedly: first after {@code initialDelayNanos}, then every {@code periodNanos}.
     * A run that falls behind is not repeated to catch up.
     *
     * @param initialDelayNanos the first delay, at least 0
     * @param periodNanos the period, positive
     * @param task the task
     * @return a handle to cancel it
     */
    Cancellable schedulePeriodic(long initialDelayNanos, long periodNanos, Runnable task);

    /**
     * Runs a task on the node's logic thread as soon as possible, after tasks already queued.
     *
     * @param task the task
     */
    void execute(Runnable task);
}
