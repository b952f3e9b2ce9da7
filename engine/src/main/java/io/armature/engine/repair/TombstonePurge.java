package io.armature.engine.repair;

import io.armature.engine.faults.FaultInjection;
import io.armature.engine.membership.Membership;
import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.runtime.Clock;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coordinated tombstone purge (docs/repair.md, "Tombstone purge"). The first node of a key's
 * preference list sweeps its partition; for each tombstone-only record past the grace it asks every
 * ring member for its digest of the key and for what it holds that could still bring an older
 * value back (CHECK), and only when every replica holds exactly its own set, and no member (this
 * one included) holds a hint for the key, has a push of it queued or just sent by anti-entropy, or
 * knows of a pending move of the partition, does {@link TombstonePurgePolicy} allow the purge: it
 * then asks each replica to delete the key if its digest is still that one and nothing holds it
 * back there either (DELETE) and deletes its own copy the same way. A member that does not answer
 * (a cut-off stand-in may hold a hint) keeps the tombstone: Riak's rule that a tombstone is reaped
 * only when all primaries hold it and no fallback is in use, extended to what this node can ask.
 * A replica that misses the DELETE keeps the tombstone, which the next sweep purges. Event loop
 * only.
 *
 * <p>Wire format, version 2: {@code version:u8 kind:u8 partition:u16 digest:u64 [holds:u8] recordKey},
 * {@code holds} only in a DIGEST answer (bits of {@link #HOLDS_HINT}, {@link #HOLDS_PUSH},
 * {@link #HOLDS_MOVE}, {@link #HOLDS_WRITE}; a peer that knows fewer bits still keeps the tombstone for any). Version 1 peers asked only the preference list; their messages are refused,
 * so a mixed cluster keeps its tombstones rather than purge unsafely.
 */
public final class TombstonePurge {
    /** Records this node purged. */
    public static final String PURGED = "armature.tombstones.purged";

    /** A DIGEST answer's bit: the member holds a hint for the key (for any owner). */
    public static final int HOLDS_HINT = 1;
    /** A DIGEST answer's bit: the member's anti-entropy has a push of the key queued or just sent. */
    public static final int HOLDS_PUSH = 2;
    /** A DIGEST answer's bit: the member knows of a pending move of the partition. */
    public static final int HOLDS_MOVE = 4;
    /** A DIGEST answer's bit: the member coordinates a put of the key whose copies may still be on their way. */
    public static final int HOLDS_WRITE = 8;

    /** Records one sweep looks at, at most: the sweep runs on the event loop. */
    static final int SWEEP_BATCH = 1024;
    /** Records the sweeps look at per second, at most, over every partition. */
    static final int SWEEP_RECORDS_PER_SECOND = 4096;
    /** Checks awaiting answers, at most: a sweep stops at a candidate beyond it and resumes there. */
    static final int MAX_PENDING = 4096;
    /** A check unanswered this long is dropped (its record is checked again in the next pass). */
    static final long CHECK_TIMEOUT_NANOS = 10_000_000_000L;

    private static final System.Logger LOG = System.getLogger(TombstonePurge.class.getName());
    private static final byte VERSION = 2;
    private static final byte CHECK = 0;
    private static final byte DELETE = 1;
    private static final byte DIGEST = 2;

    private record Pending(int partition, byte[] key, long digest, long newestMillis, Map<NodeId, Long> acks,
                           Map<NodeId, Integer> holds, long checkedNanos) {
    }

    /** What this node holds that could bring an older version of a record back after a purge. */
    @FunctionalInterface
    public interface Holds {
        /**
         * @param partition the record's partition
         * @param recordKey the record's storage key ({@code hash64 ++ key})
         * @return bits of {@link #HOLDS_HINT}, {@link #HOLDS_PUSH}, {@link #HOLDS_MOVE}, {@link #HOLDS_WRITE}; 0 if nothing
         */
        int of(int partition, byte[] recordKey);
    }

    private final NodeId self;
    private final ReplicaStore store;
    private final Membership membership;
    private final HintedHandoff.Outbound out;
    private final Clock clock;
    private final TombstonePurgePolicy policy;
    private final int n;
    private final Counter purged;
    private final Map<ByteBuffer, Pending> pending = new HashMap<>();
    private Holds holds = (partition, recordKey) -> 0;
    /** Per partition in the middle of a pass, the record key the next sweep starts at. */
    private final Map<Integer, byte[]> cursors = new HashMap<>();
    private final TokenBucket sweepRate;
    /** The ring {@link #pending} and {@link #cursors} were last checked against. */
    private io.armature.engine.ring.Ring checkedRing;

    /**
     * @param self this node
     * @param store the replica store
     * @param membership ring and endpoints
     * @param out how to send
     * @param clock the node's clock (wall time for the grace)
     * @param policy the grace
     * @param n replicas per key
     * @param meters where to register the meter
     */
    public TombstonePurge(final NodeId self, final ReplicaStore store, final Membership membership, final HintedHandoff.Outbound out,
                          final Clock clock, final TombstonePurgePolicy policy, final int n, final MeterRegistry meters) {
        this.self = self;
        this.store = store;
        this.membership = membership;
        this.out = out;
        this.clock = clock;
        this.policy = policy;
        this.n = n;
        this.purged = Counter.builder(PURGED).tag("node", self.value()).register(meters);
        this.sweepRate = new TokenBucket(clock, SWEEP_RECORDS_PER_SECOND, SWEEP_BATCH);
    }

    /** @return checks awaiting answers */
    public int pendingChecks() {
        return pending.size();
    }

    /**
     * After a ring change, forgets the checks and half-done passes of partitions this node no
     * longer sweeps: their answers would otherwise be kept (and acted on) forever.
     */
    private void forgetPartitionsNoLongerFirst() {
        final io.armature.engine.ring.Ring ring = membership.ring();
        if (ring == checkedRing) {
            return;
        }
        checkedRing = ring;
        final Map<Integer, Boolean> first = new HashMap<>();
        final java.util.function.IntPredicate isFirst = p -> first.computeIfAbsent(p, q -> {
            final List<NodeId> r = q < ring.partitionCount() ? ring.preferenceList(q, n) : List.of();
            return !r.isEmpty() && r.get(0).equals(self);
        });
        pending.values().removeIf(p -> !isFirst.test(p.partition()));
        cursors.keySet().removeIf(p -> !isFirst.test(p));
    }

    /**
     * @param holds what this node holds that must keep a tombstone (hints, queued pushes, moves)
     */
    public void holds(final Holds holds) {
        this.holds = holds;
    }

    private boolean ignoresHolds() {
        return store.faults().has(FaultInjection.Fault.PURGE_IGNORES_HINTS);
    }

    /** @return who must answer a check: the whole ring (only the preference list under the old behaviour) */
    private List<NodeId> asked(final List<NodeId> replicas) {
        if (ignoresHolds()) {
            return replicas;
        }
        final List<NodeId> all = new ArrayList<>(replicas);
        for (final NodeId m : membership.ring().members()) {
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        return all;
    }

    /**
     * Sweeps part of one partition if this node is its first replica: starts a digest check for
     * each tombstone-only record past the grace among at most {@link #SWEEP_BATCH} records, at
     * most {@link #SWEEP_RECORDS_PER_SECOND} over all sweeps; the next sweep of the partition
     * resumes after them. A new pass over a partition drops the checks of the previous pass that
     * got no full answer.
     *
     * @param partition the partition
     */
    public void sweep(final int partition) {
        forgetPartitionsNoLongerFirst();
        if (early()) {
            purgeAtOnce(partition);
            return;
        }
        final List<NodeId> replicas = membership.ring().preferenceList(partition, n);
        if (replicas.isEmpty() || !replicas.get(0).equals(self)) {
            return;
        }
        final long nowNanos = clock.nanoTime();
        pending.values().removeIf(p -> nowNanos - p.checkedNanos() >= CHECK_TIMEOUT_NANOS);
        final long budget = Math.min(SWEEP_BATCH, sweepRate.available());
        if (budget == 0) {
            return;
        }
        final byte[] from = cursors.remove(partition);
        if (from == null) {
            pending.values().removeIf(p -> p.partition() == partition);
        }
        final long now = clock.currentTimeMillis();
        final List<Pending> candidates = new ArrayList<>();
        final long[] seen = {0};
        final byte[][] stoppedAt = {null};
        store.storage().scan(Keyspace.partition(partition), from, null, (k, v) -> {
            if (seen[0] >= budget || pending.size() + candidates.size() >= MAX_PENDING) {
                stoppedAt[0] = k;
                return false;
            }
            seen[0]++;
            final VersionSet set = VersionSet.decode(v);
            if (set.isTombstoneOnly()) {
                long newest = Long.MIN_VALUE;
                for (final Value value : set.values()) {
                    newest = Math.max(newest, value.timestampMillis());
                }
                if (newest <= now && now - newest >= policy.graceMillis()) {
                    final Map<NodeId, Long> acks = new HashMap<>();
                    final long digest = Digests.ofVersionSet(v);
                    acks.put(self, digest);
                    final Map<NodeId, Integer> held = new HashMap<>();
                    held.put(self, holds.of(partition, k));
                    candidates.add(new Pending(partition, k, digest, newest, acks, held, clock.nanoTime()));
                }
            }
            return true;
        });
        sweepRate.tryAcquire(seen[0]);
        if (stoppedAt[0] != null) {
            cursors.put(partition, stoppedAt[0]);
        }
        final List<NodeId> asked = asked(replicas);
        for (final Pending p : candidates) {
            pending.put(ByteBuffer.wrap(p.key()), p);
            for (final NodeId r : asked) {
                if (!r.equals(self)) {
                    send(r, CHECK, p.partition(), p.digest(), 0, p.key());
                }
            }
            decide(p);
        }
    }

    /**
     * A purge message: a check to answer, a conditional delete, or an answer to a check.
     *
     * @param frame the frame
     */
    public void onMessage(final Frame frame) {
        final ByteBuffer b = ByteBuffer.wrap(((Message.Opaque) frame.message()).body());
        if (b.remaining() >= 1 && b.get(0) != VERSION) {
            throw new RepairCodecException("tombstone purge: version " + b.get(0) + " refused, this node speaks version "
                + VERSION + " (version 1 purged without asking stand-ins: upgrade every node)");
        }
        if (b.remaining() < 1 + 1 + 2 + 8 + 9) {
            throw new RepairCodecException("tombstone purge: " + b.remaining() + " bytes, too short");
        }
        b.get();
        final byte kind = b.get();
        final int partition = b.getShort() & 0xFFFF;
        final long digest = b.getLong();
        final int theirHolds = kind == DIGEST ? b.get() & 0xFF : 0;
        if (b.remaining() < 9) {
            throw new RepairCodecException("tombstone purge: record key of " + b.remaining() + " bytes, too short");
        }
        final byte[] recordKey = new byte[b.remaining()];
        b.get(recordKey);
        if (partition >= membership.ring().partitionCount()) {
            throw new IllegalArgumentException("tombstone purge: partition " + partition + " beyond the ring");
        }
        final byte[] raw = store.storage().get(Keyspace.partition(partition), recordKey);
        final long mine = raw == null ? MerkleTree.ABSENT : Digests.ofVersionSet(raw);
        if (kind == CHECK) {
            final Endpoint to = frame.replyTo();
            out.send(to, body(DIGEST, partition, mine, holds.of(partition, recordKey), recordKey));
        } else if (kind == DELETE) {
            if (raw != null && mine == digest && (ignoresHolds() || holds.of(partition, recordKey) == 0)
                && store.deleteIf(partition, recordKey, raw)) {
                purged.increment();
            }
        } else if (kind == DIGEST) {
            forgetPartitionsNoLongerFirst();
            final Pending p = pending.get(ByteBuffer.wrap(recordKey));
            if (p != null && p.partition() == partition && !frame.sender().isEmpty()) {
                final NodeId from = new NodeId(frame.sender());
                p.acks().put(from, digest);
                p.holds().put(from, theirHolds);
                decide(p);
            }
        } else {
            throw new RepairCodecException("tombstone purge: unknown kind " + kind);
        }
    }

    private void decide(final Pending p) {
        final List<NodeId> replicas = membership.ring().preferenceList(p.partition(), n);
        if (!policy.mayPurge(true, p.newestMillis(), p.digest(), replicas, p.acks(), clock.currentTimeMillis())) {
            return;
        }
        if (!ignoresHolds()) {
            for (final NodeId m : asked(replicas)) {
                final Integer h = p.holds().get(m);
                if (h == null) {
                    return;
                }
                if (h != 0) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: tombstone kept, {1} holds {2} for it", self, m, h);
                    pending.remove(ByteBuffer.wrap(p.key()));
                    return;
                }
            }
            if (holds.of(p.partition(), p.key()) != 0) {
                pending.remove(ByteBuffer.wrap(p.key()));
                return;
            }
        }
        pending.remove(ByteBuffer.wrap(p.key()));
        for (final NodeId r : replicas) {
            if (!r.equals(self)) {
                send(r, DELETE, p.partition(), p.digest(), 0, p.key());
            }
        }
        final byte[] raw = store.storage().get(Keyspace.partition(p.partition()), p.key());
        if (raw != null && Digests.ofVersionSet(raw) == p.digest() && store.deleteIf(p.partition(), p.key(), raw)) {
            purged.increment();
        }
    }

    private boolean early() {
        return store.faults().has(FaultInjection.Fault.EARLY_PURGE);
    }

    /** The EARLY_PURGE mutant: every replica drops its tombstone-only records at once, asking no one. */
    private void purgeAtOnce(final int partition) {
        final List<byte[][]> doomed = new ArrayList<>();
        store.storage().scan(Keyspace.partition(partition), null, null, (k, v) -> {
            if (VersionSet.decode(v).isTombstoneOnly()) {
                doomed.add(new byte[][] {k, v});
            }
            return true;
        });
        for (final byte[][] kv : doomed) {
            if (store.deleteIf(partition, kv[0], kv[1])) {
                purged.increment();
            }
        }
    }

    private void send(final NodeId to, final byte kind, final int partition, final long digest, final int held,
                      final byte[] recordKey) {
        final Endpoint e = membership.endpointOf(to);
        if (e != null) {
            out.send(e, body(kind, partition, digest, held, recordKey));
        }
    }

    private static Message body(final byte kind, final int partition, final long digest, final int held, final byte[] recordKey) {
        final int holdsBytes = kind == DIGEST ? 1 : 0;
        final ByteBuffer b = ByteBuffer.allocate(1 + 1 + 2 + 8 + holdsBytes + recordKey.length)
            .put(VERSION).put(kind).putShort((short) partition).putLong(digest);
        if (holdsBytes == 1) {
            b.put((byte) held);
        }
        return new Message.Opaque(MessageType.TOMBSTONE_PURGE, b.put(recordKey).array());
    }
}
