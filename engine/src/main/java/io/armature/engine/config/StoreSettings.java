package io.armature.engine.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of the store: replication N, quorums R and W, timeouts and size limits. Built with
 * {@link #builder()}; {@link Builder#build()} validates every setting once and names the one at
 * fault, so a bad configuration fails at start, not at the first request. Immutable.
 */
public final class StoreSettings {
    /** Default replicas per key. */
    public static final int DEFAULT_N = 3;
    /** Default read quorum. */
    public static final int DEFAULT_R = 2;
    /** Default write quorum. */
    public static final int DEFAULT_W = 2;
    /** Default request deadline. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Default wait for one replica before it is timed out and its copy goes to a stand-in. */
    public static final Duration DEFAULT_REPLICA_TIMEOUT = Duration.ofMillis(500);
    /** Default largest key. */
    public static final int DEFAULT_MAX_KEY_SIZE = 1024;
    /** Default largest value. */
    public static final int DEFAULT_MAX_VALUE_SIZE = 512 * 1024;
    /**
     * Default largest encoded version set of one key, at a replica: N=3 of them, as a read merges
     * them, still fit the transport's default 2 MiB message (docs/design.md, "Object size"). With a
     * larger N and no explicit limits, both this and the value limit shrink so that N sets still
     * fit one default message: a node never refuses to start on its own defaults.
     */
    public static final int DEFAULT_MAX_OBJECT_SIZE = 640 * 1024;
    /** Default sibling count above which a write is logged and counted. */
    public static final int DEFAULT_SIBLING_WARN = 25;
    /** Default sibling count above which a write is rejected. */
    public static final int DEFAULT_SIBLING_LIMIT = 100;

    private static final StoreSettings DEFAULTS = builder().build();

    private final int n;
    private final int r;
    private final int w;
    private final Duration requestTimeout;
    private final Duration replicaTimeout;
    private final int maxKeySize;
    private final int maxValueSize;
    private final int maxObjectSize;
    // What the builder was given (null: derived from N), so toBuilder().n(..) derives again.
    private final Integer requestedValueSize;
    private final Integer requestedObjectSize;
    private final int siblingWarn;
    private final int siblingLimit;

    private StoreSettings(final Builder b) {
        this.n = b.n;
        this.r = b.r;
        this.w = b.w;
        this.requestTimeout = b.requestTimeout;
        this.replicaTimeout = b.replicaTimeout;
        this.maxKeySize = b.maxKeySize;
        this.maxObjectSize = b.maxObjectSize != null ? b.maxObjectSize
            : Math.max(b.maxValueSize != null ? b.maxValueSize : 0, Math.min(DEFAULT_MAX_OBJECT_SIZE, Builder.fitting(b.n, b.maxKeySize)));
        this.maxValueSize = b.maxValueSize != null ? b.maxValueSize : Math.min(DEFAULT_MAX_VALUE_SIZE, maxObjectSize);
        this.requestedValueSize = b.maxValueSize;
        this.requestedObjectSize = b.maxObjectSize;
        this.siblingWarn = b.siblingWarn;
        this.siblingLimit = b.siblingLimit;
    }

    /**
     * @return the defaults: N=3, R=2, W=2, 2 s requests, 1 KiB keys, 512 KiB values, 640 KiB sets, siblings 25/100
     */
    public static StoreSettings defaults() {
        return DEFAULTS;
    }

    /**
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder holding these settings
     */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.n = n;
        b.r = r;
        b.w = w;
        b.requestTimeout = requestTimeout;
        b.replicaTimeout = replicaTimeout;
        b.maxKeySize = maxKeySize;
        b.maxValueSize = requestedValueSize;
        b.maxObjectSize = requestedObjectSize;
        b.siblingWarn = siblingWarn;
        b.siblingLimit = siblingLimit;
        return b;
    }

    /** @return replicas per key */
    public int n() {
        return n;
    }

    /** @return replies a read waits for */
    public int r() {
        return r;
    }

    /** @return acknowledgements a write waits for */
    public int w() {
        return w;
    }

    /** @return the deadline of a request */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** @return how long a write waits for one replica before sending its copy to a stand-in */
    public Duration replicaTimeout() {
        return replicaTimeout;
    }

    /** @return the largest key in bytes */
    public int maxKeySize() {
        return maxKeySize;
    }

    /** @return the largest value in bytes */
    public int maxValueSize() {
        return maxValueSize;
    }

    /** @return the largest encoded version set of one key in bytes */
    public int maxObjectSize() {
        return maxObjectSize;
    }

    /** @return sibling count above which writes are logged and counted */
    public int siblingWarn() {
        return siblingWarn;
    }

    /** @return sibling count above which writes are rejected */
    public int siblingLimit() {
        return siblingLimit;
    }

    @Override
    public String toString() {
        return "StoreSettings[n=" + n + ", r=" + r + ", w=" + w + ", request-timeout=" + requestTimeout.toMillis()
            + "ms, replica-timeout=" + replicaTimeout.toMillis() + "ms, max-key-size=" + maxKeySize
            + ", max-value-size=" + maxValueSize + ", max-object-size=" + maxObjectSize + ", sibling-warn="
            + siblingWarn + ", sibling-limit=" + siblingLimit + "]";
    }

    /**
     * Builds {@link StoreSettings}; setters only record, {@link #build()} validates.
     */
    public static final class Builder {
        private int n = DEFAULT_N;
        private int r = DEFAULT_R;
        private int w = DEFAULT_W;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration replicaTimeout = DEFAULT_REPLICA_TIMEOUT;
        private int maxKeySize = DEFAULT_MAX_KEY_SIZE;
        // null: the default, derived from N so that N sets fit one default transport message
        private Integer maxValueSize;
        private Integer maxObjectSize;
        private int siblingWarn = DEFAULT_SIBLING_WARN;
        private int siblingLimit = DEFAULT_SIBLING_LIMIT;

        private Builder() {
        }

        /** @param n replicas per key, 1..16 @return this */
        public Builder n(final int n) {
            this.n = n;
            return this;
        }

        /** @param r read quorum, 1..N @return this */
        public Builder r(final int r) {
            this.r = r;
            return this;
        }

        /** @param w write quorum, 1..N @return this */
        public Builder w(final int w) {
            this.w = w;
            return this;
        }

        /** @param timeout request deadline, 1 ms..10 min @return this */
        public Builder requestTimeout(final Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** @param timeout per-replica wait, positive and at most the request timeout @return this */
        public Builder replicaTimeout(final Duration timeout) {
            this.replicaTimeout = timeout;
            return this;
        }

        /** @param bytes largest key, 1..65535 @return this */
        public Builder maxKeySize(final int bytes) {
            this.maxKeySize = bytes;
            return this;
        }

        /** @param bytes largest value, 0..64 MiB @return this */
        public Builder maxValueSize(final int bytes) {
            this.maxValueSize = bytes;
            return this;
        }

        /** @param bytes largest version set of a key, at least the value size @return this */
        public Builder maxObjectSize(final int bytes) {
            this.maxObjectSize = bytes;
            return this;
        }

        /** @param count sibling warning threshold, 1..limit @return this */
        public Builder siblingWarn(final int count) {
            this.siblingWarn = count;
            return this;
        }

        /** @param count sibling hard limit, 1..65535 @return this */
        public Builder siblingLimit(final int count) {
            this.siblingLimit = count;
            return this;
        }

        /**
         * @return the validated settings
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public StoreSettings build() {
            check(n >= 1 && n <= 16, "store.n must be in 1..16, was " + n);
            check(r >= 1 && r <= n, "store.r must be in 1..n (" + n + "), was " + r);
            check(w >= 1 && w <= n, "store.w must be in 1..n (" + n + "), was " + w);
            Objects.requireNonNull(requestTimeout, "store.request-timeout");
            Objects.requireNonNull(replicaTimeout, "store.replica-timeout");
            check(requestTimeout.compareTo(Duration.ofMillis(1)) >= 0 && requestTimeout.compareTo(Duration.ofMinutes(10)) <= 0,
                "store.request-timeout must be in 1ms..10min, was " + requestTimeout);
            check(!replicaTimeout.isNegative() && !replicaTimeout.isZero() && replicaTimeout.compareTo(requestTimeout) <= 0,
                "store.replica-timeout must be positive and at most store.request-timeout (" + requestTimeout.toMillis()
                    + "ms), was " + replicaTimeout.toMillis() + "ms");
            check(maxKeySize >= 1 && maxKeySize <= 65_535, "store.max-key-size must be in 1..65535, was " + maxKeySize);
            check(maxValueSize == null || maxValueSize >= 0 && maxValueSize <= 64 * 1024 * 1024,
                "store.max-value-size must be in 0..67108864, was " + maxValueSize);
            final int value = maxValueSize != null ? maxValueSize : 0;
            check(maxObjectSize == null || maxObjectSize >= value && maxObjectSize <= 256 * 1024 * 1024,
                "store.max-object-size must be in store.max-value-size (" + value + ")..268435456, was " + maxObjectSize);
            check(siblingLimit >= 1 && siblingLimit <= 65_535, "store.sibling-limit must be in 1..65535, was " + siblingLimit);
            check(siblingWarn >= 1 && siblingWarn <= siblingLimit,
                "store.sibling-warn must be in 1..store.sibling-limit (" + siblingLimit + "), was " + siblingWarn);
            return new StoreSettings(this);
        }

        private static int fitting(final int n, final int maxKeySize) {
            return (io.armature.spi.transport.TransportConfig.DEFAULT_MAX_MESSAGE_SIZE - maxKeySize
                - io.armature.engine.coordinator.Coordinator.FRAME_RESERVE) / Math.max(1, n);
        }

        private static void check(final boolean ok, final String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
