package io.armature.testkit.sim;

import io.armature.spi.runtime.Clock;

/**
 * A node's view of the simulation's virtual time. Each node may have its own wall-clock offset
 * (clock skew), which moves {@link #currentTimeMillis()} but never {@link #nanoTime()}: the
 * engine must not rely on synchronised wall clocks.
 */
public final class SimClock implements Clock {
    /** Wall-clock time at virtual time 0: 2026-01-01T00:00:00Z, fixed so that runs replay. */
    public static final long EPOCH_MILLIS = 1_767_225_600_000L;

    private final SimLoop loop;
    private long offsetMillis;

    /**
     * @param loop the simulation's event queue
     * @param offsetMillis this node's wall-clock skew
     */
    public SimClock(final SimLoop loop, final long offsetMillis) {
        this.loop = loop;
        this.offsetMillis = offsetMillis;
    }

    @Override
    public long nanoTime() {
        return loop.now();
    }

    @Override
    public long currentTimeMillis() {
        return EPOCH_MILLIS + offsetMillis + loop.now() / 1_000_000L;
    }

    /**
     * Steps this node's wall clock, as a clock corrected by hand or by a time daemon that steps
     * rather than slews; {@link #nanoTime()} does not move.
     *
     * @param millis how far, negative for a step back
     */
    public void jump(final long millis) {
        this.offsetMillis += millis;
    }

    /**
     * @param offsetMillis the new wall-clock skew of this node
     */
    public void setOffsetMillis(final long offsetMillis) {
        this.offsetMillis = offsetMillis;
    }
}
