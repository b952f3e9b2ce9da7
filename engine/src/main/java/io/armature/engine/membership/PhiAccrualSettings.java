package io.armature.engine.membership;

/**
 * Settings of the {@link PhiAccrualFailureDetector}, validated once here with messages that name
 * the setting.
 *
 * @param threshold phi at and above which a node is suspected; 8 means "the chance that a heartbeat
 *     is merely late is below 1e-8" (Cassandra's and Akka's default)
 * @param windowSize inter-arrival samples kept per node (Cassandra keeps 1000)
 * @param firstHeartbeatEstimateNanos the interval assumed before any sample exists, so that a node
 *     heard once is judged against the gossip period and not against nothing (Akka's
 *     first-heartbeat-estimate); set it to the gossip period
 * @param acceptableHeartbeatPauseNanos silence that never counts, added before the distribution
 *     starts (Akka's acceptable-heartbeat-pause), for known pauses such as GC
 * @param minMeanIntervalNanos floor on the mean interval; request replies also count as heartbeats
 *     and can arrive every millisecond, which would otherwise make a few milliseconds of quiet
 *     look like a failure
 * @param maxSampleIntervalNanos intervals longer than this are not sampled, so one long outage
 *     does not teach the detector to wait longer next time (Cassandra's fd_max_interval, 2x gossip)
 * @param timeoutsToSuspect consecutive request time-outs, with nothing heard in between, after
 *     which a node is suspected at once (DeCandia et al. 2007, section 4.8.3: a node that does not
 *     answer messages is treated as failed); 0 disables this
 * @param timeoutRetryNanos how long such a suspicion lasts without news from the node itself; then
 *     requests may probe it again (one more time-out suspects it anew), so a node that other peers
 *     still relay heartbeats for, but that does not answer us, neither flaps nor stays excluded
 */
public record PhiAccrualSettings(
    double threshold,
    int windowSize,
    long firstHeartbeatEstimateNanos,
    long acceptableHeartbeatPauseNanos,
    long minMeanIntervalNanos,
    long maxSampleIntervalNanos,
    int timeoutsToSuspect,
    long timeoutRetryNanos) {

    /** Default phi threshold. */
    public static final double DEFAULT_THRESHOLD = 8.0;
    /** Default window size. */
    public static final int DEFAULT_WINDOW_SIZE = 1000;
    /** Default first-heartbeat estimate: the default gossip period, 1 s. */
    public static final long DEFAULT_FIRST_HEARTBEAT_ESTIMATE_NANOS = 1_000_000_000L;
    /** Default acceptable pause: none. */
    public static final long DEFAULT_ACCEPTABLE_PAUSE_NANOS = 0L;
    /** Default floor on the mean interval: 500 ms. */
    public static final long DEFAULT_MIN_MEAN_INTERVAL_NANOS = 500_000_000L;
    /** Default longest sampled interval: 2 s, twice the default gossip period. */
    public static final long DEFAULT_MAX_SAMPLE_INTERVAL_NANOS = 2_000_000_000L;
    /** Longest interval any setting may name (one hour), so that a window's sum never overflows. */
    public static final long MAX_INTERVAL_NANOS = 3_600_000_000_000L;
    /** Default consecutive time-outs that suspect a node. */
    public static final int DEFAULT_TIMEOUTS_TO_SUSPECT = 2;
    /** Default time a time-out suspicion lasts: 5 s, five default gossip periods. */
    public static final long DEFAULT_TIMEOUT_RETRY_NANOS = 5_000_000_000L;

    /**
     * Validates the settings.
     */
    public PhiAccrualSettings {
        if (!(threshold > 0.0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("failure detector threshold must be a positive finite number, was " + threshold);
        }
        if (windowSize < 1 || windowSize > 100_000) {
            throw new IllegalArgumentException("failure detector windowSize must be in 1..100000, was " + windowSize);
        }
        if (firstHeartbeatEstimateNanos <= 0 || firstHeartbeatEstimateNanos > MAX_INTERVAL_NANOS) {
            throw new IllegalArgumentException(
                "failure detector firstHeartbeatEstimateNanos must be in 1..3600e9 (one hour), was " + firstHeartbeatEstimateNanos);
        }
        if (acceptableHeartbeatPauseNanos < 0) {
            throw new IllegalArgumentException(
                "failure detector acceptableHeartbeatPauseNanos must be at least 0, was " + acceptableHeartbeatPauseNanos);
        }
        if (minMeanIntervalNanos <= 0) {
            throw new IllegalArgumentException(
                "failure detector minMeanIntervalNanos must be positive, was " + minMeanIntervalNanos);
        }
        if (maxSampleIntervalNanos < minMeanIntervalNanos || maxSampleIntervalNanos > MAX_INTERVAL_NANOS) {
            throw new IllegalArgumentException("failure detector maxSampleIntervalNanos must be in minMeanIntervalNanos ("
                + minMeanIntervalNanos + ")..3600e9 (one hour), was " + maxSampleIntervalNanos);
        }
        if (timeoutsToSuspect < 0) {
            throw new IllegalArgumentException(
                "failure detector timeoutsToSuspect must be at least 0, was " + timeoutsToSuspect);
        }
        if (timeoutRetryNanos <= 0 || timeoutRetryNanos > MAX_INTERVAL_NANOS) {
            throw new IllegalArgumentException(
                "failure detector timeoutRetryNanos must be in 1..3600e9 (one hour), was " + timeoutRetryNanos);
        }
    }

    /**
     * @return the defaults, tuned for a 1 s gossip period
     */
    public static PhiAccrualSettings defaults() {
        return forGossipPeriod(DEFAULT_FIRST_HEARTBEAT_ESTIMATE_NANOS);
    }

    /**
     * @param gossipPeriodNanos the gossip period
     * @return the defaults scaled to that period: first estimate = period, floor = period / 2,
     *     longest sample = 2 x period, time-out suspicion = 5 x period
     */
    public static PhiAccrualSettings forGossipPeriod(final long gossipPeriodNanos) {
        if (gossipPeriodNanos <= 1 || gossipPeriodNanos > MAX_INTERVAL_NANOS / 5) {
            throw new IllegalArgumentException("gossip period must be in 2..720e9 ns (12 minutes), was " + gossipPeriodNanos);
        }
        return new PhiAccrualSettings(DEFAULT_THRESHOLD, DEFAULT_WINDOW_SIZE, gossipPeriodNanos,
            DEFAULT_ACCEPTABLE_PAUSE_NANOS, gossipPeriodNanos / 2, 2 * gossipPeriodNanos, DEFAULT_TIMEOUTS_TO_SUSPECT,
            5 * gossipPeriodNanos);
    }

    /**
     * @param value the threshold
     * @return a copy with that threshold
     */
    public PhiAccrualSettings withThreshold(final double value) {
        return new PhiAccrualSettings(value, windowSize, firstHeartbeatEstimateNanos, acceptableHeartbeatPauseNanos,
            minMeanIntervalNanos, maxSampleIntervalNanos, timeoutsToSuspect, timeoutRetryNanos);
    }

    /**
     * @param nanos the acceptable pause
     * @return a copy with that pause
     */
    public PhiAccrualSettings withAcceptableHeartbeatPauseNanos(final long nanos) {
        return new PhiAccrualSettings(threshold, windowSize, firstHeartbeatEstimateNanos, nanos,
            minMeanIntervalNanos, maxSampleIntervalNanos, timeoutsToSuspect, timeoutRetryNanos);
    }

    /**
     * @param value the consecutive time-outs that suspect a node, 0 to disable
     * @return a copy with that count
     */
    public PhiAccrualSettings withTimeoutsToSuspect(final int value) {
        return new PhiAccrualSettings(threshold, windowSize, firstHeartbeatEstimateNanos, acceptableHeartbeatPauseNanos,
            minMeanIntervalNanos, maxSampleIntervalNanos, value, timeoutRetryNanos);
    }

    /**
     * @param value the window size
     * @return a copy with that window
     */
    public PhiAccrualSettings withWindowSize(final int value) {
        return new PhiAccrualSettings(threshold, value, firstHeartbeatEstimateNanos, acceptableHeartbeatPauseNanos,
            minMeanIntervalNanos, maxSampleIntervalNanos, timeoutsToSuspect, timeoutRetryNanos);
    }
}
