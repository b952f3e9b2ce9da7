package io.armature.engine.repair;

import io.armature.engine.config.RepairSettings;
import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.Membership;
import io.armature.engine.repair.AntiEntropyMessages.KeyDigests;
import io.armature.engine.repair.AntiEntropyMessages.KeyRequest;
import io.armature.engine.repair.AntiEntropyMessages.TreeLevel;
import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Clock;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Merkle-tree anti-entropy (Dynamo section 4.7, docs/repair.md): one tree per partition this node
 * replicates, kept up to date on every record change through the {@link ReplicaStore} listener and
 * built from a scan of the partition the first time it is needed (so a restart or a wipe starts
 * from what storage holds). Each period one seeded-random partition is compared with one random
 * available co-replica; the stateless descent visits only differing subtrees, then both sides push
 * the version sets of the differing keys to each other as REPLICA_PUTs, which merge with
 * {@code VersionSet.sync}. Every message goes through one byte-rate {@link TokenBucket}. Event
 * loop only.
 */
public final class AntiEntropy {
    /** Exchanges this node started. */
    public static final String EXCHANGES = "armature.antientropy.exchanges";
    /** Version sets this node pushed to a peer that lacked them or held them differently. */
    public static final String KEYS_REPAIRED = "armature.antientropy.keys.repaired";
    /** Bytes of anti-entropy bodies this node sent, pushes included. */
    public static final String BYTES_SENT = "armature.antientropy.bytes.sent";

    private static final System.Logger LOG = System.getLogger(AntiEntropy.class.getName());
    /** Entries per KEYS message: keeps a wiped replica's first exchange within the frame limit. */
    private static final int MAX_ENTRIES_PER_MESSAGE = 8192;

    /** @param pushed for a push, its partition and record key (see {@link #pushKey}); null for other messages */
    private record Outgoing(Endpoint to, Message message, long cost, ByteBuffer pushed) {
    }

    private final NodeId self;
    private final ReplicaStore store;
    private final StorageEngine storage;
    private final Membership membership;
    private final FailureDetector detector;
    private final HintedHandoff.Outbound out;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final RepairSettings settings;
    private final int n;
    private final TokenBucket bucket;
    private final Map<Integer, MerkleTree> trees = new HashMap<>();
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    /** Pushes in {@link #queue}, by partition and record key, with their count. */
    private final Map<ByteBuffer, Integer> queuedPushes = new HashMap<>();
    /** Pushes sent, by partition and record key, with the time sent, oldest first. */
    private final LinkedHashMap<ByteBuffer, Long> sentPushes = new LinkedHashMap<>();
    private final Clock clock;
    /**
     * How long after it was sent a push may still be on its way: a purge of its key waits that
     * long, since the push may carry a version the tombstone covered.
     */
    private long pushInFlightNanos = 2_000_000_000L;
    private final Counter exchanges;
    private final Counter keysRepaired;
    private final Counter bytesSent;
    private TombstonePurge purge;
    private java.util.function.IntPredicate alsoServes = p -> false;
    private java.util.function.BiConsumer<Integer, NodeId> onInSync = (p, n) -> { };
    private Cancellable periodic;
    private Cancellable drain;
    private boolean running;

    /**
     * @param self this node
     * @param store the replica store (its listener is taken)
     * @param membership ring and endpoints
     * @param detector who is available
     * @param out how to send
     * @param scheduler the event loop
     * @param clock the node's clock
     * @param random the node's seeded randomness
     * @param settings period and rate
     * @param n replicas per key
     * @param meters where to register the meters
     */
    public AntiEntropy(final NodeId self, final ReplicaStore store, final Membership membership, final FailureDetector detector,
                       final HintedHandoff.Outbound out, final Scheduler scheduler, final Clock clock, final RandomGenerator random,
                       final RepairSettings settings, final int n, final MeterRegistry meters) {
        this.self = self;
        this.store = store;
        this.storage = store.storage();
        this.membership = membership;
        this.detector = detector;
        this.out = out;
        this.scheduler = scheduler;
        this.random = random;
        this.clock = clock;
        this.settings = settings;
        this.n = n;
        this.bucket = new TokenBucket(clock, settings.antiEntropyBytesPerSecond(), settings.antiEntropyBurstBytes());
        this.exchanges = Counter.builder(EXCHANGES).tag("node", self.value()).register(meters);
        this.keysRepaired = Counter.builder(KEYS_REPAIRED).tag("node", self.value()).register(meters);
        this.bytesSent = Counter.builder(BYTES_SENT).tag("node", self.value()).register(meters);
    }

    /**
     * Sweeps each partition for purgeable tombstones when it is chosen for an exchange.
     *
     * @param purge the purge, or null for none
     */
    public void purge(final TombstonePurge purge) {
        this.purge = purge;
    }

    /**
     * For partition streaming: which partitions this node still serves though the ring no longer
     * names it (a leaving node's), and who learns that an exchange found a partition in sync.
     *
     * @param serves partitions served beyond the ring's
     * @param inSync receives (partition, peer) when an exchange with peer ended in sync
     */
    public void streaming(final java.util.function.IntPredicate serves, final java.util.function.BiConsumer<Integer, NodeId> inSync) {
        this.alsoServes = serves;
        this.onInSync = inSync;
    }

    /** Hooks the trees to the store and starts the periodic exchange (none if the period is zero). */
    public void start() {
        running = true;
        store.listener(this::onStored);
        if (!settings.antiEntropyPeriod().isZero()) {
            tick();
        }
    }

    /** Stops; messages not yet sent are dropped (the next exchange finds the same differences). */
    public void stop() {
        running = false;
        store.listener(null);
        if (periodic != null) {
            periodic.cancel();
        }
        if (drain != null) {
            drain.cancel();
        }
        queue.clear();
        queuedPushes.clear();
    }

    /**
     * @param nanos how long a sent push counts as on its way (the request deadline: a message
     *     older than that is treated as lost by every request too)
     */
    public void pushInFlight(final long nanos) {
        this.pushInFlightNanos = nanos;
    }

    /**
     * Whether a purge of a record must wait for this node's anti-entropy: a push of it is queued
     * (it may carry a version read before the tombstone arrived) or was sent so recently that it
     * may still be on its way.
     *
     * @param partition the partition
     * @param recordKey the record's storage key
     * @return true if a push of it is queued or in flight
     */
    public boolean pushing(final int partition, final byte[] recordKey) {
        final long now = clock.nanoTime();
        for (final Iterator<Long> it = sentPushes.values().iterator(); it.hasNext();) {
            if (now - it.next() < pushInFlightNanos) {
                break;
            }
            it.remove();
        }
        final ByteBuffer k = pushKey(partition, recordKey);
        return queuedPushes.containsKey(k) || sentPushes.containsKey(k);
    }

    private static ByteBuffer pushKey(final int partition, final byte[] recordKey) {
        return ByteBuffer.wrap(ByteBuffer.allocate(2 + recordKey.length).putShort((short) partition).put(recordKey).array());
    }

    private void tick() {
        periodic = scheduler.schedule(settings.antiEntropyPeriod().toNanos(), () -> {
            if (running) {
                round();
                tick();
            }
        });
    }

    /** Starts one exchange: a seeded-random replicated partition with a random available co-replica. */
    public void round() {
        final int[] partitions = membership.ring().partitionsReplicatedBy(self, n);
        if (partitions.length == 0) {
            return;
        }
        final int p = partitions[random.nextInt(partitions.length)];
        if (purge != null) {
            purge.sweep(p);
        }
        final List<NodeId> peers = new ArrayList<>();
        for (final NodeId r : membership.ring().preferenceList(p, n)) {
            if (!r.equals(self) && detector.isAvailable(r)) {
                peers.add(r);
            }
        }
        if (!peers.isEmpty()) {
            exchange(p, peers.get(random.nextInt(peers.size())));
        }
    }

    /**
     * Starts comparing one partition with one peer.
     *
     * @param partition a partition this node replicates
     * @param peer another replica of it
     */
    public void exchange(final int partition, final NodeId peer) {
        final Endpoint to = membership.endpointOf(peer);
        if (to == null || !running) {
            return;
        }
        exchanges.increment();
        enqueue(to, MessageType.ANTI_ENTROPY_TREE, MerkleDiff.start(tree(partition)).encode());
    }

    /**
     * @param partition a partition
     * @return this node's tree of it, built from a scan on first use
     */
    public MerkleTree tree(final int partition) {
        MerkleTree t = trees.get(partition);
        if (t == null) {
            t = MerkleTree.create(membership.ring().partitionCount(), partition);
            t.rebuild(sink -> storage.scan(Keyspace.partition(partition), null, null, (k, v) -> {
                sink.accept(hashOf(k), Digests.ofVersionSet(v));
                return true;
            }));
            trees.put(partition, t);
        }
        return t;
    }

    /**
     * Forgets the tree of a partition this node dropped (a later exchange rebuilds it from storage).
     *
     * @param partition the partition
     */
    public void forget(final int partition) {
        trees.remove(partition);
    }

    private void onStored(final int partition, final byte[] recordKey, final byte[] oldValue, final byte[] newValue) {
        final MerkleTree t = trees.get(partition);
        if (t != null) {
            t.update(hashOf(recordKey), oldValue == null ? MerkleTree.ABSENT : Digests.ofVersionSet(oldValue),
                newValue == null ? MerkleTree.ABSENT : Digests.ofVersionSet(newValue));
        }
    }

    /**
     * A TREE or TREE_REPLY: compare one level and answer one level down, or start on the keys.
     *
     * @param frame the frame
     */
    public void onTree(final Frame frame) {
        final Message.Opaque m = (Message.Opaque) frame.message();
        final TreeLevel level = TreeLevel.decode(m.body());
        final int p = level.shape().partition();
        if (!replicates(p, level.shape().partitionCount())) {
            return;
        }
        final MerkleDiff.Step step;
        try {
            step = MerkleDiff.onTreeLevel(tree(p), level);
        } catch (final IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: anti-entropy with {1} skipped: {2}", self, frame.sender(), e.getMessage());
            return;
        }
        if (step instanceof MerkleDiff.Reply r) {
            final MessageType answer = m.reservedType() == MessageType.ANTI_ENTROPY_TREE
                ? MessageType.ANTI_ENTROPY_TREE_REPLY : MessageType.ANTI_ENTROPY_TREE;
            if (r.message().indices().length > 0 || m.reservedType() == MessageType.ANTI_ENTROPY_TREE) {
                enqueue(frame.replyTo(), answer, r.message().encode());
            }
        } else if (step instanceof MerkleDiff.InSync && !frame.sender().isEmpty()) {
            onInSync.accept(p, new NodeId(frame.sender()));
        } else if (step instanceof MerkleDiff.LeavesDiffer d) {
            sendKeys(frame.replyTo(), tree(p), d.leaves());
        }
    }

    private void sendKeys(final Endpoint to, final MerkleTree tree, final int[] leaves) {
        int from = 0;
        while (from < leaves.length) {
            final List<long[]> entries = new ArrayList<>();
            int until = from;
            while (until < leaves.length && (until == from || entries.size() < MAX_ENTRIES_PER_MESSAGE)) {
                scanLeaf(tree, leaves[until], (k, v) -> entries.add(new long[] {hashOf(k), Digests.ofVersionSet(v)}));
                until++;
            }
            final long[] hashes = new long[entries.size()];
            final long[] digests = new long[entries.size()];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = entries.get(i)[0];
                digests[i] = entries.get(i)[1];
            }
            enqueue(to, MessageType.ANTI_ENTROPY_KEYS,
                new KeyDigests(TreeShape.of(tree), Arrays.copyOfRange(leaves, from, until), hashes, digests).encode());
            from = until;
        }
    }

    /**
     * A KEYS message: push what the peer lacks, ask for what we lack.
     *
     * @param frame the frame
     */
    public void onKeys(final Frame frame) {
        final KeyDigests theirs = KeyDigests.decode(((Message.Opaque) frame.message()).body());
        final int p = theirs.shape().partition();
        if (!replicates(p, theirs.shape().partitionCount())) {
            return;
        }
        final MerkleTree tree = tree(p);
        if (!TreeShape.of(tree).equals(theirs.shape())) {
            return;
        }
        final List<long[]> mine = new ArrayList<>();
        for (final int leaf : theirs.leaves()) {
            scanLeaf(tree, leaf, (k, v) -> mine.add(new long[] {hashOf(k), Digests.ofVersionSet(v)}));
        }
        final long[] hashes = mine.stream().mapToLong(e -> e[0]).toArray();
        final long[] digests = mine.stream().mapToLong(e -> e[1]).toArray();
        final MerkleDiff.KeyComparison cmp = MerkleDiff.compareKeys(theirs, hashes, digests);
        push(frame.replyTo(), p, cmp.push());
        if (cmp.want().length > 0) {
            enqueue(frame.replyTo(), MessageType.ANTI_ENTROPY_KEYS_REPLY, MerkleDiff.request(theirs, cmp).encode());
        }
    }

    /**
     * A KEYS_REPLY: push the version sets the peer asked for.
     *
     * @param frame the frame
     */
    public void onKeysReply(final Frame frame) {
        final KeyRequest request = KeyRequest.decode(((Message.Opaque) frame.message()).body());
        final int p = request.shape().partition();
        if (replicates(p, request.shape().partitionCount())) {
            push(frame.replyTo(), p, request.keyHashes());
        }
    }

    private void push(final Endpoint to, final int partition, final long[] keyHashes) {
        for (final long hash : keyHashes) {
            storage.scan(Keyspace.partition(partition), bigEndian(hash), hash == -1L ? null : bigEndian(hash + 1), (k, v) -> {
                final byte[] key = Arrays.copyOfRange(k, 8, k.length);
                keysRepaired.increment();
                enqueueMessage(to, new Message.ReplicaPut(partition, key, v, null), key.length + v.length + 16L,
                    pushKey(partition, k));
                return true;
            });
        }
    }

    private boolean replicates(final int partition, final int partitionCount) {
        return partitionCount == membership.ring().partitionCount() && partition < partitionCount
            && (membership.ring().preferenceList(partition, n).contains(self) || alsoServes.test(partition));
    }

    private void scanLeaf(final MerkleTree tree, final int leaf, final java.util.function.BiConsumer<byte[], byte[]> visitor) {
        final KeyHashRange range = tree.leafRange(leaf);
        storage.scan(Keyspace.partition(tree.partition()), range.firstKeyPrefix(),
            range.last() == -1L ? null : bigEndian(range.last() + 1), (k, v) -> {
                visitor.accept(k, v);
                return true;
            });
    }

    private void enqueue(final Endpoint to, final MessageType type, final byte[] body) {
        enqueueMessage(to, new Message.Opaque(type, body), body.length, null);
    }

    private void enqueueMessage(final Endpoint to, final Message message, final long bytes, final ByteBuffer pushed) {
        if (!running) {
            return;
        }
        queue.add(new Outgoing(to, message, bytes, pushed));
        if (pushed != null) {
            queuedPushes.merge(pushed, 1, Integer::sum);
        }
        if (drain == null) {
            drain();
        }
    }

    private void drain() {
        drain = null;
        while (running && !queue.isEmpty()) {
            final Outgoing o = queue.peek();
            final long cost = Math.min(o.cost(), bucket.capacity());
            if (!bucket.tryAcquire(cost)) {
                drain = scheduler.schedule(Math.max(1, bucket.nanosUntilAvailable(cost)), this::drain);
                return;
            }
            queue.poll();
            bytesSent.increment(o.cost());
            out.send(o.to(), o.message());
            if (o.pushed() != null) {
                queuedPushes.computeIfPresent(o.pushed(), (k, c) -> c == 1 ? null : c - 1);
                sentPushes.remove(o.pushed());
                sentPushes.put(o.pushed(), clock.nanoTime());
            }
        }
    }

    private static long hashOf(final byte[] recordKey) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (recordKey[i] & 0xFF);
        }
        return v;
    }

    private static byte[] bigEndian(final long v) {
        final byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }
}
