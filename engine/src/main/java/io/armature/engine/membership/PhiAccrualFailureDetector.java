package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.spi.runtime.Clock;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The phi accrual failure detector (Hayashibara, Defago, Yared, Katayama, "The phi Accrual Failure
 * Detector", SRDS 2004) with Cassandra's exponential model of heartbeat inter-arrival times.
 *
 * <p>phi(t) = -log10(P(no heartbeat for t)). With inter-arrivals exponential of mean m,
 * P(later than t) = exp(-t / m), so phi = t / (m ln 10): linear in the silence, reaching the
 * threshold 8 after 8 ln 10 = 18.4 mean intervals. Why exponential and not Akka's normal: our
 * heartbeats arrive through gossip with random peers (and through request replies), so arrivals
 * are bursty and closer to Poisson than to a tight bell; a normal fitted to regular samples has
 * a tiny deviation and turns one delayed gossip round into suspicion unless its minimum
 * deviation and pause are tuned by hand (Cassandra moved from the normal to the exponential for
 * this reason, CASSANDRA-2597). The exponential has one parameter, the mean, which the window
 * estimates. Faster detection under load comes from {@link #timedOut}: request time-outs suspect
 * a node after {@link PhiAccrualSettings#timeoutsToSuspect()} in a row.
 *
 * <p>Two kinds of news: {@link #heard} is direct (a message from the node itself) and clears
 * time-out suspicion; {@link #heartbeat} is a heartbeat relayed by gossip, which keeps phi low but
 * does not clear it, because the node may be alive for others and still not answer us. Time-out
 * suspicion lasts {@link PhiAccrualSettings#timeoutRetryNanos()}; then requests probe the node
 * again, and one more time-out suspects it anew.
 *
 * <p>A node never heard from is available: membership says it exists and requests to it will
 * either be answered ({@link #heard}) or time out ({@link #timedOut}). Time comes only from the
 * spi {@link Clock}. Not thread-safe: called on the node's logic thread.
 */
public final class PhiAccrualFailureDetector implements FailureDetector {
    private static final double LN_10 = Math.log(10.0);

    private final Clock clock;
    private final PhiAccrualSettings settings;
    private final Map<NodeId, History> histories = new HashMap<>();

    /**
     * @param clock the node's clock
     * @param settings the settings
     */
    public PhiAccrualFailureDetector(final Clock clock, final PhiAccrualSettings settings) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public boolean isAvailable(final NodeId node) {
        final History h = histories.get(Objects.requireNonNull(node, "node"));
        if (h == null) {
            return true;
        }
        final long now = clock.nanoTime();
        if (settings.timeoutsToSuspect() > 0 && h.consecutiveTimeouts >= settings.timeoutsToSuspect()
            && now - h.suspectedSinceNanos < settings.timeoutRetryNanos()) {
            return false;
        }
        return phi(h, now) < settings.threshold();
    }

    @Override
    public void heard(final NodeId node) {
        final History h = record(node);
        h.consecutiveTimeouts = 0;
    }

    /**
     * Records a heartbeat of the node relayed by gossip (its heartbeat version advanced in a merged
     * view): evidence that it is alive, but not that it answers this node.
     *
     * @param node the peer
     */
    public void heartbeat(final NodeId node) {
        record(node);
    }

    private History record(final NodeId node) {
        Objects.requireNonNull(node, "node");
        final long now = clock.nanoTime();
        final History h = histories.computeIfAbsent(node, n -> new History(settings.windowSize()));
        if (h.lastHeardNanos == Long.MIN_VALUE) {
            // Akka's first-heartbeat estimate: judge the first silence against the gossip period.
            h.add(settings.firstHeartbeatEstimateNanos());
        } else {
            final long interval = now - h.lastHeardNanos;
            if (interval > 0 && interval <= settings.maxSampleIntervalNanos()) {
                h.add(interval);
            }
        }
        h.lastHeardNanos = now;
        return h;
    }

    @Override
    public void timedOut(final NodeId node) {
        Objects.requireNonNull(node, "node");
        final History h = histories.computeIfAbsent(node, n -> new History(settings.windowSize()));
        if (h.consecutiveTimeouts < Integer.MAX_VALUE) {
            h.consecutiveTimeouts++;
        }
        if (settings.timeoutsToSuspect() > 0 && h.consecutiveTimeouts >= settings.timeoutsToSuspect()) {
            h.suspectedSinceNanos = clock.nanoTime();
        }
    }

    /**
     * @param node a peer
     * @return its current phi; 0 if never heard from
     */
    public double phi(final NodeId node) {
        final History h = histories.get(Objects.requireNonNull(node, "node"));
        return h == null ? 0.0 : phi(h, clock.nanoTime());
    }

    /**
     * Drops everything known about a node, for members that have left the cluster.
     *
     * @param node the peer
     */
    public void forget(final NodeId node) {
        histories.remove(Objects.requireNonNull(node, "node"));
    }

    /**
     * @param node a peer
     * @return the mean inter-arrival time the detector currently uses for it (after the floor),
     *     or the first-heartbeat estimate if never heard from
     */
    public long meanIntervalNanos(final NodeId node) {
        final History h = histories.get(Objects.requireNonNull(node, "node"));
        return h == null || h.count == 0 ? settings.firstHeartbeatEstimateNanos() : mean(h);
    }

    /**
     * @return the settings
     */
    public PhiAccrualSettings settings() {
        return settings;
    }

    private long mean(final History h) {
        return Math.max(settings.minMeanIntervalNanos(), h.sum / h.count);
    }

    private double phi(final History h, final long now) {
        if (h.lastHeardNanos == Long.MIN_VALUE) {
            return 0.0;
        }
        final long silence = Math.max(0L, now - h.lastHeardNanos - settings.acceptableHeartbeatPauseNanos());
        return silence / (mean(h) * LN_10);
    }

    /** A bounded ring of the latest inter-arrival samples with their running sum. */
    private static final class History {
        private final int capacity;
        private long[] samples;
        private int next;
        private int count;
        private long sum;
        private long lastHeardNanos = Long.MIN_VALUE;
        private int consecutiveTimeouts;
        private long suspectedSinceNanos;

        History(final int capacity) {
            this.capacity = capacity;
            this.samples = new long[Math.min(capacity, 16)];
        }

        void add(final long interval) {
            if (count < capacity) {
                if (count == samples.length) {
                    final long[] grown = new long[Math.min(capacity, samples.length * 2)];
                    System.arraycopy(samples, 0, grown, 0, count);
                    samples = grown;
                }
                samples[count++] = interval;
                sum += interval;
                next = count % capacity;
                return;
            }
            sum += interval - samples[next];
            samples[next] = interval;
            next = (next + 1) % capacity;
        }
    }
}
