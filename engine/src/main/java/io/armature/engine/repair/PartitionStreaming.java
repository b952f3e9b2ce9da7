package io.armature.engine.repair;

import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.Membership;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.storage.Keyspace;
import io.armature.engine.replica.ReplicaStore;
import io.armature.spi.transport.Endpoint;
import io.armature.engine.versioning.VersionSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Moves partitions after a ring change (docs/repair.md, "Join and leave").
 *
 * <p>Gain: each partition this node gains is pulled by running the anti-entropy exchange against
 * one of its old replicas with the (initially empty) tree, so the copy is rate-limited by the
 * anti-entropy bucket and resumable; each retry asks the next available old replica, so one
 * that does not answer cannot stall the copy. The copy is done when an exchange with an old
 * replica ends in sync; then this node tells every ring member and every old replica (HANDOFF,
 * resent every retry period until each answers HANDOFF_ACK).
 *
 * <p>Loss: this node keeps serving a partition it lost (its copy is a source, and coordinators
 * read the old replicas while it moves) until it knows every gainer holds it, from their HANDOFF
 * notices ({@link PendingPartitions}); only then does it drop its records of the partition (one
 * keyspace drop) and its Merkle tree. A record that lands in a dropped partition afterwards (a
 * write from a coordinator that had not heard yet) is dropped again by the next sweep: by then
 * the write also reached W of the new replicas (the coordinator wrote to old and new alike).
 * <p>Restart: every change to the pending moves, the unacknowledged notices or the dropped
 * partitions is written to META ({@link StreamingState}) before the handler returns, and
 * {@link #restore} reads it back before the node takes traffic, so a restarted gainer resumes
 * pulling and announcing and a restarted loser still drops only after the gainers' notices.
 * Event loop only.
 */
public final class PartitionStreaming {
    private static final System.Logger LOG = System.getLogger(PartitionStreaming.class.getName());

    private final NodeId self;
    private final AntiEntropy antiEntropy;
    private final FailureDetector detector;
    private final Membership membership;
    private final ReplicaStore store;
    private final HintedHandoff.Outbound out;
    private final Scheduler scheduler;
    private final long retryNanos;
    private final int n;
    private final PendingPartitions pending = new PendingPartitions();
    /** Pull attempts per gained partition: picks the next old replica on each retry. */
    private final Map<Integer, Integer> attempts = new HashMap<>();
    /** HANDOFF notices not yet acknowledged: receiver, then partition, then the epoch of the notice. */
    private final Map<NodeId, Map<Integer, Long>> unacked = new TreeMap<>();
    /** Partitions this node dropped and does not replicate: swept again if a late record lands. */
    private final Set<Integer> dropped = new TreeSet<>();
    private Cancellable timer;
    private boolean flushScheduled;
    /** The moves, notices or dropped set changed since they were last written to META. */
    private boolean dirty;
    /** The ring epoch of the last plan this run made or restored (0: none). */
    private long plannedEpoch;
    private long settledEpoch;
    /** Told when a dropped partition left hints (hinted handoff then delivers them). */
    private Runnable hinted = () -> { };
    private java.util.function.Supplier<io.armature.engine.membership.MembershipView> gossip =
        io.armature.engine.membership.MembershipView::empty;

    /**
     * @param self this node
     * @param antiEntropy the exchange to pull with (its streaming hooks are taken)
     * @param detector who is available as a source
     * @param membership the ring this node holds, and endpoints
     * @param store the node's replica (a lost partition is dropped there)
     * @param out sends HANDOFF and HANDOFF_ACK
     * @param scheduler the event loop
     * @param retryNanos how long to wait before asking a source again, or resending a notice
     * @param n replicas per key
     */
    public PartitionStreaming(final NodeId self, final AntiEntropy antiEntropy, final FailureDetector detector,
                              final Membership membership, final ReplicaStore store, final HintedHandoff.Outbound out,
                              final Scheduler scheduler, final long retryNanos, final int n) {
        this.self = self;
        this.antiEntropy = antiEntropy;
        this.detector = detector;
        this.membership = membership;
        this.store = store;
        this.out = out;
        this.scheduler = scheduler;
        this.retryNanos = retryNanos;
        this.n = n;
        antiEntropy.streaming(p -> {
            final PendingPartitions.Move m = pending.get(p);
            return m != null && m.from().contains(self);
        }, this::inSync);
    }

    /**
     * Plans and starts the moves of a ring change.
     *
     * @param before the ring the data is placed by
     * @param after the ring being installed
     */
    public void begin(final Ring before, final Ring after) {
        final List<PendingPartitions.Settled> settled = pending.change(after.partitionCount(), p -> before.preferenceList(p, n),
            p -> after.preferenceList(p, n), after.epoch());
        dropped.removeIf(p -> after.preferenceList(p, n).contains(self));
        plannedEpoch = Math.max(plannedEpoch, after.epoch());
        for (final PendingPartitions.Settled s : settled) {
            settle(s);
        }
        dirty = true;
        persist();
        tick();
    }

    /**
     * Reads back the moves a previous run of this node persisted. Call at start, before the node
     * takes traffic (coordinators route by the pending moves); the first retry runs once the
     * current task (the node's start) is done.
     */
    public void restore() {
        final byte[] raw = store.loadPending();
        if (raw == null) {
            return;
        }
        final Ring ring = membership.ring();
        final StreamingState state;
        try {
            state = StreamingState.decode(raw);
            if (state.epoch() != ring.epoch()) {
                throw new RepairCodecException("streaming state: planned at ring epoch " + state.epoch()
                    + ", the node holds epoch " + ring.epoch());
            }
            final TreeSet<Integer> named = new TreeSet<>(state.moves().keySet());
            named.addAll(state.dropped());
            state.unacked().values().forEach(m -> named.addAll(m.keySet()));
            if (!named.isEmpty() && named.last() >= ring.partitionCount()) {
                throw new RepairCodecException("streaming state: partition " + named.last()
                    + " beyond the ring's " + ring.partitionCount());
            }
        } catch (final RepairCodecException e) {
            // Fall back to what the ring alone tells: nothing pending here. Safe for the data:
            // this node drops a partition only when one of its own moves settles (and sweeps only
            // partitions it remembers dropping), so with no moves it keeps every copy it holds;
            // the other nodes still hold their own moves, so they keep writing to old and new
            // replicas and their losers keep their copies until notified. What may be lost is
            // progress: if this node was a gainer its notice never comes (anti-entropy still
            // fills its copy), and as a loser it keeps its copies; the next ring change rewrites
            // the record.
            LOG.log(System.Logger.Level.WARNING, "{0}: the persisted partition moves are unreadable, continuing with the ring "
                + "alone (nothing pending, nothing dropped): {1}", self, e.getMessage());
            return;
        }
        pending.restore(state.moves());
        plannedEpoch = state.epoch();
        unacked.clear();
        state.unacked().forEach((node, m) -> unacked.put(node, new TreeMap<>(m)));
        dropped.clear();
        dropped.addAll(state.dropped());
        LOG.log(System.Logger.Level.INFO, "{0}: resuming {1} pending partitions, {2} unacknowledged notices", self,
            pending.partitions().size(), unacknowledged());
        scheduler.execute(this::tick);
    }

    /** Writes the state to META if it changed: it changes rarely (a ring change, a notice, an ack). */
    private void persist() {
        if (!dirty) {
            return;
        }
        dirty = false;
        if (pending.isEmpty() && unacked.isEmpty() && dropped.isEmpty()) {
            store.savePending(null);
            return;
        }
        store.savePending(new StreamingState(membership.ring().epoch(), pending.moves(), unacked, dropped).encode());
    }

    /** @return the partitions still moving, as this node knows them (coordinators route by it) */
    public PendingPartitions pendingPartitions() {
        return pending;
    }

    /**
     * @param view the gossip view, from which {@link #learn} reads the gainers' settled epochs
     */
    public void gossip(final java.util.function.Supplier<io.armature.engine.membership.MembershipView> view) {
        this.gossip = view;
    }

    /**
     * @return the highest ring epoch of this run at which this node held every partition it
     *     gained under a plan it made or restored (0 before any): what it gossips as
     *     {@link io.armature.engine.membership.MemberState#settledEpoch}. A node that lost its
     *     record of the moves claims nothing for them, so no loser drops on its word.
     */
    public long settledEpoch() {
        if (plannedEpoch > 0 && pending.awaitedBy(self).isEmpty()) {
            settledEpoch = Math.max(settledEpoch, plannedEpoch);
        }
        return settledEpoch;
    }

    /**
     * Confirms from gossip what a HANDOFF notice would have: a gainer that gossips a settled
     * epoch equal to this node's ring epoch holds every partition it gains in this ring (a
     * notice can be lost for good, for example when the gainer dropped it because this node
     * seemed gone). Runs every retry period while something is pending.
     */
    void learn() {
        final long epoch = membership.ring().epoch();
        final io.armature.engine.membership.MembershipView view = gossip.get();
        for (final Map.Entry<Integer, PendingPartitions.Move> e : List.copyOf(pending.moves().entrySet())) {
            for (final Map.Entry<NodeId, Long> w : List.copyOf(e.getValue().waiting().entrySet())) {
                final io.armature.engine.membership.MemberState g = w.getKey().equals(self) ? null : view.get(w.getKey());
                if (g != null && g.settledEpoch() == epoch && g.ringEpoch() == epoch && w.getValue() <= epoch) {
                    final PendingPartitions.Settled s = pending.confirm(e.getKey(), w.getKey(), w.getValue());
                    if (s != null) {
                        settle(s);
                    }
                    dirty = true;
                }
            }
        }
    }

    /** @return partitions this node still has to pull */
    public int pending() {
        return pending.awaitedBy(self).size();
    }

    /** @return partitions this node lost and still holds, waiting for their gainers to hold them */
    public int releasing() {
        return pending.lostBy(self).size();
    }

    /** @return HANDOFF notices this node sent that are not acknowledged yet */
    public int unacknowledged() {
        int count = 0;
        for (final Map<Integer, Long> m : unacked.values()) {
            count += m.size();
        }
        return count;
    }

    /** Stops the retries. */
    public void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void tick() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        learn();
        pull();
        flush();
        sweep();
        persist();
        if (!pending.isEmpty() || !unacked.isEmpty() || !dropped.isEmpty()) {
            timer = scheduler.schedule(retryNanos, this::tick);
        }
    }

    private void pull() {
        for (final int p : pending.awaitedBy(self)) {
            final List<NodeId> sources = new ArrayList<>();
            for (final NodeId s : pending.get(p).from()) {
                if (!s.equals(self) && detector.isAvailable(s)) {
                    sources.add(s);
                }
            }
            if (!sources.isEmpty()) {
                final int attempt = attempts.merge(p, 1, Integer::sum) - 1;
                antiEntropy.exchange(p, sources.get(attempt % sources.size()));
            }
        }
    }

    private void inSync(final int partition, final NodeId peer) {
        final PendingPartitions.Move m = pending.get(partition);
        if (m == null || !m.waiting().containsKey(self) || !m.from().contains(peer)) {
            return;
        }
        attempts.remove(partition);
        final long epoch = membership.ring().epoch();
        final Set<NodeId> tell = new LinkedHashSet<>(membership.ring().members());
        tell.addAll(m.from());
        tell.remove(self);
        for (final NodeId node : tell) {
            unacked.computeIfAbsent(node, k -> new TreeMap<>()).put(partition, epoch);
        }
        final PendingPartitions.Settled s = pending.confirm(partition, self, epoch);
        if (s != null) {
            settle(s);
        }
        dirty = true;
        persist();
        if (!flushScheduled) {
            // Batched: an exchange round often completes several partitions at once.
            flushScheduled = true;
            scheduler.execute(() -> {
                flushScheduled = false;
                flush();
                if (timer == null) {
                    tick();
                }
            });
        }
    }

    /** Sends every unacknowledged notice, one message per receiver and epoch. */
    private void flush() {
        final Ring ring = membership.ring();
        for (final var it = unacked.entrySet().iterator(); it.hasNext();) {
            final Map.Entry<NodeId, Map<Integer, Long>> e = it.next();
            final NodeId to = e.getKey();
            final boolean member = ring.members().contains(to);
            final Endpoint endpoint = membership.endpointOf(to);
            if (!detector.isAvailable(to) || endpoint == null) {
                if (!member) {
                    // Gone for good (left the ring and no longer answers): nobody there to tell.
                    it.remove();
                    dirty = true;
                }
                continue;
            }
            final Map<Long, List<Integer>> byEpoch = new TreeMap<>();
            e.getValue().forEach((p, epoch) -> byEpoch.computeIfAbsent(epoch, k -> new ArrayList<>()).add(p));
            byEpoch.forEach((epoch, parts) -> {
                for (int from = 0; from < parts.size(); from += HandoffNotice.MAX_PARTITIONS) {
                    final int[] chunk = parts.subList(from, Math.min(parts.size(), from + HandoffNotice.MAX_PARTITIONS))
                        .stream().mapToInt(Integer::intValue).toArray();
                    out.send(endpoint, new Message.Opaque(MessageType.HANDOFF, new HandoffNotice(epoch, chunk).encode()));
                }
            });
        }
    }

    /**
     * HANDOFF: a gainer holds some partitions. Applied (and acknowledged) only once this node
     * holds a ring at least as new as the gainer's, so that it knows the move being confirmed.
     *
     * @param frame the frame
     * @throws RepairCodecException if the body is malformed
     */
    public void onHandoff(final Frame frame) {
        final byte[] body = ((Message.Opaque) frame.message()).body();
        final HandoffNotice notice = HandoffNotice.decode(body);
        if (frame.sender().isEmpty() || membership.ring().epoch() < notice.epoch()) {
            return;
        }
        final NodeId gainer = new NodeId(frame.sender());
        for (final int p : notice.partitions()) {
            final PendingPartitions.Move before = pending.get(p);
            final PendingPartitions.Settled s = pending.confirm(p, gainer, notice.epoch());
            if (s != null) {
                settle(s);
            }
            dirty |= pending.get(p) != before;
        }
        // Persisted before the ack: a gainer stops telling a node once it acknowledged.
        persist();
        out.send(frame.replyTo(), new Message.Opaque(MessageType.HANDOFF_ACK, body));
    }

    /**
     * HANDOFF_ACK: the receiver applied a notice.
     *
     * @param frame the frame
     * @throws RepairCodecException if the body is malformed
     */
    public void onHandoffAck(final Frame frame) {
        final HandoffNotice notice = HandoffNotice.decode(((Message.Opaque) frame.message()).body());
        if (frame.sender().isEmpty()) {
            return;
        }
        final NodeId from = new NodeId(frame.sender());
        final Map<Integer, Long> waiting = unacked.get(from);
        if (waiting == null) {
            return;
        }
        for (final int p : notice.partitions()) {
            dirty |= waiting.remove(p, notice.epoch());
        }
        if (waiting.isEmpty()) {
            unacked.remove(from);
        }
        persist();
    }

    private void settle(final PendingPartitions.Settled s) {
        attempts.remove(s.partition());
        if (s.move().loses(self)) {
            drop(s.partition(), s.move().gainers());
        }
    }

    private void drop(final int partition, final java.util.Collection<NodeId> gainers) {
        if (membership.ring().preferenceList(partition, n).contains(self)) {
            return;
        }
        handOver(partition, gainers);
        store.dropPartition(partition);
        antiEntropy.forget(partition);
        dirty |= dropped.add(partition);
        LOG.log(System.Logger.Level.DEBUG, "{0}: dropped partition {1}, its new replicas hold it", self, partition);
    }

    /**
     * Keeps what a dropped partition holds as hints for some of its current replicas (the
     * gainers, which just said they hold it; any current replica for a late record), which hinted
     * handoff delivers (acknowledged, retried, persisted). A gainer's HANDOFF says only that it
     * pulled the partition from one old replica: a write this node took alone after that pull (from
     * a coordinator that had not heard of the ring change, W=1, the other old replicas cut off)
     * is on no new replica, and a plain drop loses it. Anti-entropy spreads it from the gainer to
     * the other replicas; the hints also hold a tombstone purge of those keys back until delivered.
     */
    private void handOver(final int partition, final java.util.Collection<NodeId> owners) {
        final List<byte[][]> records = new ArrayList<>();
        store.storage().scan(Keyspace.partition(partition), null, null, (k, v) -> {
            records.add(new byte[][] {Arrays.copyOfRange(k, 8, k.length), v});
            return true;
        });
        for (final byte[][] r : records) {
            final VersionSet set = VersionSet.decode(r[1]);
            for (final NodeId owner : owners) {
                if (!owner.equals(self)) {
                    store.storeHint(owner, partition, r[0], set);
                }
            }
        }
        if (!records.isEmpty()) {
            hinted.run();
        }
    }

    /**
     * @param onHints told after a dropped partition's records were kept as hints
     */
    public void onHints(final Runnable onHints) {
        this.hinted = java.util.Objects.requireNonNull(onHints, "onHints");
    }

    /** Drops again each dropped partition that received a late record (also run by the retry timer). */
    public void sweep() {
        for (final int p : List.copyOf(dropped)) {
            final PendingPartitions.Move m = pending.get(p);
            if (m != null && m.from().contains(self)) {
                continue;
            }
            final boolean[] any = {false};
            store.storage().scan(Keyspace.partition(p), null, null, (k, v) -> {
                any[0] = true;
                return false;
            });
            if (any[0]) {
                handOver(p, membership.ring().preferenceList(p, n));
                store.dropPartition(p);
                antiEntropy.forget(p);
            }
        }
    }
}
