package io.armature.engine.repair;

import io.armature.spi.runtime.Clock;

import java.util.Objects;

/**
 * A token bucket on the spi {@link Clock}: tokens accrue at {@code ratePerSecond} up to
 * {@code capacity} (the burst). Bounds the bytes per second of anti-entropy and of hint delivery
 * so that repair never starves foreground requests (Riak's first AAE release halved throughput
 * because it was not throttled).
 *
 * <p>Exact integer arithmetic: the level is kept in units of 1/1e9 token, so a token accrues in
 * exactly {@code 1e9 / rate} nanoseconds with no rounding drift however often it is polled.
 * Not thread-safe: used on the node's logic thread.
 */
public final class TokenBucket {
    /** Largest capacity, so the level in 1e-9 units fits in a long. */
    public static final long MAX_CAPACITY = 1_000_000_000L;
    private static final long SCALE = 1_000_000_000L;

    private final Clock clock;
    private final long ratePerSecond;
    private final long capacity;
    private long scaledLevel;
    private long lastNanos;

    /**
     * Starts full.
     *
     * @param clock the node's clock
     * @param ratePerSecond tokens added per second, 1..{@link #MAX_CAPACITY}
     * @param capacity most tokens held (largest burst), 1..{@link #MAX_CAPACITY}
     */
    public TokenBucket(final Clock clock, final long ratePerSecond, final long capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ratePerSecond < 1 || ratePerSecond > MAX_CAPACITY) {
            throw new IllegalArgumentException("token bucket ratePerSecond must be in 1.." + MAX_CAPACITY + ", was " + ratePerSecond);
        }
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("token bucket capacity must be in 1.." + MAX_CAPACITY + ", was " + capacity);
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = capacity;
        this.scaledLevel = capacity * SCALE;
        this.lastNanos = clock.nanoTime();
    }

    /**
     * Takes {@code permits} tokens if the bucket holds them.
     *
     * @param permits tokens wanted, 0..capacity
     * @return true if taken; false leaves the bucket as it was
     */
    public boolean tryAcquire(final long permits) {
        checkPermits(permits);
        refill();
        final long need = permits * SCALE;
        if (scaledLevel < need) {
            return false;
        }
        scaledLevel -= need;
        return true;
    }

    /**
     * @param permits tokens wanted, 0..capacity
     * @return nanoseconds until {@link #tryAcquire} of that many would succeed, 0 if now; the
     *     delay to schedule the next attempt with
     */
    public long nanosUntilAvailable(final long permits) {
        checkPermits(permits);
        refill();
        final long missing = permits * SCALE - scaledLevel;
        return missing <= 0 ? 0 : (missing + ratePerSecond - 1) / ratePerSecond;
    }

    /**
     * @return whole tokens available now
     */
    public long available() {
        refill();
        return scaledLevel / SCALE;
    }

    /**
     * @return the rate in tokens per second
     */
    public long ratePerSecond() {
        return ratePerSecond;
    }

    /**
     * @return the capacity
     */
    public long capacity() {
        return capacity;
    }

    private void checkPermits(final long permits) {
        if (permits < 0 || permits > capacity) {
            throw new IllegalArgumentException("token bucket permits must be in 0.." + capacity + " (the capacity), was " + permits
                + "; split larger transfers");
        }
    }

    private void refill() {
        final long now = clock.nanoTime();
        final long elapsed = now - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        final long room = capacity * SCALE - scaledLevel;
        // A refill of room needs room / rate ns; cap elapsed there before multiplying so nothing overflows.
        if (elapsed >= room / ratePerSecond + 1) {
            scaledLevel = capacity * SCALE;
        } else {
            scaledLevel += elapsed * ratePerSecond;
        }
        lastNanos = now;
    }
}
