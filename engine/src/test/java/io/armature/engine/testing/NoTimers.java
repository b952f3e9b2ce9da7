package io.armature.engine.testing;

import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Scheduler;

/**
 * A scheduler whose timers never fire and which runs {@code execute} at once, for unit tests that
 * drive a component's rounds themselves.
 */
public final class NoTimers implements Scheduler {
    /** The one instance: it holds no state. */
    public static final NoTimers INSTANCE = new NoTimers();

    private NoTimers() {
    }

    @Override
    public Cancellable schedule(final long delayNanos, final Runnable task) {
        return () -> { };
    }

    @Override
    public Cancellable schedulePeriodic(final long initialDelayNanos, final long periodNanos, final Runnable task) {
        return () -> { };
    }

    @Override
    public void execute(final Runnable task) {
        task.run();
    }
}
