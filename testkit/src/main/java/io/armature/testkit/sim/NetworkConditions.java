package io.armature.testkit.sim;

/**
 * How the simulated network treats each message: a delay drawn uniformly from
 * {@code [minDelayNanos, maxDelayNanos]}, loss and duplication with given probabilities, and
 * whether messages of one link may overtake each other. Immutable.
 *
 * @param minDelayNanos smallest one-way delay, at least 0
 * @param maxDelayNanos largest one-way delay, at least {@code minDelayNanos}
 * @param dropRate probability that a message is lost, {@code 0..1}
 * @param duplicateRate probability that a message is delivered twice, {@code 0..1}
 * @param reorder true to let messages of one link overtake each other (each takes its own
 *     delay); false keeps each link first-in first-out, as the transport contract promises on a
 *     healthy link
 */
public record NetworkConditions(long minDelayNanos, long maxDelayNanos, double dropRate, double duplicateRate, boolean reorder) {
    /** A healthy LAN: 0.1 to 1 ms, nothing lost, duplicated or reordered. */
    public static final NetworkConditions HEALTHY = new NetworkConditions(100_000L, 1_000_000L, 0, 0, false);

    /**
     * Validates the settings.
     *
     * @param minDelayNanos smallest delay
     * @param maxDelayNanos largest delay
     * @param dropRate loss probability
     * @param duplicateRate duplication probability
     * @param reorder whether a link may reorder
     */
    public NetworkConditions {
        if (minDelayNanos < 0 || maxDelayNanos < minDelayNanos) {
            throw new IllegalArgumentException("network delay must satisfy 0 <= min <= max, was " + minDelayNanos + ".." + maxDelayNanos);
        }
        if (!(dropRate >= 0 && dropRate <= 1) || !(duplicateRate >= 0 && duplicateRate <= 1)) {
            throw new IllegalArgumentException("network drop and duplicate rates must be in 0..1, were " + dropRate + ", " + duplicateRate);
        }
    }

    /**
     * @param rate the new loss probability
     * @return a copy with that loss rate
     */
    public NetworkConditions withDropRate(final double rate) {
        return new NetworkConditions(minDelayNanos, maxDelayNanos, rate, duplicateRate, reorder);
    }

    /**
     * @param rate the new duplication probability
     * @return a copy with that duplication rate
     */
    public NetworkConditions withDuplicateRate(final double rate) {
        return new NetworkConditions(minDelayNanos, maxDelayNanos, dropRate, rate, reorder);
    }

    /**
     * @param allowed whether links may reorder
     * @return a copy with that setting
     */
    public NetworkConditions withReorder(final boolean allowed) {
        return new NetworkConditions(minDelayNanos, maxDelayNanos, dropRate, duplicateRate, allowed);
    }
}
