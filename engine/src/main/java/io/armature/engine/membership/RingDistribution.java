package io.armature.engine.membership;

import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.ring.RingCodecException;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Clock;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.transport.Endpoint;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * This node's ring, spread by gossip (docs/repair.md, "Ring distribution and join").
 *
 * <p>Rings change only by an explicit join or leave, each one epoch above the last, and a node
 * installs a ring only if its epoch is above the one it holds, so changes are never reordered and
 * never lost (the installed ring is persisted in META before it is announced). Gossip carries each
 * member's ring epoch; a node that sees a higher epoch asks that member for its ring
 * (RING_REQUEST, answered by RING: {@code Ring.encode()} in chunks that fit the transport, {@link RingChunks}).
 *
 * <p>To keep two different rings from getting the same epoch, changes are serialized through one
 * claimant (as Riak's): the ring member with the smallest node id among those the failure
 * detector considers available. A JOIN sent to any node is relayed to the claimant, which computes
 * {@code ring.join(node, zone)} at epoch + 1. Two nodes that disagree on who is available could
 * both claim for a moment; the later ring then loses the tie (same epoch: the first one installed
 * stays) and the joiner, still missing, asks again.
 *
 * <p>The base membership (the embedded cluster's shared ring, or the command line's first ring)
 * stays a source too: whichever ring has the higher epoch wins, so an operator's decommission
 * through the base still applies. Event loop only, except {@link #ring()} and {@link #endpointOf}.
 */
public final class RingDistribution implements Membership {
    private static final System.Logger LOG = System.getLogger(RingDistribution.class.getName());
    private static final byte VERSION = 1;

    /** How ring messages reach other nodes. */
    @FunctionalInterface
    public interface Outbound {
        /**
         * @param to the receiver
         * @param message the body
         * @return true if sent
         */
        boolean send(Endpoint to, Message message);
    }

    private final NodeId self;
    private final Membership base;
    private final ReplicaStore store;
    private final FailureDetector detector;
    private final Clock clock;
    private final long periodNanos;
    private final int chunkLength;
    private final RingChunks.Assembler chunks;
    private volatile Ring ring;
    private volatile Supplier<MembershipView> view = MembershipView::empty;
    private BiConsumer<Ring, Ring> onChange = (before, after) -> { };
    private Outbound out;
    private Scheduler scheduler;
    private List<Endpoint> seeds = List.of();
    private String zone = "";
    private Endpoint endpoint;
    private Cancellable joinTimer;
    /** JOINs still to send after this node first held a ring naming it; -1 before that. */
    private int confirmAsks = -1;
    private int nextSeed;
    private long lastRequestNanos = Long.MIN_VALUE;
    /** The ring the last change this node made as claimant was made from (sent first to a replacement). */
    private Ring previous;
    /** Latched once this node holds a ring with itself and knows every member's endpoint. */
    private boolean routable;

    /**
     * @param self this node
     * @param base the ring and endpoints the node was started with
     * @param store where the ring is persisted
     * @param detector who is available (picks the claimant)
     * @param clock the node's clock
     * @param periodNanos how often to retry a join or a ring request
     */
    public RingDistribution(final NodeId self, final Membership base, final ReplicaStore store, final FailureDetector detector,
                            final Clock clock, final long periodNanos) {
        this(self, base, store, detector, clock, periodNanos, io.armature.spi.transport.TransportConfig.DEFAULT_MAX_MESSAGE_SIZE);
    }

    /**
     * @param self this node
     * @param base the ring and endpoints the node was started with
     * @param store where the ring is persisted
     * @param detector who is available (picks the claimant)
     * @param clock the node's clock
     * @param periodNanos how often to retry a join or a ring request
     * @param maxMessageSize the transport's largest message: rings travel in RING chunks that fit it
     * @throws IllegalArgumentException if not even a small chunk fits ({@link RingChunks#chunkLength})
     */
    public RingDistribution(final NodeId self, final Membership base, final ReplicaStore store, final FailureDetector detector,
                            final Clock clock, final long periodNanos, final int maxMessageSize) {
        this.chunkLength = RingChunks.chunkLength(maxMessageSize);
        this.chunks = new RingChunks.Assembler(base.ring().partitionCount());
        this.self = self;
        this.base = Objects.requireNonNull(base, "base");
        this.store = store;
        this.detector = detector;
        this.clock = clock;
        this.periodNanos = periodNanos;
        Ring persisted = null;
        final byte[] raw = store.loadRing();
        if (raw != null) {
            try {
                persisted = Ring.decode(raw);
            } catch (final RingCodecException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: the persisted ring is unreadable, starting from the configured one: {1}",
                    self, e.getMessage());
            }
        }
        this.ring = persisted;
    }

    /**
     * Connects the distribution to the running node.
     *
     * @param endpoint where this node listens
     * @param zone this node's zone (used when it joins)
     * @param seeds whom to ask to join
     * @param gossipView the current gossip view (for endpoints of new members)
     * @param outbound how to send
     * @param loop the event loop
     * @param changed called with (before, after) each time a newer ring is installed
     */
    public void start(final Endpoint endpoint, final String zone, final List<Endpoint> seeds,
                      final Supplier<MembershipView> gossipView, final Outbound outbound, final Scheduler loop,
                      final BiConsumer<Ring, Ring> changed) {
        this.endpoint = endpoint;
        this.zone = zone;
        this.seeds = List.copyOf(seeds);
        this.view = gossipView;
        this.out = outbound;
        this.scheduler = loop;
        this.onChange = changed;
        if (store.loadRing() == null && !(base instanceof Joining)) {
            store.saveRing(ring().encode());
        }
        if (joining()) {
            askToJoin();
        }
    }

    /** Stops asking to join. */
    public void stop() {
        if (joinTimer != null) {
            joinTimer.cancel();
            joinTimer = null;
        }
    }

    @Override
    public Ring ring() {
        final Ring own = ring;
        if (base instanceof Joining) {
            return own == null ? base.ring() : own;
        }
        final Ring b = base.ring();
        return own == null || b.epoch() > own.epoch() ? b : own;
    }

    @Override
    public long ringEpoch() {
        return base instanceof Joining && ring == null ? 0 : ring().epoch();
    }

    /**
     * The base membership of a node that joins a running cluster and has no ring yet: until the
     * cluster's ring arrives it routes by a ring of itself alone, gossips ring epoch 0 (so any real
     * ring wins) and keeps asking its seeds to join.
     */
    public static final class Joining implements Membership {
        private final Ring solo;
        private final NodeId self;
        private final Endpoint endpoint;

        /**
         * @param self the joining node
         * @param endpoint where it listens
         * @param partitions Q, the same as the cluster's
         * @param zone its zone
         */
        public Joining(final NodeId self, final Endpoint endpoint, final int partitions, final String zone) {
            this.solo = Ring.create(partitions, java.util.Map.of(self, zone));
            this.self = self;
            this.endpoint = endpoint;
        }

        @Override
        public Ring ring() {
            return solo;
        }

        @Override
        public Endpoint endpointOf(final NodeId node) {
            return node.equals(self) ? endpoint : null;
        }

        @Override
        public long ringEpoch() {
            return 0;
        }
    }

    @Override
    public Endpoint endpointOf(final NodeId node) {
        final Endpoint e = base.endpointOf(node);
        if (e != null) {
            return e;
        }
        final MemberState s = view.get().get(node);
        return s == null ? null : s.endpoint();
    }

    /**
     * @return the claimant: the smallest ring member this node considers available
     */
    public NodeId claimant() {
        for (final NodeId n : ring().members().stream().sorted().toList()) {
            if (n.equals(self) || detector.isAvailable(n)) {
                return n;
            }
        }
        return self;
    }

    /**
     * Installs {@code next} if its epoch is above the current ring's: persisted first, then the
     * change callback (partition streaming) runs.
     *
     * @param next a ring
     * @return true if installed
     */
    public boolean offer(final Ring next) {
        final Ring before = ring();
        if (next.epoch() <= ringEpoch()) {
            return false;
        }
        if (next.partitionCount() != before.partitionCount()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: ignoring a ring of {1} partitions, this node has {2}", self,
                next.partitionCount(), before.partitionCount());
            return false;
        }
        final boolean held = ringEpoch() != 0;
        final boolean wasMember = held && before.members().contains(self);
        store.saveRing(next.encode());
        ring = next;
        LOG.log(System.Logger.Level.INFO, "{0}: installed ring epoch {1} with {2} members", self, next.epoch(), next.members().size());
        if (next.members().contains(self) && joinTimer != null && confirmAsks < 0) {
            // Two claimants may each have added a joiner at this epoch, and a node keeps the ring
            // it installed first: this one may lack us elsewhere, with no epoch to tell. One more
            // JOIN to every seed lets any seed whose ring lacks us have the claimant add us anew.
            confirmAsks = seeds.size();
        }
        if (wasMember || held && next.members().contains(self)) {
            onChange.accept(before, next);
        } else if (next.members().contains(self)) {
            // A joiner's first ring, without the one it was made from (the claimant sends that one
            // first, but it may be lost): plan as if it were leaving the new ring. Exact for a ring
            // made by one join; after leaves the claim may place partitions differently, and then
            // some gained partitions name sources that did not hold them (docs/repair.md).
            onChange.accept(next.members().size() > 1 ? next.leave(self) : next, next);
        }
        // A ring that does not name this node and never did moves nothing here.
        return true;
    }

    /**
     * Gossip saw a member whose ring epoch is above ours: ask it for its ring, at most once per period.
     *
     * @param ahead the member's state
     */
    public void behind(final MemberState ahead) {
        if (out == null || ahead.ringEpoch() <= ringEpoch()) {
            return;
        }
        final long now = clock.nanoTime();
        if (lastRequestNanos != Long.MIN_VALUE && now - lastRequestNanos < periodNanos) {
            return;
        }
        lastRequestNanos = now;
        out.send(ahead.endpoint(), new Message.Opaque(MessageType.RING_REQUEST, new byte[] {VERSION}));
    }

    /**
     * RING_REQUEST: answer with this node's ring.
     *
     * @param frame the frame
     */
    public void onRequest(final Frame frame) {
        sendRing(frame.replyTo(), ring());
    }

    /**
     * RING: one chunk of a ring; install the ring once every chunk arrived, if newer.
     *
     * @param frame the frame
     * @throws RingCodecException if the body is not a ring chunk, or the chunks not a ring
     */
    public void onRing(final Frame frame) {
        final Ring received = chunks.accept(frame.sender(), ((Message.Opaque) frame.message()).body(), ringEpoch());
        if (received != null) {
            offer(received);
        }
    }

    /** A ring of any Q travels in chunks that each fit one transport message (RingChunks). */
    private void sendRing(final Endpoint to, final Ring r) {
        for (final byte[] chunk : RingChunks.split(r, chunkLength)) {
            if (!out.send(to, new Message.Opaque(MessageType.RING, chunk))) {
                return;
            }
        }
    }

    /**
     * JOIN: the claimant adds the node at epoch + 1; any other node relays the request to the
     * claimant. A node already in the ring gets the ring back (it may have missed it).
     *
     * @param frame the frame
     * @throws MembershipCodecException if the body is malformed
     */
    public void onJoin(final Frame frame) {
        final byte[] body = ((Message.Opaque) frame.message()).body();
        final JoinRequest join = JoinRequest.decode(body);
        final Ring current = ring();
        if (current.members().contains(join.node())) {
            // A replacement named by the ring before it ever ran: the ring it was made from goes
            // first, so that it plans its gains exactly (from the replaced node's replicas).
            final Ring before = previous;
            if (before != null && before.epoch() + 1 == current.epoch() && !before.members().contains(join.node())) {
                sendRing(join.endpoint(), before);
            }
            sendRing(join.endpoint(), current);
            return;
        }
        final NodeId claimant = claimant();
        if (claimant.equals(self)) {
            previous = current;
            offer(current.join(join.node(), join.zone()));
            // The ring the join was made from goes first: the joiner installs it without planning
            // anything, then plans its transfers from it exactly like every other member.
            sendRing(join.endpoint(), current);
            sendRing(join.endpoint(), ring());
        } else {
            final Endpoint to = endpointOf(claimant);
            if (to != null) {
                out.send(to, new Message.Opaque(MessageType.JOIN, body));
            }
        }
    }

    /**
     * An operator's change (leave, remove, replace) asked of this node: checked against the ring
     * it holds, then applied if this node is the claimant, or relayed to the claimant
     * (MEMBERSHIP_CHANGE), which applies it at epoch + 1 and spreads the ring by gossip.
     *
     * @param change the change
     * @return the ring the change makes from this node's ring (what the claimant will install
     *     unless another change comes first), or null if the ring already has it
     * @throws IllegalArgumentException if the change cannot apply to this node's ring
     * @throws IllegalStateException if it would remove the last member, or the claimant is unknown
     */
    public Ring change(final MembershipChange change) {
        final Ring current = ring();
        final Ring next = change.applyTo(current);
        if (next == null) {
            return null;
        }
        final NodeId claimant = claimant();
        if (claimant.equals(self)) {
            previous = current;
            offer(next);
            LOG.log(System.Logger.Level.INFO, "{0}: {1} applied at ring epoch {2}", self, change, next.epoch());
        } else {
            final Endpoint to = endpointOf(claimant);
            if (to == null || out == null || !out.send(to, new Message.Opaque(MessageType.MEMBERSHIP_CHANGE, change.encode()))) {
                throw new IllegalStateException("cannot reach the claimant " + claimant + " to " + change);
            }
        }
        return next;
    }

    /**
     * MEMBERSHIP_CHANGE: apply it as claimant, or relay it to the claimant.
     *
     * @param frame the frame
     * @throws MembershipCodecException if the body is malformed
     */
    public void onChange(final Frame frame) {
        final MembershipChange change = MembershipChange.decode(((Message.Opaque) frame.message()).body());
        try {
            change(change);
        } catch (final IllegalArgumentException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot {1}: {2}", self, change, e.getMessage());
        }
    }

    private void askToJoin() {
        joinTimer = null;
        if (seeds.isEmpty() || !joining() && confirmAsks-- <= 0) {
            return;
        }
        final Endpoint seed = seeds.get(Math.floorMod(nextSeed++, seeds.size()));
        if (!seed.equals(endpoint)) {
            out.send(seed, new Message.Opaque(MessageType.JOIN, new JoinRequest(self, zone, endpoint).encode()));
        }
        joinTimer = scheduler.schedule(periodNanos, this::askToJoin);
    }

    /**
     * Whether this node must not coordinate yet. A node that started without a ring (from
     * {@link Joining}) routes by a provisional ring of itself alone until the cluster's ring
     * arrives, and even then cannot reach the other members until gossip has told it their
     * endpoints (the ring carries only ids): coordinating in between would version writes into
     * partitions it may never own and fail them for want of replicas. It stays provisional until
     * it holds a ring that names it and resolves every member's endpoint; then it latches off.
     * Event loop only.
     *
     * @return true while requests must go to a node that holds the real ring
     */
    public boolean provisional() {
        if (routable) {
            return false;
        }
        if (base instanceof Joining) {
            if (joining()) {
                return true;
            }
            for (final NodeId m : ring().members()) {
                if (endpointOf(m) == null) {
                    return true;
                }
            }
        }
        routable = true;
        return false;
    }

    /** @return true while this node is not a member of the ring it holds */
    public boolean joining() {
        return ringEpoch() == 0 || !ring().members().contains(self);
    }
}
