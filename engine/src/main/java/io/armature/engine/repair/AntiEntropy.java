package io.armature.engine.repair;

import io.armature.engine.faults.FaultInjection;
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
 *
 * <p>The send queue holds work, not bytes: a request for many keys stays a list of key hashes
 * and a cursor, each record is read when its push reaches the head of the queue (so a push
 * carries the record as it is then, and a record that is gone is not sent), and KEYS messages
 * are built one at a time the same way. It resumes where the bucket stopped it, never queues a
 * key twice for one peer, and charges the bucket for each frame's real size (a frame larger than
 * the burst leaves a debt paid before the next one). Its accounted size is bounded: while it
 * holds {@code 4 x burst} bytes of work, this node starts no exchange and drops incoming
 * exchange messages (the peer's next period finds the same differences).
 */
public final class AntiEntropy {
    /** Exchanges this node started. */
    public static final String EXCHANGES = "armature.antientropy.exchanges";
    /** Version sets this node pushed to a peer that lacked them or held them differently. */
    public static final String KEYS_REPAIRED = "armature.antientropy.keys.repaired";
    /** Bytes of anti-entropy frames this node sent, pushes included. */
    public static final String BYTES_SENT = "armature.antientropy.bytes.sent";
    /** Exchange messages this node dropped or exchanges it did not start because its send queue was full. */
    public static final String BACK_PRESSURE = "armature.antientropy.backpressure";

    /** How anti-entropy reaches other nodes. */
    @FunctionalInterface
    public interface Outbound {
        /**
         * @param to the receiver
         * @param message the body
         * @return the bytes of the frame sent, or -1 if it was not sent
         */
        int send(Endpoint to, Message message);
    }

    private static final System.Logger LOG = System.getLogger(AntiEntropy.class.getName());
    /** Entries per KEYS message: keeps a wiped replica's first exchange within the frame limit. */
    private static final int MAX_ENTRIES_PER_MESSAGE = 8192;

    /** Accounted bytes of one queued piece of work, besides what it holds. */
    private static final int WORK_OVERHEAD = 64;

    /** A queued push: the peer, the partition and the key hash (one per peer at most). */
    private record PushRef(Endpoint to, int partition, long hash) {
    }

    /** Queued work: it yields its messages one at a time, when they reach the head of the queue. */
    private interface Work {
        /** @return true if nothing is left */
        boolean done();

        /** Appends the next message(s) to {@code ready}. */
        void next(List<Outgoing> ready);

        /** @return the bytes this work is accounted for now */
        long accounted();
    }

    private record Outgoing(Endpoint to, Message message, ByteBuffer pushed) {
    }

    /** A message built when it was queued (tree levels, key requests): small and bounded. */
    private final class Single implements Work {
        private final Endpoint to;
        private final Message message;
        private final int bytes;
        private boolean sent;

        Single(final Endpoint to, final Message message, final int bytes) {
            this.to = to;
            this.message = message;
            this.bytes = bytes;
        }

        @Override
        public boolean done() {
            return sent;
        }

        @Override
        public void next(final List<Outgoing> ready) {
            sent = true;
            ready.add(new Outgoing(to, message, null));
        }

        @Override
        public long accounted() {
            return sent ? 0 : WORK_OVERHEAD + bytes;
        }
    }

    /** Pushes of some keys' records to one peer, read one key at a time. */
    private final class Pushes implements Work {
        private final Endpoint to;
        private final int partition;
        private final long[] hashes;
        private int next;

        Pushes(final Endpoint to, final int partition, final long[] hashes) {
            this.to = to;
            this.partition = partition;
            this.hashes = hashes;
        }

        @Override
        public boolean done() {
            return next >= hashes.length;
        }

        @Override
        public void next(final List<Outgoing> ready) {
            final long hash = hashes[next++];
            unqueuePush(new PushRef(to, partition, hash));
            storage.scan(Keyspace.partition(partition), bigEndian(hash), hash == -1L ? null : bigEndian(hash + 1), (k, v) -> {
                final byte[] key = Arrays.copyOfRange(k, 8, k.length);
                ready.add(new Outgoing(to, new Message.ReplicaPut(partition, key, v, null), pushKey(partition, k)));
                return true;
            });
        }

        @Override
        public long accounted() {
            return WORK_OVERHEAD + 8L * (hashes.length - next);
        }
    }

    /** The KEYS messages of some differing leaves, built one message at a time. */
    private final class Keys implements Work {
        private final Endpoint to;
        private final MerkleTree tree;
        private final int[] leaves;
        private int next;

        Keys(final Endpoint to, final MerkleTree tree, final int[] leaves) {
            this.to = to;
            this.tree = tree;
            this.leaves = leaves;
        }

        @Override
        public boolean done() {
            return next >= leaves.length;
        }

        @Override
        public void next(final List<Outgoing> ready) {
            final List<long[]> entries = new ArrayList<>();
            final int from = next;
            while (next < leaves.length && (next == from || entries.size() < MAX_ENTRIES_PER_MESSAGE)) {
                scanLeaf(tree, leaves[next], (k, v) -> entries.add(new long[] {hashOf(k), Digests.ofVersionSet(v)}));
                next++;
            }
            final long[] hashes = new long[entries.size()];
            final long[] digests = new long[entries.size()];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = entries.get(i)[0];
                digests[i] = entries.get(i)[1];
            }
            ready.add(new Outgoing(to, new Message.Opaque(MessageType.ANTI_ENTROPY_KEYS,
                new KeyDigests(TreeShape.of(tree), Arrays.copyOfRange(leaves, from, next), hashes, digests).encode()), null));
        }

        @Override
        public long accounted() {
            return WORK_OVERHEAD + 4L * (leaves.length - next);
        }
    }

    private final NodeId self;
    private final ReplicaStore store;
    private final StorageEngine storage;
    private final Membership membership;
    private final FailureDetector detector;
    private final Outbound out;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final RepairSettings settings;
    private final int n;
    private final TokenBucket bucket;
    private final Map<Integer, MerkleTree> trees = new HashMap<>();
    private final ArrayDeque<Work> queue = new ArrayDeque<>();
    /** Messages the head of the queue yielded that are not sent yet. */
    private final ArrayDeque<Outgoing> ready = new ArrayDeque<>();
    /** Pushes queued, one per peer, partition and key hash. */
    private final java.util.Set<PushRef> queuedRefs = new java.util.HashSet<>();
    /** Pushes queued, by partition and key hash (the record key's first 8 bytes), with their count. */
    private final Map<Long, Integer> queuedPushes = new HashMap<>();
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
    private final Counter backPressure;
    private final long queueLimit;
    /** Bytes of work queued, as accounted by {@link Work#accounted}. */
    private long queuedBytes;
    /** Bytes sent that the bucket has not been charged for yet (a frame larger than the burst). */
    private long debt;
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
                       final Outbound out, final Scheduler scheduler, final Clock clock, final RandomGenerator random,
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
        this.backPressure = Counter.builder(BACK_PRESSURE).tag("node", self.value()).register(meters);
        this.queueLimit = 4 * settings.antiEntropyBurstBytes();
    }

    /** @return bytes of work in the send queue, as accounted (at most about {@code 4 x burst} plus one request) */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** @return true if the send queue is full: no exchange starts and incoming exchange messages are dropped */
    public boolean full() {
        return queuedBytes >= queueLimit;
    }

    private boolean refused(final String what) {
        if (!full()) {
            return false;
        }
        backPressure.increment();
        LOG.log(System.Logger.Level.TRACE, "{0}: anti-entropy send queue full ({1} bytes), {2} dropped", self, queuedBytes, what);
        return true;
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
        ready.clear();
        queuedRefs.clear();
        queuedPushes.clear();
        queuedBytes = 0;
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
        return queuedPushes.containsKey(partHash(partition, hashOf(recordKey))) || sentPushes.containsKey(pushKey(partition, recordKey));
    }

    private static long partHash(final int partition, final long hash) {
        // Partition and hash folded into one map key; a rare clash only delays a purge.
        return hash * 31 + partition;
    }

    private void unqueuePush(final PushRef ref) {
        if (queuedRefs.remove(ref)) {
            queuedPushes.computeIfPresent(partHash(ref.partition(), ref.hash()), (k, c) -> c == 1 ? null : c - 1);
        }
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
        if (refused("a round")) {
            return;
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
        if (to == null || !running || refused("an exchange with " + peer)) {
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
        if (refused("a tree level from " + frame.sender())) {
            return;
        }
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
            final int[] leaves = store.faults().has(FaultInjection.Fault.AE_SKIP_LEAF) && d.leaves().length > 0
                ? Arrays.copyOfRange(d.leaves(), 1, d.leaves().length) : d.leaves();
            if (leaves.length > 0) {
                sendKeys(frame.replyTo(), tree(p), leaves);
            }
        }
    }

    private void sendKeys(final Endpoint to, final MerkleTree tree, final int[] leaves) {
        add(new Keys(to, tree, leaves));
    }

    /**
     * A KEYS message: push what the peer lacks, ask for what we lack.
     *
     * @param frame the frame
     */
    public void onKeys(final Frame frame) {
        final KeyDigests theirs = KeyDigests.decode(((Message.Opaque) frame.message()).body());
        if (refused("a key list from " + frame.sender())) {
            return;
        }
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
        if (refused("a key request from " + frame.sender())) {
            return;
        }
        final int p = request.shape().partition();
        if (replicates(p, request.shape().partitionCount())) {
            push(frame.replyTo(), p, request.keyHashes());
        }
    }

    private void push(final Endpoint to, final int partition, final long[] keyHashes) {
        final long[] fresh = new long[keyHashes.length];
        int count = 0;
        for (final long hash : keyHashes) {
            // Already queued for this peer: that push reads the record when it is sent, so it serves both requests.
            if (queuedRefs.add(new PushRef(to, partition, hash))) {
                queuedPushes.merge(partHash(partition, hash), 1, Integer::sum);
                fresh[count++] = hash;
            }
        }
        if (count > 0) {
            add(new Pushes(to, partition, count == fresh.length ? fresh : Arrays.copyOf(fresh, count)));
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
        add(new Single(to, new Message.Opaque(type, body), body.length));
    }

    private void add(final Work work) {
        if (!running) {
            if (work instanceof Pushes p) {
                for (final long h : p.hashes) {
                    unqueuePush(new PushRef(p.to, p.partition, h));
                }
            }
            return;
        }
        queue.add(work);
        queuedBytes += work.accounted();
        if (drain == null) {
            drain();
        }
    }

    private void drain() {
        drain = null;
        while (running) {
            if (debt > 0) {
                final long take = Math.min(debt, bucket.capacity());
                if (!bucket.tryAcquire(take)) {
                    drain = scheduler.schedule(Math.max(1, bucket.nanosUntilAvailable(take)), this::drain);
                    return;
                }
                debt -= take;
                continue;
            }
            if (ready.isEmpty()) {
                final Work w = queue.peek();
                if (w == null) {
                    return;
                }
                final long before = w.accounted();
                final List<Outgoing> produced = new ArrayList<>(1);
                w.next(produced);
                ready.addAll(produced);
                if (w.done()) {
                    queue.poll();
                }
                queuedBytes -= before - w.accounted();
                continue;
            }
            final Outgoing o = ready.poll();
            final int bytes = out.send(o.to(), o.message());
            if (bytes > 0) {
                // Charged after the send for what the frame really took; the next send waits for the debt.
                debt = bytes;
                bytesSent.increment(bytes);
            }
            if (o.pushed() != null && bytes > 0) {
                // A push that did not leave (back pressure, not connected) repaired nothing and holds
                // no purge: the next exchange finds the key again.
                keysRepaired.increment();
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
