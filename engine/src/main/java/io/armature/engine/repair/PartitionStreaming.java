package io.armature.engine.repair;

import io.armature.engine.membership.FailureDetector;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Scheduler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Background partition streaming after a ring change (docs/repair.md, "Join and leave"): each
 * partition this node gains is pulled by running the anti-entropy exchange against its first
 * available old replica with the (initially empty) tree, so the copy is rate-limited by the
 * anti-entropy bucket and resumable; a transfer is done when an exchange with its source ends in
 * sync. Meanwhile this node keeps answering exchanges for the partitions it is losing. Event loop
 * only.
 */
public final class PartitionStreaming {
    private final NodeId self;
    private final AntiEntropy antiEntropy;
    private final FailureDetector detector;
    private final Scheduler scheduler;
    private final long retryNanos;
    private final int n;
    /** Gained partitions still to pull, with their sources in preference order. */
    private final Map<Integer, List<NodeId>> incoming = new HashMap<>();
    /** Partitions this node gives up but still serves to the gainers. */
    private final Set<Integer> outgoing = new HashSet<>();
    private Cancellable timer;

    /**
     * @param self this node
     * @param antiEntropy the exchange to pull with (its streaming hooks are taken)
     * @param detector who is available as a source
     * @param scheduler the event loop
     * @param retryNanos how long to wait before asking a source again
     * @param n replicas per key
     */
    public PartitionStreaming(final NodeId self, final AntiEntropy antiEntropy, final FailureDetector detector,
                              final Scheduler scheduler, final long retryNanos, final int n) {
        this.self = self;
        this.antiEntropy = antiEntropy;
        this.detector = detector;
        this.scheduler = scheduler;
        this.retryNanos = retryNanos;
        this.n = n;
        antiEntropy.streaming(outgoing::contains, this::inSync);
    }

    /**
     * Plans and starts the transfers of a ring change.
     *
     * @param before the ring the data is placed by
     * @param after the ring being installed
     */
    public void begin(final Ring before, final Ring after) {
        final PartitionTransfers.Plan plan = PartitionTransfers.plan(after.partitionCount(), p -> before.preferenceList(p, n),
            p -> after.preferenceList(p, n));
        for (final PartitionTransfers.Transfer t : plan.incomingTo(self)) {
            incoming.put(t.partition(), t.sources());
        }
        for (final PartitionTransfers.Release r : plan.releases()) {
            if (r.node().equals(self)) {
                outgoing.add(r.partition());
            }
        }
        pull();
    }

    /** @return partitions still to pull */
    public int pending() {
        return incoming.size();
    }

    /** Ends serving the partitions given up (their gainers are done). */
    public void released() {
        outgoing.clear();
    }

    private void pull() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        for (final Map.Entry<Integer, List<NodeId>> e : incoming.entrySet()) {
            for (final NodeId source : e.getValue()) {
                if (!source.equals(self) && detector.isAvailable(source)) {
                    antiEntropy.exchange(e.getKey(), source);
                    break;
                }
            }
        }
        if (!incoming.isEmpty()) {
            timer = scheduler.schedule(retryNanos, this::pull);
        }
    }

    private void inSync(final int partition, final NodeId peer) {
        final List<NodeId> sources = incoming.get(partition);
        if (sources != null && sources.contains(peer)) {
            incoming.remove(partition);
            if (incoming.isEmpty() && timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }
}
