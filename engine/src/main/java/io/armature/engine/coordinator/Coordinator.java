package io.armature.engine.coordinator;

import io.armature.api.ArmatureException;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.ReadResult;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.faults.FaultInjection;
import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.Membership;
import io.armature.engine.metrics.EngineMetrics;
import io.armature.engine.repair.PendingPartitions;
import io.armature.engine.replica.ActorEpochs;
import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.engine.wire.Message;
import io.armature.spi.runtime.Clock;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Coordinates reads and writes at one node (Dynamo section 4.5): any node coordinates a read; a
 * write is versioned by a node of the key's preference list and forwarded there otherwise.
 * Event loop only: no locks, every wait is a timer.
 */
public final class Coordinator {
    private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());

    /**
     * Sends a message to another node.
     */
    @FunctionalInterface
    public interface Outbound {
        /**
         * @param to the node
         * @param requestId the request id the reply will carry (0: no reply wanted)
         * @param message the message
         * @return false if the transport reported the message as not sent (peer unreachable)
         */
        boolean send(NodeId to, long requestId, Message message);
    }

    final NodeId self;
    final StoreSettings settings;
    final Membership membership;
    final FailureDetector detector;
    final ReplicaStore store;
    final Scheduler scheduler;
    final Clock clock;
    final EngineMetrics metrics;
    private final Outbound outbound;
    private final Long2ObjectHashMap<Operation> pending = new Long2ObjectHashMap<>();
    /** Puts still spreading, by storage record key: how many per key. */
    private final java.util.Map<java.nio.ByteBuffer, Integer> openWrites = new java.util.HashMap<>();
    private ActorEpochs epochs;
    private int messageLimit = Integer.MAX_VALUE;
    private java.util.function.BooleanSupplier provisional = () -> false;
    private List<Endpoint> seeds = List.of();
    private EndpointOutbound seedOutbound;
    private int nextSeed;
    private PendingPartitions moving = new PendingPartitions();
    private long nextRequestId;
    private boolean stopped;

    /**
     * @param self this node
     * @param settings the store's settings
     * @param membership the ring and endpoints
     * @param detector which peers to skip
     * @param store this node's replica
     * @param outbound sends to peers
     * @param scheduler the node's timers
     * @param clock the node's clock
     * @param metrics the node's meters
     * @param firstRequestId where request ids start (from the node's seeded random)
     */
    public Coordinator(final NodeId self, final StoreSettings settings, final Membership membership,
                       final FailureDetector detector, final ReplicaStore store, final Outbound outbound,
                       final Scheduler scheduler, final Clock clock, final EngineMetrics metrics, final long firstRequestId) {
        this.self = self;
        this.settings = settings;
        this.membership = membership;
        this.detector = detector;
        this.store = store;
        this.outbound = outbound;
        this.scheduler = scheduler;
        this.clock = clock;
        this.metrics = metrics;
        this.nextRequestId = firstRequestId;
    }

    /** Sends a message to an endpoint whose node id is not known (a seed). */
    @FunctionalInterface
    public interface EndpointOutbound {
        /**
         * @param to the endpoint
         * @param requestId the request id the reply will carry
         * @param message the message
         * @return false if the transport reported the message as not sent
         */
        boolean send(Endpoint to, long requestId, Message message);
    }

    /**
     * While {@code provisional} holds (a joining node without the cluster's ring, see
     * {@code RingDistribution#provisional}), client requests are not coordinated here but proxied
     * to one of {@code seeds}: coordinating by a ring the node knows is provisional would version
     * writes into partitions it may never own and fail them for want of replicas.
     *
     * @param provisional whether the node's ring is provisional (event loop)
     * @param seeds where to send requests meanwhile
     * @param outbound sends to a seed
     */
    public void proxyWhile(final java.util.function.BooleanSupplier provisional, final List<Endpoint> seeds,
                           final EndpointOutbound outbound) {
        this.provisional = provisional;
        this.seeds = List.copyOf(seeds);
        this.seedOutbound = outbound;
    }

    /**
     * @param moving the partitions still moving after ring changes (read here, kept by partition streaming)
     */
    public void pending(final PendingPartitions moving) {
        this.moving = moving;
    }

    /** Bytes a replica write's frame needs beyond its key and set: header, MAC, partition, hint owner. */
    public static final int FRAME_RESERVE = 512;

    /**
     * @param bytes the transport's largest message: a write whose set a message cannot carry to
     *     the other replicas is refused before it is stored, or the key could never be replicated
     */
    public void messageLimit(final int bytes) {
        this.messageLimit = bytes;
    }

    /**
     * @param epochs where this node's actor ids come from, in the run it starts
     */
    public void epochs(final ActorEpochs epochs) {
        this.epochs = epochs;
    }

    /**
     * Whether this node is a real replica of a partition: in its preference list, or an old or new
     * replica while it moves. Only a real replica's copy may count toward W (a node outside
     * would leave fewer than W copies that reads and repair can find).
     *
     * @param partition the partition
     * @return true if this node replicates it by its current ring
     */
    public boolean replicates(final int partition) {
        final Ring ring = membership.ring();
        if (ring.preferenceList(partition, settings.n()).contains(self)) {
            return true;
        }
        final PendingPartitions.Move move = moving.get(partition);
        return move != null && (move.from().contains(self) || move.writeTargets().contains(self));
    }

    /**
     * @param key the key
     * @param r replies to wait for, 0 for the store's R
     * @param timeoutMillis the deadline
     * @return the result
     */
    public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final int r, final long timeoutMillis) {
        final CompletableFuture<ReadResult<byte[]>> future = new CompletableFuture<>();
        try {
            checkRunning();
            RequestLimits.checkKey(key, settings);
            final int quorum = RequestLimits.quorum(r, settings.r(), settings.n(), "r");
            if (proxying()) {
                new ProxyOperation(this, "get", future, new Message.ClientGet(key, r, proxyBudget(timeoutMillis)), seeds,
                    timeoutMillis).begin(timeoutMillis);
                return future;
            }
            final Ring ring = membership.ring();
            final int partition = ring.partitionForKey(key);
            // While a partition moves, its new replicas may not hold it yet: read its old ones,
            // which keep every record until the partition settles (PendingPartitions).
            final PendingPartitions.Move move = moving.get(partition);
            new GetOperation(this, future, partition, key, quorum, move != null ? move.from() : ring.preferenceList(partition, settings.n()))
                .begin(timeoutMillis);
        } catch (final RuntimeException e) {
            future.completeExceptionally(asArmature("get", e));
        }
        return future;
    }

    /**
     * @param write the write (its {@code forwarded} flag says a node already forwarded it)
     * @return the key's versions at the coordinator after the write
     */
    public CompletableFuture<ReadResult<byte[]>> write(final Message.ClientWrite write) {
        final String name = write.op() == Message.WriteOp.PUT ? "put" : "delete";
        final CompletableFuture<ReadResult<byte[]>> future = new CompletableFuture<>();
        try {
            checkRunning();
            RequestLimits.checkKey(write.key(), settings);
            RequestLimits.checkValue(write.value(), settings);
            final int w = RequestLimits.quorum(write.w(), settings.w(), settings.n(), "w");
            final long timeoutMillis = write.timeoutMillis() == 0 ? settings.requestTimeout().toMillis() : write.timeoutMillis();
            if (proxying()) {
                new ProxyOperation(this, name, future, new Message.ClientWrite(write.forwarded(), write.op(), write.key(),
                    write.value(), write.context(), write.w(), proxyBudget(timeoutMillis)), seeds, timeoutMillis).begin(timeoutMillis);
                return future;
            }
            final Context context = write.context().length == 0 ? Context.empty() : Context.fromBytes(write.context());
            final Ring ring = membership.ring();
            final int partition = ring.partitionForKey(write.key());
            final List<NodeId> walk = ring.walk(partition);
            final List<NodeId> preference = walk.subList(0, Math.min(settings.n(), walk.size()));
            if (!write.forwarded() && !preference.contains(self)) {
                new ForwardOperation(this, name, future, write, preference, timeoutMillis, w).begin(timeoutMillis);
                return future;
            }
            if (!replicates(partition) && !store.faults().has(FaultInjection.Fault.COUNT_NON_REPLICA)) {
                // A forwarder with another ring picked this node: versioning here would count a
                // copy no replica holds. Refused before anything is stored, so the forwarder may
                // try the next preference node (ForwardOperation).
                throw new ClusterUnavailableException(Replies.NOT_A_REPLICA + ": " + self + " does not replicate partition "
                    + partition + " at ring epoch " + ring.epoch());
            }
            final VersionSet local = store.read(partition, write.key());
            final Value value = write.op() == Message.WriteOp.PUT
                ? Value.of(write.value(), clock.currentTimeMillis()) : Value.tombstone(clock.currentTimeMillis());
            final VersionVector seen = VersionVector.fromContext(context);
            final VersionSet next = (local == null || store.faults().has(FaultInjection.Fault.FORGET_LOCAL_VERSIONS) ? VersionSet.empty() : local)
                .update(seen, value, epochs.actorFor(partition, local, seen));
            if (next.siblingCount() > settings.siblingLimit()) {
                throw new InvalidRequestException(name + ": the key would hold " + next.siblingCount()
                    + " siblings, store.sibling-limit is " + settings.siblingLimit() + "; read it and write a merged value");
            }
            final byte[] encoded = next.encode();
            if (encoded.length > settings.maxObjectSize()) {
                throw new InvalidRequestException(name + ": the key's versions would take " + encoded.length
                    + " bytes, store.max-object-size is " + settings.maxObjectSize());
            }
            final long carried = (long) messageLimit - FRAME_RESERVE - write.key().length;
            if (encoded.length > carried && !store.faults().has(FaultInjection.Fault.UNCAPPED_MERGE)) {
                throw new InvalidRequestException(name + ": the key's versions would take " + encoded.length
                    + " bytes, more than a message carries to the other replicas (" + carried
                    + " bytes of the transport's max-message-size " + messageLimit + "); read it and write a merged value");
            }
            if (next.siblingCount() > settings.siblingWarn()) {
                metrics.siblingWarning();
                LOG.log(System.Logger.Level.WARNING, "{0}: key holds {1} siblings (store.sibling-warn is {2})",
                    self, next.siblingCount(), settings.siblingWarn());
            }
            store.write(partition, write.key(), next, encoded);
            final List<NodeId> primaries = new ArrayList<>(preference);
            int blockFor = w;
            final PendingPartitions.Move move = moving.get(partition);
            if (move != null) {
                // Pending partition: write to old and new replicas, and block for W plus the number
                // of gainers (Cassandra's rule, CASSANDRA-833). With g gainers there are g losers
                // (both lists have N nodes), so of W + g acks at least W come from the new replicas,
                // which hold the write once the partition settles and the losers drop their copies,
                // and at least W from the old ones, which serve reads meanwhile: R + W > N keeps
                // reading one's writes on both sides of the move. Not counting the gainers would
                // let a write acknowledged by old replicas alone end on fewer than W new ones.
                primaries.clear();
                primaries.addAll(move.writeTargets());
                for (final NodeId p : preference) {
                    if (!primaries.contains(p)) {
                        primaries.add(p);
                    }
                }
                blockFor = Math.min(w + move.gainers().size(), primaries.size());
            }
            primaries.remove(self);
            final List<NodeId> extended = new ArrayList<>(walk.subList(preference.size(), walk.size()));
            extended.removeAll(primaries);
            new PutOperation(this, name, future, partition, write.key(), encoded, resultOf(next), blockFor, primaries, extended)
                .begin(timeoutMillis);
        } catch (final RuntimeException e) {
            future.completeExceptionally(asArmature(name, e));
        }
        return future;
    }

    /**
     * Whether a put of this record is still spreading here: some copy of it (to a replica, or a
     * hint to a stand-in) may still be on its way, so that a node a purge asks now can truthfully
     * say it holds nothing and hold it a moment later. A tombstone purge waits for it.
     *
     * @param recordKey the record's storage key ({@code hash64 ++ key})
     * @return true while a put of it is registered here (until every copy is acknowledged or its deadline)
     */
    public boolean writing(final byte[] recordKey) {
        return !openWrites.isEmpty() && openWrites.containsKey(java.nio.ByteBuffer.wrap(recordKey));
    }

    void writeOpened(final byte[] key) {
        openWrites.merge(java.nio.ByteBuffer.wrap(io.armature.engine.replica.StorageLayout.recordKey(key)), 1, Integer::sum);
    }

    void writeClosed(final byte[] key) {
        openWrites.computeIfPresent(java.nio.ByteBuffer.wrap(io.armature.engine.replica.StorageLayout.recordKey(key)),
            (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * @param requestId the reply's request id
     * @param from the sender
     * @param message the reply
     */
    public void onReply(final long requestId, final NodeId from, final Message message) {
        final Operation op = pending.get(requestId);
        if (op != null) {
            op.onReply(from, message);
        }
    }

    /**
     * Fails every request in flight; later requests fail at once.
     */
    public void stop() {
        stopped = true;
        for (final Operation op : new ArrayList<>(pending.values())) {
            op.fail(new ClusterUnavailableException(self + " stopped"));
            op.finish();
        }
    }

    /**
     * @return requests in flight (for tests and status)
     */
    public int pendingCount() {
        return pending.size();
    }

    static ReadResult<byte[]> resultOf(final VersionSet set) {
        final List<Value> live = set.liveValues();
        final List<byte[]> values = new ArrayList<>(live.size());
        for (final Value v : live) {
            // a copy: the set may be the replica's cached one, and a caller may write to its array
            values.add(v.data().clone());
        }
        return ReadResult.of(values, set.context().toContext());
    }

    private boolean proxying() {
        return !seeds.isEmpty() && seedOutbound != null && provisional.getAsBoolean();
    }

    /** The seed's deadline ends a little before ours, so that its precise failure reaches us. */
    private static long proxyBudget(final long timeoutMillis) {
        return Math.max(1, timeoutMillis - Math.max(1, timeoutMillis / 10));
    }

    int nextSeed() {
        return nextSeed++;
    }

    boolean sendTo(final Endpoint to, final long requestId, final Message message) {
        return seedOutbound.send(to, requestId, message);
    }

    private void checkRunning() {
        if (stopped) {
            throw new ClusterUnavailableException(self + " is stopped");
        }
        if (epochs == null) {
            throw new ClusterUnavailableException(self + " is not started");
        }
    }

    private ArmatureException asArmature(final String name, final RuntimeException e) {
        if (e instanceof ArmatureException a) {
            return a;
        }
        LOG.log(System.Logger.Level.WARNING, name + " failed at " + self, e);
        return new ArmatureException(name + ": failed at " + self + ": " + e, e);
    }

    long nextRequestId() {
        long id = nextRequestId++;
        if (id == 0) {
            id = nextRequestId++;
        }
        return id;
    }

    void register(final Operation op) {
        pending.put(op.id, op);
    }

    void unregister(final Operation op) {
        pending.remove(op.id);
    }

    boolean send(final NodeId to, final long requestId, final Message message) {
        return outbound.send(to, requestId, message);
    }
}
