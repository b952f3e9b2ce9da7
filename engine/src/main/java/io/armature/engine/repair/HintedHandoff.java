package io.armature.engine.repair;

import io.armature.engine.config.RepairSettings;
import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.Membership;
import io.armature.engine.replica.ObjectTooLargeException;
import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.versioning.VersionCodecException;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Clock;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hinted handoff delivery (Dynamo section 4.6, docs/repair.md): a stand-in hands the hints it
 * holds back to their owner once the failure detector sees the owner available, at a bounded rate,
 * and deletes each hint only after the owner acknowledged storing exactly that set. Hints live in
 * the HINTS keyspace, so delivery resumes after a restart of the stand-in.
 *
 * <p>A hint whose owner is no longer a replica of its key under the ring this node holds (the
 * owner was decommissioned, or a join or leave moved the partition) would wait for that owner
 * forever; it goes to the key's current preference list instead, as a replica write of the stored
 * set (idempotent by DVV merge), and is deleted once W of those replicas acknowledged it. Event
 * loop only.
 */
public final class HintedHandoff {
    /** Meter names. */
    public static final String PENDING = "armature.hints.pending";
    /** Hints the owner acknowledged. */
    public static final String DELIVERED = "armature.hints.delivered";
    /** Deliveries that could not be sent or were not acknowledged in time. */
    public static final String FAILED = "armature.hints.failed";

    private static final System.Logger LOG = System.getLogger(HintedHandoff.class.getName());
    private static final byte VERSION = 1;
    private static final int MAX_HINT_KEY = 1 + 64 + 2 + 8 + HintKey.MAX_KEY_BYTES;

    /** How the handoff reaches other nodes. */
    public interface Outbound {
        /**
         * @param to the receiver
         * @param message the body
         * @return true if sent
         */
        boolean send(Endpoint to, Message message);
    }

    private final NodeId self;
    private final ReplicaStore store;
    private final Membership membership;
    private final FailureDetector detector;
    private final Outbound out;
    private final Scheduler scheduler;
    private final Clock clock;
    private final RepairSettings settings;
    private final TokenBucket bucket;
    private final long ackTimeoutNanos;
    private final int n;
    private final int w;

    /**
     * A delivery awaiting acks: to the owner ({@code direct}, one ack needed) or re-routed to the
     * key's current replicas ({@code needed} of {@code targets} must ack the same digest).
     */
    private record InFlight(NodeId owner, boolean direct, long sentNanos, long digest, Set<NodeId> targets,
                            Set<NodeId> acked, int needed) {
    }

    /** What a send did: go on with the next hint, stop sending to this owner this round, or stop the round (rate or window). */
    private enum Outcome { NEXT, STOP_OWNER, STOP_ROUND }

    /** Hint keys awaiting an ack. */
    private final Map<ByteBuffer, InFlight> inFlight = new HashMap<>();
    private final AtomicLong pending = new AtomicLong();
    /** Owners with hints whose last delivery was skipped or failed. */
    private final java.util.Set<NodeId> waiting = new java.util.HashSet<>();
    private final Counter delivered;
    private final Counter failed;
    /** Per owner, the partitions it replicates under {@link #cachedRing} (null: not a member). */
    private final Map<NodeId, boolean[]> replicaOf = new HashMap<>();
    private Ring cachedRing;
    private Cancellable periodic;
    private Cancellable retry;
    private boolean running;

    /**
     * @param self this node
     * @param store where the hints are
     * @param membership the ring and endpoints
     * @param detector who is available
     * @param out how to send
     * @param scheduler the node's event loop
     * @param clock the node's clock
     * @param settings period and rate
     * @param ackTimeoutNanos how long a delivery may wait for its ack
     * @param n replicas per key (the preference list a re-routed hint goes to)
     * @param w acks a re-routed hint needs from that list before it is deleted
     * @param meters where to register the meters
     */
    public HintedHandoff(final NodeId self, final ReplicaStore store, final Membership membership, final FailureDetector detector,
                         final Outbound out, final Scheduler scheduler, final Clock clock, final RepairSettings settings,
                         final long ackTimeoutNanos, final int n, final int w, final MeterRegistry meters) {
        this.self = self;
        this.store = store;
        this.membership = membership;
        this.detector = detector;
        this.out = out;
        this.scheduler = scheduler;
        this.clock = clock;
        this.settings = settings;
        this.ackTimeoutNanos = ackTimeoutNanos;
        if (n < 1 || w < 1) {
            throw new IllegalArgumentException("hinted handoff needs n >= 1 and w >= 1, was n=" + n + ", w=" + w);
        }
        this.n = n;
        this.w = w;
        this.bucket = new TokenBucket(clock, settings.hintBytesPerSecond(), settings.hintBurstBytes());
        this.delivered = Counter.builder(DELIVERED).tag("node", self.value()).register(meters);
        this.failed = Counter.builder(FAILED).tag("node", self.value()).register(meters);
        // A restarted node registers again: drop the old life's gauge, which reads a dead object.
        final Meter old = meters.find(PENDING).tag("node", self.value()).gauge();
        if (old != null) {
            meters.remove(old);
        }
        Gauge.builder(PENDING, pending, AtomicLong::get).tag("node", self.value()).strongReference(true).register(meters);
    }

    /** Counts the hints kept from a previous run and starts the periodic delivery. */
    public void start() {
        running = true;
        pending.set(store.pendingHints());
        tick();
    }

    // One-shot timers re-armed each period rather than schedulePeriodic: every Scheduler has them.
    private void tick() {
        periodic = scheduler.schedule(settings.hintPeriod().toNanos(), () -> {
            if (running) {
                round();
                tick();
            }
        });
    }

    /** Stops delivering; hints stay in storage. */
    public void stop() {
        running = false;
        if (periodic != null) {
            periodic.cancel();
        }
        if (retry != null) {
            retry.cancel();
        }
    }

    /** @return hints held for other nodes */
    public long pending() {
        return pending.get();
    }

    /**
     * Direct news from a node: if a delivery to it failed or was skipped since, try again now
     * rather than at the next period (a successful exchange shows the owner is back).
     *
     * @param node the sender of a message just received
     */
    public void heard(final NodeId node) {
        if (running && waiting.remove(node) && pending.get() > 0) {
            scheduleRetry(0);
        }
    }

    /** Notes a hint stored for another node (the gauge). */
    public void stored() {
        pending.set(store.pendingHints());
    }

    /**
     * One delivery round: every available owner with hints gets them, within the window and the
     * rate; a suspected owner gets one hint as a probe, whose ack (direct news) clears the
     * suspicion and lets the rest follow at once, so a recovered owner is served within a period
     * whatever the detector still believes. Hints whose owner no longer replicates their key go to
     * the key's current replicas, whatever the owner's state (it may be gone for good).
     */
    public void round() {
        if (!running) {
            return;
        }
        expire();
        if (pending.get() == 0) {
            return;
        }
        final Ring ring = membership.ring();
        // The owners come from the hints themselves, not from the ring: a node that left the ring
        // still has hints here, and they must be re-routed rather than stranded.
        for (final NodeId owner : store.hintOwners()) {
            if (!deliver(owner, ring)) {
                return;
            }
        }
    }

    /** @return false when the window or the rate stops this round */
    private boolean deliver(final NodeId owner, final Ring ring) {
        final int room = settings.hintWindow() - inFlight.size();
        if (room <= 0) {
            return false;
        }
        final boolean[] replicated = owner.equals(self) ? null : replicated(owner, ring);
        final Endpoint to = replicated == null ? null : membership.endpointOf(owner);
        int ownerRoom = 0;
        if (to != null) {
            if (detector.isAvailable(owner)) {
                ownerRoom = room;
            } else {
                waiting.add(owner);
                ownerRoom = inFlight.values().stream().anyMatch(f -> f.direct() && f.owner().equals(owner)) ? 0 : 1;
            }
        }
        final List<Hint> batch = HintSelection.select(store, inFlight.keySet(), owner, replicated, ownerRoom, room);
        boolean toOwner = true;
        for (final Hint hint : batch) {
            if (hint.direct() && !toOwner) {
                continue;
            }
            final Outcome outcome = hint.direct() ? sendToOwner(owner, to, hint) : reroute(owner, ring, hint);
            if (outcome == Outcome.STOP_ROUND) {
                return false;
            }
            toOwner &= outcome != Outcome.STOP_OWNER;
        }
        return true;
    }

    /** One hint: its storage key, its encoded set, and whether it goes to its owner. */
    record Hint(byte[] key, byte[] set, boolean direct) {
    }

    private Outcome sendToOwner(final NodeId owner, final Endpoint to, final Hint hint) {
        final byte[] body = deliveryBody(hint.key(), hint.set());
        final long cost = Math.min(body.length, bucket.capacity());
        if (!bucket.tryAcquire(cost)) {
            scheduleRetry(bucket.nanosUntilAvailable(cost));
            return Outcome.STOP_ROUND;
        }
        if (!out.send(to, new Message.Opaque(MessageType.HINT_DELIVERY, body))) {
            failed.increment();
            waiting.add(owner);
            return Outcome.STOP_OWNER;
        }
        inFlight.put(ByteBuffer.wrap(hint.key()), new InFlight(owner, true, clock.nanoTime(), Digests.ofVersionSet(hint.set()),
            Set.of(owner), new HashSet<>(), 1));
        return Outcome.NEXT;
    }

    /**
     * Sends a hint whose owner no longer replicates its key to the key's current preference list
     * (merged here at once if this node is on it).
     *
     * <p>Why W acks of that list before the hint goes: the write it carries was acknowledged to its
     * client counting the hint as one of W copies, and its intended home is gone. Deleting it after
     * one ack could leave a single copy of a write the client was told W nodes hold (that one ack may
     * come from the replica that had it already); waiting for all N would keep it pending for as long
     * as any one current replica is down. W acks give the write the durability of a fresh write at W;
     * read repair and anti-entropy bring it to the other replicas, as for any write.
     */
    private Outcome reroute(final NodeId owner, final Ring ring, final Hint hint) {
        final HintKey key;
        final VersionSet set;
        try {
            key = HintKey.decode(hint.key());
            set = VersionSet.decode(hint.set());
        } catch (final RepairCodecException | VersionCodecException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot read a hint for {1}, kept: {2}", self, owner, e.getMessage());
            return Outcome.NEXT;
        }
        if (key.partition() >= ring.partitionCount()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} is beyond the ring's {2} partitions, kept", self, key, ring.partitionCount());
            return Outcome.NEXT;
        }
        final List<NodeId> replicas = ring.preferenceList(key.partition(), n);
        final int needed = Math.min(w, replicas.size());
        final List<Endpoint> remote = new ArrayList<>();
        final List<NodeId> remoteIds = new ArrayList<>();
        for (final NodeId r : replicas) {
            final Endpoint e = r.equals(self) ? null : membership.endpointOf(r);
            if (e != null) {
                remote.add(e);
                remoteIds.add(r);
            }
        }
        final byte[] body = deliveryBody(hint.key(), hint.set());
        final long cost = Math.min((long) body.length * remote.size(), bucket.capacity());
        if (cost > 0 && !bucket.tryAcquire(cost)) {
            scheduleRetry(bucket.nanosUntilAvailable(cost));
            return Outcome.STOP_ROUND;
        }
        final long digest = Digests.ofVersionSet(hint.set());
        final Set<NodeId> acked = new HashSet<>();
        if (replicas.contains(self)) {
            try {
                store.merge(key.partition(), key.key(), set);
                acked.add(self);
            } catch (final ObjectTooLargeException e) {
                // Kept: it goes once a write that resolves the key makes room (docs/design.md, "Object size").
                LOG.log(System.Logger.Level.DEBUG, "{0}: hint for {1} not merged here: {2}", self, key, e.getMessage());
            }
        }
        int sent = 0;
        // Only replicas the delivery reached may time out: a send that did not leave says nothing of its target.
        final Set<NodeId> reached = new HashSet<>();
        for (int i = 0; i < remote.size(); i++) {
            if (out.send(remote.get(i), new Message.Opaque(MessageType.HINT_DELIVERY, body))) {
                sent++;
                reached.add(remoteIds.get(i));
            } else {
                waiting.add(remoteIds.get(i));
            }
        }
        if (acked.size() >= needed) {
            complete(hint.key(), digest);
        } else if (sent == 0) {
            failed.increment();
        } else {
            if (replicas.contains(self)) {
                reached.add(self);
            }
            inFlight.put(ByteBuffer.wrap(hint.key()), new InFlight(owner, false, clock.nanoTime(), digest, Set.copyOf(reached),
                acked, needed));
        }
        return Outcome.NEXT;
    }

    /** @return the partitions owner replicates under ring, or null if it is not a member */
    private boolean[] replicated(final NodeId owner, final Ring ring) {
        if (ring != cachedRing) {
            replicaOf.clear();
            cachedRing = ring;
        }
        if (!ring.members().contains(owner)) {
            return null;
        }
        return replicaOf.computeIfAbsent(owner, o -> {
            final boolean[] r = new boolean[ring.partitionCount()];
            for (final int p : ring.partitionsReplicatedBy(o, n)) {
                r[p] = true;
            }
            return r;
        });
    }

    private void complete(final byte[] hintKey, final long digest) {
        if (store.deleteHintIf(hintKey, digest, Digests::ofVersionSet)) {
            delivered.increment();
            pending.set(store.pendingHints());
        }
    }

    private void scheduleRetry(final long delayNanos) {
        if (retry == null) {
            retry = scheduler.schedule(Math.max(1, delayNanos), () -> {
                retry = null;
                round();
            });
        }
    }

    private void expire() {
        final long now = clock.nanoTime();
        final var it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            final var e = it.next();
            final InFlight f = e.getValue();
            if (now - f.sentNanos() >= ackTimeoutNanos) {
                it.remove();
                failed.increment();
                for (final NodeId t : f.targets()) {
                    if (!t.equals(self) && !f.acked().contains(t)) {
                        waiting.add(t);
                        detector.timedOut(t);
                    }
                }
            }
        }
    }

    /**
     * The receiver's side: the hint's owner, or a current replica of its key (a re-routed hint),
     * merges the hinted set into its own data and acknowledges it.
     *
     * @param frame a HINT_DELIVERY frame
     * @param merge stores a set as this node's own (the replica write path)
     */
    public void onDelivery(final Frame frame, final Merge merge) {
        final ByteBuffer b = ByteBuffer.wrap(((Message.Opaque) frame.message()).body());
        final byte[] hk = readKey(b, "hint delivery");
        final byte[] set = new byte[b.remaining()];
        b.get(set);
        final HintKey key = HintKey.decode(hk);
        final Ring ring = membership.ring();
        if (key.partition() >= ring.partitionCount()) {
            throw new IllegalArgumentException("hint partition " + key.partition() + " beyond the ring");
        }
        if (!key.owner().equals(self) && !ring.preferenceList(key.partition(), n).contains(self)) {
            // The sender holds a newer (or older) ring: no ack, so it keeps the hint and asks again.
            throw new IllegalArgumentException("hint for " + key.owner() + " delivered to " + self
                + ", which neither is its owner nor replicates partition " + key.partition() + " at ring epoch " + ring.epoch());
        }
        merge.merge(key.partition(), key.key(), VersionSet.decode(set));
        final ByteBuffer ack = ByteBuffer.allocate(1 + 4 + hk.length + 8);
        ack.put(VERSION).putInt(hk.length).put(hk).putLong(Digests.ofVersionSet(set));
        out.send(frame.replyTo(), new Message.Opaque(MessageType.HINT_ACK, ack.array()));
    }

    /**
     * The stand-in's side: the owner stored the hint, so it may go; a re-routed hint goes once
     * enough current replicas stored it.
     *
     * @param frame a HINT_ACK frame
     */
    public void onAck(final Frame frame) {
        final ByteBuffer b = ByteBuffer.wrap(((Message.Opaque) frame.message()).body());
        final byte[] hk = readKey(b, "hint ack");
        if (b.remaining() != 8) {
            throw new RepairCodecException("hint ack: " + b.remaining() + " bytes after the key, expected 8");
        }
        final long digest = b.getLong();
        final NodeId from = frame.sender().isEmpty() ? null : new NodeId(frame.sender());
        final ByteBuffer wrapped = ByteBuffer.wrap(hk);
        final InFlight f = inFlight.get(wrapped);
        if (f == null) {
            // A late ack from the owner, still a replica of the key, stored exactly this set; a late
            // ack of a re-routed hint cannot tell whether W replicas hold it, so that hint waits.
            final HintKey key = HintKey.decode(hk);
            final Ring ring = membership.ring();
            final boolean[] replicated = replicated(key.owner(), ring);
            if (key.owner().equals(from) && replicated != null && key.partition() < replicated.length
                && replicated[key.partition()]) {
                complete(hk, digest);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "{0}: late or unknown hint ack from {1}", self, from);
            }
        } else if (from != null && f.targets().contains(from) && digest == f.digest()) {
            f.acked().add(from);
            if (f.acked().size() >= f.needed()) {
                inFlight.remove(wrapped);
                complete(hk, digest);
            }
        }
        if (inFlight.size() <= settings.hintWindow() / 2 && pending.get() > inFlight.size() && running) {
            // Half the window drained: refill it at the bucket's pace rather than waiting a period.
            scheduleRetry(0);
        }
    }

    private static byte[] readKey(final ByteBuffer b, final String what) {
        if (b.remaining() < 5 || b.get() != VERSION) {
            throw new RepairCodecException(what + ": too short or unknown version");
        }
        final int n = b.getInt();
        if (n < 1 || n > MAX_HINT_KEY || n > b.remaining()) {
            throw new RepairCodecException(what + ": key length " + n + " does not fit " + b.remaining() + " bytes");
        }
        final byte[] hk = new byte[n];
        b.get(hk);
        return hk;
    }

    private static byte[] deliveryBody(final byte[] hintKey, final byte[] set) {
        return ByteBuffer.allocate(1 + 4 + hintKey.length + set.length).put(VERSION).putInt(hintKey.length).put(hintKey)
            .put(set).array();
    }

    /** The replica write path the owner merges a delivered hint through. */
    @FunctionalInterface
    public interface Merge {
        /**
         * @param partition the key's partition
         * @param key the client key
         * @param set the hinted set
         */
        void merge(int partition, byte[] key, VersionSet set);
    }
}
