package io.armature.engine.repair;

import io.armature.spi.runtime.Clock;

/** Virtual time for tests: moves only when told to. */
final class ManualClock implements Clock {
    private long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return nanos / 1_000_000L;
    }

    void advanceNanos(final long delta) {
        nanos += delta;
    }

    void advanceMillis(final long millis) {
        advanceNanos(millis * 1_000_000L);
    }
}
