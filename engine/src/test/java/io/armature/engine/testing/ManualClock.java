package io.armature.engine.testing;

import io.armature.spi.runtime.Clock;

/** Virtual time for tests: moves only when told to. */
public final class ManualClock implements Clock {
    private long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return nanos / 1_000_000L;
    }

    /** @param delta nanoseconds to move forward */
    public void advanceNanos(final long delta) {
        nanos += delta;
    }

    /** @param millis milliseconds to move forward */
    public void advanceMillis(final long millis) {
        advanceNanos(millis * 1_000_000L);
    }
}
