package io.armature.spi.runtime;

/**
 * The engine's only source of time.
 */
public interface Clock {
    /**
     * @return a monotonic time in nanoseconds, for deadlines and intervals; only differences
     *     between two readings mean anything
     */
    long nanoTime();

    /**
     * @return wall-clock milliseconds since the epoch, for values that outlive a process
     *     (tombstone grace periods, hint ages)
     */
    long currentTimeMillis();

    /**
     * @return the system clock, for production wiring
     */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
