package io.armature.engine.node;

import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.coordinator.Coordinator;
import io.armature.engine.coordinator.Replies;
import io.armature.engine.faults.FaultInjection;
import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.Membership;
import io.armature.engine.membership.Gossip;
import io.armature.engine.membership.PhiAccrualFailureDetector;
import io.armature.engine.membership.PhiAccrualSettings;
import io.armature.engine.membership.RingDistribution;
import io.armature.engine.metrics.EngineMetrics;
import io.armature.engine.repair.AntiEntropy;
import io.armature.engine.repair.HintedHandoff;
import io.armature.engine.repair.PartitionStreaming;
import io.armature.engine.repair.PendingPartitions;
import io.armature.engine.repair.TombstonePurge;
import io.armature.engine.repair.TombstonePurgePolicy;
import io.armature.engine.replica.ActorEpochs;
import io.armature.engine.replica.ObjectTooLargeException;
import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.versioning.VersionCodecException;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.FrameMac;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.engine.wire.RejectReason;
import io.armature.engine.wire.WireDecoder;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One node's whole logic: it decodes frames, serves as a replica, and coordinates requests.
 * Everything runs on the node's {@link io.armature.spi.runtime.Scheduler}; the transport's thread
 * only copies each message and queues it there. Later subsystems (gossip, handoff, anti-entropy)
 * plug into the reserved message types with {@link #handle}.
 */
public final class Node {
    /** Reads the record cache answered. */
    public static final String CACHE_HITS = "armature.cache.hits";
    /** Reads the record cache sent to storage. */
    public static final String CACHE_MISSES = "armature.cache.misses";
    /** Bytes the record cache holds, as charged. */
    public static final String CACHE_BYTES = "armature.cache.bytes";

    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    private static final long REJECT_LOG_INTERVAL_NANOS = 1_000_000_000L;

    private static final int RECENT_WRITES = 8192;
    private static final int REMEMBERED_VALUE_BYTES = 1024;
    private final NodeContext context;
    private final NodeConfig config;
    private final NodeId self;
    private final Membership membership;
    private final RingDistribution rings;
    private final FailureDetector detector;
    private final ReplicaStore store;
    private final EngineMetrics metrics;
    private final WireDecoder decoder;
    private final Coordinator coordinator;
    private final HintedHandoff handoff;
    private final AntiEntropy antiEntropy;
    private final TombstonePurge purge;
    private final PartitionStreaming streaming;
    private Gossip gossip;
    private final Map<MessageType, Consumer<Frame>> handlers = new EnumMap<>(MessageType.class);
    /**
     * Client writes seen recently, by reply endpoint and request id, with their results: a
     * duplicate is not applied twice, and is answered with the first copy's result.
     */
    private final Map<String, CompletableFuture<ReadResult<byte[]>>> recentWrites = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, CompletableFuture<ReadResult<byte[]>>> eldest) {
            return size() > RECENT_WRITES;
        }
    };
    private final UnsafeBuffer inbound = new UnsafeBuffer(new byte[0]);
    private final KvClient client;
    private WireEncoder encoder;
    private Endpoint bound;
    private Endpoint advertised;
    private final NodeGauges gauges;
    private long incarnation;
    private long lastRejectLog = Long.MIN_VALUE;
    /** This run installed a ring change that started from a ring naming this node. */
    private boolean wasMember;
    private volatile boolean running;

    /**
     * @param context what the node runs on
     */
    public Node(final NodeContext context) {
        this.context = context;
        this.config = context.config();
        this.self = config.nodeId();
        this.detector = context.failureDetector() != null ? context.failureDetector() : phiDetector(context);
        this.store = new ReplicaStore(context.storage(), config.faults(), config.recordCacheBytes());
        this.rings = new RingDistribution(self, context.membership(), store, detector, context.clock(),
            config.repair().gossipPeriod().toNanos(), context.transport().maxMessageSize());
        this.membership = rings;
        this.metrics = new EngineMetrics(context.meters(), self.value());
        cacheMeters(context.meters());
        this.gauges = new NodeGauges(self.value(), context.storage(), context.transport(), context.meters());
        this.decoder = new WireDecoder(context.transport().maxMessageSize(), FrameMac.of(config.secret()));
        this.coordinator = new Coordinator(self, config.store(), membership, detector, store, this::sendTo,
            context.scheduler(), context.clock(), metrics, context.random().nextLong());
        this.client = new LocalKvClient(this);
        this.handoff = new HintedHandoff(self, store, membership, detector, (to, m) -> send(to, 0, m) == SendStatus.SENT,
            context.scheduler(), context.clock(), config.repair(),
            Math.min(config.store().requestTimeout().toNanos(), config.repair().hintPeriod().toNanos()), config.store().n(),
            config.store().w(), context.meters());
        this.antiEntropy = new AntiEntropy(self, store, membership, detector, this::sendSized,
            context.scheduler(), context.clock(), new SplittableRandom(context.random().nextLong()), config.repair(),
            config.store().n(), context.meters());
        this.purge = new TombstonePurge(self, store, membership, (to, m) -> send(to, 0, m) == SendStatus.SENT, context.clock(),
            new TombstonePurgePolicy(config.repair().tombstoneGrace().toMillis()), config.store().n(), context.meters());
        antiEntropy.purge(purge);
        this.streaming = new PartitionStreaming(self, antiEntropy, detector, membership, store,
            (to, m) -> send(to, 0, m) == SendStatus.SENT, context.scheduler(), config.repair().hintPeriod().toNanos(),
            config.store().n());
        coordinator.pending(streaming.pendingPartitions());
        streaming.onHints(handoff::stored);
        antiEntropy.pushInFlight(config.store().requestTimeout().toNanos());
        purge.holds((partition, recordKey) -> (store.holdsHint(partition, recordKey) ? TombstonePurge.HOLDS_HINT : 0)
            | (antiEntropy.pushing(partition, recordKey) ? TombstonePurge.HOLDS_PUSH : 0)
            | (streaming.pendingPartitions().get(partition) != null ? TombstonePurge.HOLDS_MOVE : 0)
            | (coordinator.writing(recordKey) ? TombstonePurge.HOLDS_WRITE : 0));
    }

    /** The record cache's hit and miss counts and size; a restarted node replaces its old life's meters. */
    private void cacheMeters(final io.micrometer.core.instrument.MeterRegistry meters) {
        for (final String name : java.util.List.of(CACHE_HITS, CACHE_MISSES, CACHE_BYTES)) {
            for (final io.micrometer.core.instrument.Meter m : meters.find(name).tag("node", self.value()).meters()) {
                meters.remove(m);
            }
        }
        io.micrometer.core.instrument.FunctionCounter.builder(CACHE_HITS, store, ReplicaStore::cacheHits)
            .tag("node", self.value()).register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder(CACHE_MISSES, store, ReplicaStore::cacheMisses)
            .tag("node", self.value()).register(meters);
        io.micrometer.core.instrument.Gauge.builder(CACHE_BYTES, store, ReplicaStore::cacheBytes)
            .tag("node", self.value()).baseUnit("bytes").register(meters);
    }

    /**
     * Loads or mints the incarnation, then binds the transport. Call once, before the scheduler
     * runs anything else of this node.
     */
    public void start() {
        incarnation = store.loadOrMintIncarnation(context.random());
        coordinator.epochs(store.openEpochs(self, incarnation, context.clock().currentTimeMillis()));
        final int messageLimit = context.transport().maxMessageSize();
        checkObjectLimit(config.store(), messageLimit);
        coordinator.messageLimit(messageLimit);
        store.objectLimit(config.store().maxObjectSize());
        // Before the transport binds: the coordinator must route by the moves in progress from the first request.
        streaming.restore();
        bound = context.transport().bind(config.listen(), message -> {
            final byte[] copy = new byte[message.remaining()];
            // an absolute get: no view to allocate per message on the transport's thread
            message.get(message.position(), copy);
            context.scheduler().execute(() -> onMessage(copy));
        });
        advertised = advertised(config.advertise(), bound);
        encoder = new WireEncoder(self.value(), advertised, FrameMac.of(config.secret()));
        gossip = new Gossip(self, advertised, store.nextGeneration(context.clock().currentTimeMillis() / 1000), membership, config.seeds(), detector,
            (to, id, m) -> send(to, id, m) == SendStatus.SENT, context.scheduler(), context.clock(),
            new SplittableRandom(context.random().nextLong()), config.repair().gossipPeriod().toNanos(), context.meters());
        gossip.zone(config.zone());
        running = true;
        handlers.put(MessageType.GOSSIP, gossip::onGossip);
        handlers.put(MessageType.GOSSIP_REPLY, gossip::onReply);
        gossip.onRingBehind(rings::behind);
        gossip.onNewGeneration(store::recordGeneration);
        handlers.put(MessageType.RING_REQUEST, rings::onRequest);
        handlers.put(MessageType.RING, rings::onRing);
        handlers.put(MessageType.JOIN, rings::onJoin);
        handlers.put(MessageType.MEMBERSHIP_CHANGE, rings::onChange);
        rings.start(advertised, config.zone(), config.seeds(), gossip::view, (to, m) -> send(to, 0, m) == SendStatus.SENT,
            context.scheduler(), (before, after) -> {
                wasMember |= before.members().contains(self);
                streaming.begin(before, after);
            });
        gossip.statusFrom(() -> {
            // Once a gossip period, on the loop: the scrape reads these from its own thread.
            gauges.transfers(streaming.pending(), transfersOut(), streaming.releasing());
            return memberStatus();
        });
        gossip.settledFrom(streaming::settledEpoch);
        streaming.gossip(gossip::view);
        final java.util.List<Endpoint> others = config.seeds().stream().filter(e -> !e.equals(bound) && !e.equals(advertised)).toList();
        coordinator.proxyWhile(rings::provisional, others, (to, id, m) -> send(to, id, m) == SendStatus.SENT);
        gossip.start();
        if (rings.provisional()) {
            // A joiner knows its seeds only as endpoints: one push-pull now, rather than after a
            // gossip period, tells it every member's endpoint (and tells them its own).
            gossip.round();
        }
        handlers.put(MessageType.HINT_DELIVERY, f -> handoff.onDelivery(f, (partition, key, set) -> {
            if (!coordinator.replicates(partition) && !store.faults().has(FaultInjection.Fault.COUNT_NON_REPLICA)) {
                // Even as its named owner: the partition moved away, so no ack, and the stand-in keeps
                // the hint until its ring sends it to the current replicas.
                throw new IllegalArgumentException("hint for partition " + partition + " delivered to " + self
                    + ", which no longer replicates it");
            }
            store.merge(partition, key, set);
        }));
        handlers.put(MessageType.HINT_ACK, handoff::onAck);
        handoff.start();
        handlers.put(MessageType.ANTI_ENTROPY_TREE, antiEntropy::onTree);
        handlers.put(MessageType.ANTI_ENTROPY_TREE_REPLY, antiEntropy::onTree);
        handlers.put(MessageType.ANTI_ENTROPY_KEYS, antiEntropy::onKeys);
        handlers.put(MessageType.ANTI_ENTROPY_KEYS_REPLY, antiEntropy::onKeysReply);
        handlers.put(MessageType.TOMBSTONE_PURGE, purge::onMessage);
        handlers.put(MessageType.HANDOFF, streaming::onHandoff);
        handlers.put(MessageType.HANDOFF_ACK, streaming::onHandoffAck);
        antiEntropy.start();
        LOG.log(System.Logger.Level.DEBUG, "{0} started at {1} (advertised {2}), incarnation {3}", self, bound, advertised, incarnation);
    }

    /** Where peers reach this node: the configured address, its port 0 standing for the bound one, or the bound address itself. */
    private static Endpoint advertised(final Endpoint configured, final Endpoint bound) {
        if (configured == null) {
            return bound;
        }
        return configured.port() == 0 ? new Endpoint(configured.host(), bound.port()) : configured;
    }

    /**
     * Refuses a configuration in which a read could merge replicas' sets into more than one message
     * carries: every replica stores at most {@code store.max-object-size} per key, a read merges up
     * to N of them, and read repair sends that merge in one replica write (docs/design.md, "Object size").
     *
     * @param store the store's settings
     * @param messageLimit the transport's max-message-size
     * @throws IllegalArgumentException naming the settings that clash
     */
    public static void checkObjectLimit(final io.armature.engine.config.StoreSettings store, final int messageLimit) {
        final long needed = (long) store.n() * store.maxObjectSize() + store.maxKeySize() + Coordinator.FRAME_RESERVE;
        if (needed > messageLimit) {
            final int fits = Math.max(0, (messageLimit - store.maxKeySize() - Coordinator.FRAME_RESERVE) / store.n());
            throw new IllegalArgumentException("store.n (" + store.n() + ") times store.max-object-size ("
                + store.maxObjectSize() + ") plus store.max-key-size (" + store.maxKeySize() + ") and " + Coordinator.FRAME_RESERVE
                + " bytes of framing is " + needed + " bytes, more than the transport's max-message-size (" + messageLimit
                + "): a read that merges every replica's set could not be sent; lower store.max-object-size to at most "
                + fits + (store.maxValueSize() > fits ? " (and store.max-value-size with it)" : "")
                + " or raise the transport's max-message-size");
        }
    }

    /**
     * Fails requests in flight and closes the transport; the storage stays open (its owner
     * closes it). Call on the node's event loop, or after it stopped.
     */
    public void stop() {
        running = false;
        handoff.stop();
        rings.stop();
        if (gossip != null) {
            gossip.stop();
        }
        antiEntropy.stop();
        streaming.stop();
        coordinator.stop();
        context.transport().close();
        final ActorEpochs epochs = store.epochs();
        if (epochs != null) {
            // Last: after this nothing of this run may mint a dot.
            try {
                epochs.cleanStop(context.clock().currentTimeMillis());
            } catch (final RuntimeException e) {
                // No marker: the next start counts as unclean, which only costs fresh epochs.
                LOG.log(System.Logger.Level.WARNING, self + ": could not record a clean stop", e);
            }
        }
    }

    /**
     * @return a client that coordinates through this node
     */
    public KvClient client() {
        return client;
    }

    /**
     * Lets a later subsystem receive the frames of a reserved message type, on the event loop.
     *
     * @param type a reserved type
     * @param handler receives its frames
     */
    public void handle(final MessageType type, final Consumer<Frame> handler) {
        if (!type.isReserved()) {
            throw new IllegalArgumentException(type + " is handled by the node itself");
        }
        context.scheduler().execute(() -> handlers.put(type, handler));
    }

    /**
     * Sends a frame from this node. Event loop only.
     *
     * @param to the receiver
     * @param requestId the request id
     * @param message the body
     * @return what the transport did with it
     */
    public SendStatus send(final Endpoint to, final long requestId, final Message message) {
        if (!running) {
            return SendStatus.CLOSED;
        }
        try {
            final SendStatus status = context.transport().send(to, encoder.encode(requestId, message));
            gauges.sent(status);
            return status;
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: send to {1} failed: {2}", self, to, e);
            gauges.sendError();
            return SendStatus.NOT_CONNECTED;
        }
    }

    /** @return the bytes of the frame sent (anti-entropy charges its bucket for them), or -1 if not sent */
    private int sendSized(final Endpoint to, final Message message) {
        if (!running) {
            return -1;
        }
        try {
            final ByteBuffer frame = encoder.encode(0, message);
            final int bytes = frame.remaining();
            final SendStatus status = context.transport().send(to, frame);
            gauges.sent(status);
            return status == SendStatus.SENT ? bytes : -1;
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: send to {1} failed: {2}", self, to, e);
            gauges.sendError();
            return -1;
        }
    }

    /** @return partitions other nodes still pull from this one (moves it loses whose gainers wait). Event loop only. */
    public int transfersOut() {
        int out = 0;
        for (final PendingPartitions.Move m : streaming.pendingPartitions().moves().values()) {
            out += m.from().contains(self) && !m.waiting().isEmpty() ? 1 : 0;
        }
        return out;
    }

    /**
     * What this node gossips about itself: JOINING until it holds a ring that names it, UP while
     * it is a member, LEAVING once a ring without it is installed and it still holds partitions
     * waiting for their gainers (or still pulls some), LEFT when it holds none of them. Event loop only.
     *
     * @return the status
     */
    public io.armature.engine.membership.MemberState.Status memberStatus() {
        final boolean member = rings.ringEpoch() != 0 && rings.ring().members().contains(self);
        if (member) {
            return io.armature.engine.membership.MemberState.Status.UP;
        }
        // A restarted leaver has no change of this run, but its persisted moves still name it as a loser.
        if (!wasMember && streaming.releasing() == 0) {
            return io.armature.engine.membership.MemberState.Status.JOINING;
        }
        wasMember = true;
        return streaming.releasing() > 0 || streaming.pending() > 0
            ? io.armature.engine.membership.MemberState.Status.LEAVING : io.armature.engine.membership.MemberState.Status.LEFT;
    }

    /**
     * Phi accrual over gossip heartbeats, keeping the time-out rule (Dynamo section 4.8.3): a node
     * that misses {@code suspectAfterTimeouts} requests is skipped for {@code suspectRetry}.
     */
    private static FailureDetector phiDetector(final NodeContext context) {
        final NodeConfig c = context.config();
        final PhiAccrualSettings d = PhiAccrualSettings.forGossipPeriod(c.repair().gossipPeriod().toNanos());
        return new PhiAccrualFailureDetector(context.clock(), new PhiAccrualSettings(d.threshold(), d.windowSize(),
            d.firstHeartbeatEstimateNanos(), d.acceptableHeartbeatPauseNanos(), d.minMeanIntervalNanos(),
            d.maxSampleIntervalNanos(), c.suspectAfterTimeouts(), c.suspectRetry().toNanos()));
    }

    private boolean sendTo(final NodeId to, final long requestId, final Message message) {
        final Endpoint e = membership.endpointOf(to);
        return e != null && send(e, requestId, message) == SendStatus.SENT;
    }

    private void onMessage(final byte[] bytes) {
        if (!running) {
            return;
        }
        inbound.wrap(bytes);
        final WireDecoder.Decoded d = decoder.decode(inbound, 0, bytes.length);
        if (!d.ok()) {
            reject(d.reason(), d.detail());
            return;
        }
        final Frame frame = d.frame();
        NodeId sender = null;
        if (!frame.sender().isEmpty()) {
            sender = new NodeId(frame.sender());
            detector.heard(sender);
            handoff.heard(sender);
        }
        try {
            dispatch(frame, sender);
        } catch (final ObjectTooLargeException e) {
            // A repair or hint delivery this replica refused: nothing acknowledged, the sender keeps its copy.
            LOG.log(System.Logger.Level.DEBUG, "{0}: refused a merge: {1}", self, e.getMessage());
        } catch (final VersionCodecException e) {
            reject(RejectReason.BAD_CONTENT, e.getMessage());
        } catch (final RuntimeException e) {
            // A well-formed frame whose contents this node cannot act on (for example a partition
            // outside the keyspace range): counted like any bad frame, never fatal to the loop.
            reject(RejectReason.BAD_CONTENT, String.valueOf(e));
        }
    }

    private void dispatch(final Frame frame, final NodeId sender) {
        final Message m = frame.message();
        final int partitions = membership.ring().partitionCount();
        if (m instanceof Message.ReplicaGet g && g.partition() >= partitions
            || m instanceof Message.ReplicaPut p && p.partition() >= partitions) {
            reject(RejectReason.BAD_CONTENT, "partition beyond the ring's " + partitions);
            return;
        }
        if (m instanceof Message.ReplicaGet g) {
            VersionSet set;
            boolean ok = true;
            try {
                set = store.read(g.partition(), g.key());
            } catch (final RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, self + ": replica read failed", e);
                set = null;
                ok = false;
            }
            send(frame.replyTo(), frame.requestId(), new Message.ReplicaGetReply(ok, set == null ? null : set.encode()));
        } else if (m instanceof Message.ReplicaPut p) {
            final VersionSet incoming = VersionSet.decode(p.versionSet());
            boolean ok = true;
            boolean tooLarge = false;
            try {
                if (store.faults().has(FaultInjection.Fault.ACK_WITHOUT_STORE)) {
                    LOG.log(System.Logger.Level.TRACE, "fault injected: ack without store");
                } else if (p.hintOwner() == null && !coordinator.replicates(p.partition())
                    && !store.faults().has(FaultInjection.Fault.COUNT_NON_REPLICA)) {
                    // A partition this node dropped or never had: an ack would count a copy that
                    // no read or repair will look for. The refusal makes the coordinator hand off.
                    LOG.log(System.Logger.Level.DEBUG, "{0}: refused a replica write for partition {1}, not a replica",
                        self, p.partition());
                    ok = false;
                } else if (p.hintOwner() == null) {
                    store.merge(p.partition(), p.key(), incoming);
                } else if (store.faults().has(FaultInjection.Fault.DROP_HINTS)) {
                    LOG.log(System.Logger.Level.TRACE, "fault injected: hint dropped");
                } else {
                    store.storeHint(new NodeId(p.hintOwner()), p.partition(), p.key(), incoming);
                    handoff.stored();
                }
            } catch (final ObjectTooLargeException e) {
                // Riak's too_large at the vnode: the coordinator learns why, and does not hand the
                // copy to a stand-in whose hint this replica would refuse again.
                LOG.log(System.Logger.Level.INFO, "{0}: refused a replica write: {1}", self, e.getMessage());
                ok = false;
                tooLarge = true;
            } catch (final RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, self + ": replica write failed", e);
                ok = false;
            }
            if (frame.requestId() != 0) {
                send(frame.replyTo(), frame.requestId(), new Message.ReplicaPutReply(ok, tooLarge));
            }
        } else if (m instanceof Message.ReplicaGetReply || m instanceof Message.ReplicaPutReply
            || m instanceof Message.ClientReply) {
            if (sender != null) {
                coordinator.onReply(frame.requestId(), sender, m);
            }
        } else if (m instanceof Message.ClientGet g) {
            final long timeout = g.timeoutMillis() == 0 ? config.store().requestTimeout().toMillis() : g.timeoutMillis();
            answer(frame, "get", coordinator.get(g.key(), g.r(), timeout));
        } else if (m instanceof Message.ClientWrite w) {
            final String operation = w.op() == Message.WriteOp.PUT ? "put" : "delete";
            final String id = frame.replyTo() + "#" + frame.requestId();
            final CompletableFuture<ReadResult<byte[]>> first = recentWrites.get(id);
            if (first != null && !store.faults().has(FaultInjection.Fault.APPLY_DUPLICATE_TWICE)) {
                // A duplicated write message must not be versioned twice: that would make one
                // write two siblings. But the copy may be the client's retry after the first
                // answer was lost, so it gets the first copy's result once there is one.
                answer(frame, operation, first);
                return;
            }
            final CompletableFuture<ReadResult<byte[]>> result = coordinator.write(w);
            recentWrites.put(id, result);
            answer(frame, operation, result);
            result.thenAccept(r -> {
                // Thousands of remembered results must not pin megabytes of values: a retry of
                // a write with large values learns it succeeded and its context, and reads the values.
                if (valueBytes(r) > REMEMBERED_VALUE_BYTES) {
                    recentWrites.computeIfPresent(id, (k, v) -> v == result
                        ? CompletableFuture.completedFuture(ReadResult.of(java.util.List.of(), r.context())) : v);
                }
            });
        } else if (m instanceof Message.Opaque o) {
            final Consumer<Frame> h = handlers.get(o.reservedType());
            if (h != null) {
                h.accept(frame);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "{0}: no handler for {1}", self, o.reservedType());
            }
        }
    }

    private static long valueBytes(final ReadResult<byte[]> r) {
        long n = 0;
        for (final byte[] v : r.values()) {
            n += v.length;
        }
        return n;
    }

    private void answer(final Frame frame, final String operation, final CompletableFuture<ReadResult<byte[]>> result) {
        result.whenComplete((r, e) -> send(frame.replyTo(), frame.requestId(),
            e == null ? Replies.ok(r) : Replies.error(operation, e)));
    }

    private void reject(final RejectReason reason, final String detail) {
        metrics.rejected(reason);
        final long now = context.clock().nanoTime();
        if (lastRejectLog == Long.MIN_VALUE || now - lastRejectLog >= REJECT_LOG_INTERVAL_NANOS) {
            lastRejectLog = now;
            LOG.log(System.Logger.Level.DEBUG, "{0}: rejected a frame ({1}): {2}", self, reason.tag(), detail);
        }
    }

    /** @return the node's id */
    public NodeId id() {
        return self;
    }

    /** @return the node's configuration */
    public NodeConfig config() {
        return config;
    }

    /** @return what the node runs on */
    public NodeContext context() {
        return context;
    }

    /**
     * @return where peers and clients reach this node (its advertised address; without one, the
     *     endpoint the transport bound), or null before {@link #start()}
     */
    public Endpoint endpoint() {
        return advertised;
    }

    /** @return the endpoint the transport bound (a wildcard host, perhaps), or null before {@link #start()} */
    public Endpoint boundEndpoint() {
        return bound;
    }

    /** @return the node's storage */
    public StorageEngine storage() {
        return context.storage();
    }

    /** @return the node's replica view of its storage */
    public ReplicaStore replica() {
        return store;
    }

    /** @return the incarnation this run of the node uses in its actor id */
    public long incarnation() {
        return incarnation;
    }

    /** @return the failure detector */
    public FailureDetector failureDetector() {
        return detector;
    }

    /** @return the membership the node routes by */
    public Membership membership() {
        return membership;
    }

    /** @return the node's meters */
    public EngineMetrics metrics() {
        return metrics;
    }

    /** @return the hinted handoff (event loop only) */
    public HintedHandoff handoff() {
        return handoff;
    }

    /** @return the anti-entropy (event loop only) */
    public AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    /** @return the membership gossip, or null before {@link #start()} (event loop only) */
    public Gossip gossip() {
        return gossip;
    }

    /** @return the partition streaming of ring changes (event loop only) */
    public PartitionStreaming streaming() {
        return streaming;
    }

    /** @return the ring this node holds and spreads (ring() and endpointOf from any thread) */
    public RingDistribution rings() {
        return rings;
    }

    /** @return the coordinator (event loop only) */
    public Coordinator coordinator() {
        return coordinator;
    }

    /** @return true between {@link #start()} and {@link #stop()} */
    public boolean isRunning() {
        return running;
    }
}
