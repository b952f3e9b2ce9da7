package io.armature.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call overrides of the store's read quorum R, write quorum W and timeout. A field left
 * unset takes the store's setting. R and W must lie in {@code 1..N}; the coordinator rejects
 * others with {@link InvalidRequestException}. Instances are immutable.
 */
public final class Consistency {
    private static final Consistency DEFAULTS = new Consistency(0, 0, null);

    private final int r;
    private final int w;
    private final Duration timeout;

    private Consistency(final int r, final int w, final Duration timeout) {
        this.r = r;
        this.w = w;
        this.timeout = timeout;
    }

    /**
     * @return the store's settings, unchanged
     */
    public static Consistency defaults() {
        return DEFAULTS;
    }

    /**
     * @param r replies a read waits for
     * @param w acknowledgements a write waits for
     * @return the overrides
     */
    public static Consistency of(final int r, final int w) {
        return DEFAULTS.withR(r).withW(w);
    }

    /**
     * @param r replies a read waits for, at least 1
     * @return a copy with R set
     */
    public Consistency withR(final int r) {
        if (r < 1) {
            throw new InvalidRequestException("consistency: r must be at least 1, was " + r);
        }
        return new Consistency(r, w, timeout);
    }

    /**
     * @param w acknowledgements a write waits for, at least 1
     * @return a copy with W set
     */
    public Consistency withW(final int w) {
        if (w < 1) {
            throw new InvalidRequestException("consistency: w must be at least 1, was " + w);
        }
        return new Consistency(r, w, timeout);
    }

    /**
     * @param timeout the deadline of the call, positive
     * @return a copy with the timeout set
     */
    public Consistency withTimeout(final Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidRequestException("consistency: timeout must be positive, was " + timeout);
        }
        return new Consistency(r, w, timeout);
    }

    /**
     * @return R, or 0 when the store's setting applies
     */
    public int r() {
        return r;
    }

    /**
     * @return W, or 0 when the store's setting applies
     */
    public int w() {
        return w;
    }

    /**
     * @return the timeout, or null when the store's setting applies
     */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean equals(final Object o) {
        if (!(o instanceof Consistency)) {
            return false;
        }
        final Consistency c = (Consistency) o;
        return r == c.r && w == c.w && Objects.equals(timeout, c.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(r, w, timeout);
    }

    @Override
    public String toString() {
        return "Consistency[r=" + (r == 0 ? "default" : r) + ", w=" + (w == 0 ? "default" : w)
            + ", timeout=" + (timeout == null ? "default" : timeout.toMillis() + "ms") + "]";
    }
}
