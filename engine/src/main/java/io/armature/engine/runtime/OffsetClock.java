package io.armature.engine.runtime;

import io.armature.spi.runtime.Clock;

import java.util.Objects;

/**
 * A clock whose wall time runs a settable offset away from another's: how a test makes one node's
 * clock jump (as an NTP step or a wrong clock would) without faketime. Only
 * {@link #currentTimeMillis()} moves, as a real clock jump moves only wall time; the monotonic
 * {@link #nanoTime()}, which timers and the failure detector use, is the base clock's. Thread-safe.
 */
public final class OffsetClock implements Clock {
    private final Clock base;
    private volatile long offsetMillis;

    /**
     * @param base the clock to offset
     * @param offsetMillis the starting offset, positive for ahead
     */
    public OffsetClock(final Clock base, final long offsetMillis) {
        this.base = Objects.requireNonNull(base, "base");
        this.offsetMillis = offsetMillis;
    }

    /**
     * @param millis the new offset, positive for ahead; takes effect at once (a jump)
     */
    public void offsetMillis(final long millis) {
        this.offsetMillis = millis;
    }

    /**
     * @return the offset now in force
     */
    public long offsetMillis() {
        return offsetMillis;
    }

    @Override
    public long nanoTime() {
        return base.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return base.currentTimeMillis() + offsetMillis;
    }
}
