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
 * other replica for its digest of the key (CHECK), and only when all of them hold exactly its own
 * set does {@link TombstonePurgePolicy} allow the purge: it then asks each replica to delete the
 * key if its digest is still that one (DELETE) and deletes its own copy the same way. A replica that
 * still held a live value answers a different digest, so no copy of the tombstone goes until
 * anti-entropy has spread it everywhere: nothing can bring the deleted value back. A replica that
 * misses the DELETE keeps the tombstone, which the next sweep purges. Event loop only.
 */
public final class TombstonePurge {
    /** Records this node purged. */
    public static final String PURGED = "armature.tombstones.purged";

    private static final byte VERSION = 1;
    private static final byte CHECK = 0;
    private static final byte DELETE = 1;
    private static final byte DIGEST = 2;

    private record Pending(int partition, byte[] key, long digest, long newestMillis, Map<NodeId, Long> acks) {
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
    }

    /**
     * Sweeps one partition if this node is its first replica: starts a digest check for every
     * tombstone-only record past the grace. Checks of an earlier sweep that got no full answer are
     * dropped.
     *
     * @param partition the partition
     */
    public void sweep(final int partition) {
        final List<NodeId> replicas = membership.ring().preferenceList(partition, n);
        if (replicas.isEmpty() || !replicas.get(0).equals(self)) {
            return;
        }
        pending.values().removeIf(p -> p.partition() == partition);
        final long now = clock.currentTimeMillis();
        final List<Pending> candidates = new ArrayList<>();
        store.storage().scan(Keyspace.partition(partition), null, null, (k, v) -> {
            final VersionSet set = VersionSet.decode(v);
            if (set.isTombstoneOnly()) {
                long newest = Long.MIN_VALUE;
                for (final Value value : set.values()) {
                    newest = Math.max(newest, value.timestampMillis());
                }
                if (early() || newest <= now && now - newest >= policy.graceMillis()) {
                    final Map<NodeId, Long> acks = new HashMap<>();
                    final long digest = Digests.ofVersionSet(v);
                    acks.put(self, digest);
                    candidates.add(new Pending(partition, k, digest, newest, acks));
                }
            }
            return true;
        });
        for (final Pending p : candidates) {
            pending.put(ByteBuffer.wrap(p.key()), p);
            for (final NodeId r : replicas) {
                if (!r.equals(self)) {
                    send(r, CHECK, p.partition(), p.digest(), p.key());
                }
            }
            decide(p, replicas);
        }
    }

    /**
     * A purge message: a check to answer, a conditional delete, or an answer to a check.
     *
     * @param frame the frame
     */
    public void onMessage(final Frame frame) {
        final ByteBuffer b = ByteBuffer.wrap(((Message.Opaque) frame.message()).body());
        if (b.remaining() < 1 + 1 + 2 + 8 + 9 || b.get() != VERSION) {
            throw new RepairCodecException("tombstone purge: too short or unknown version");
        }
        final byte kind = b.get();
        final int partition = b.getShort() & 0xFFFF;
        final long digest = b.getLong();
        final byte[] recordKey = new byte[b.remaining()];
        b.get(recordKey);
        if (partition >= membership.ring().partitionCount()) {
            throw new IllegalArgumentException("tombstone purge: partition " + partition + " beyond the ring");
        }
        final byte[] raw = store.storage().get(Keyspace.partition(partition), recordKey);
        final long mine = raw == null ? MerkleTree.ABSENT : Digests.ofVersionSet(raw);
        if (kind == CHECK) {
            final Endpoint to = frame.replyTo();
            out.send(to, body(DIGEST, partition, mine, recordKey));
        } else if (kind == DELETE) {
            if (raw != null && mine == digest && store.deleteIf(partition, recordKey, raw)) {
                purged.increment();
            }
        } else if (kind == DIGEST) {
            final Pending p = pending.get(ByteBuffer.wrap(recordKey));
            if (p != null && p.partition() == partition && !frame.sender().isEmpty()) {
                p.acks().put(new NodeId(frame.sender()), digest);
                decide(p, membership.ring().preferenceList(partition, n));
            }
        } else {
            throw new RepairCodecException("tombstone purge: unknown kind " + kind);
        }
    }

    private void decide(final Pending p, final List<NodeId> replicas) {
        if (!early() && !policy.mayPurge(true, p.newestMillis(), p.digest(), replicas, p.acks(), clock.currentTimeMillis())) {
            return;
        }
        pending.remove(ByteBuffer.wrap(p.key()));
        for (final NodeId r : replicas) {
            if (!r.equals(self)) {
                send(r, DELETE, p.partition(), p.digest(), p.key());
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

    private void send(final NodeId to, final byte kind, final int partition, final long digest, final byte[] recordKey) {
        final Endpoint e = membership.endpointOf(to);
        if (e != null) {
            out.send(e, body(kind, partition, digest, recordKey));
        }
    }

    private static Message body(final byte kind, final int partition, final long digest, final byte[] recordKey) {
        return new Message.Opaque(MessageType.TOMBSTONE_PURGE, ByteBuffer.allocate(1 + 1 + 2 + 8 + recordKey.length)
            .put(VERSION).put(kind).putShort((short) partition).putLong(digest).put(recordKey).array());
    }
}
