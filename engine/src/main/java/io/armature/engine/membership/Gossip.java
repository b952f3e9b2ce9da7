package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
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
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * Push-pull membership gossip (docs/repair.md, "Gossip round"; Dynamo section 4.8): every period
 * this node beats its own heartbeat and sends its {@link MembershipView} to the
 * {@link GossipTargets}; the receiver merges it and answers with the merged view. Heartbeats that
 * advanced in a merge feed the {@link PhiAccrualFailureDetector} as relayed news; messages from a
 * node itself count as direct news (the node calls {@code heard}). Suspicion only steers requests
 * away: it never changes the ring. Event loop only.
 */
public final class Gossip {
    /** Round trip of a gossip exchange (push to merged reply). */
    public static final String ROUND_TIME = "armature.gossip.round";
    /** Ring members this node currently suspects. */
    public static final String SUSPECTED = "armature.gossip.suspected";
    /**
     * Times a peer held a state of this node that this run's did not cover (an earlier life at the
     * same or a higher generation), so this run moved to a higher generation.
     */
    public static final String SELF_AHEAD = "armature.gossip.self.ahead";

    private static final System.Logger LOG = System.getLogger(Gossip.class.getName());

    /** How gossip reaches other nodes. */
    @FunctionalInterface
    public interface Outbound {
        /**
         * @param to the receiver
         * @param requestId echoed by the reply
         * @param message the body
         * @return true if sent
         */
        boolean send(Endpoint to, long requestId, Message message);
    }

    private final NodeId self;
    private final Membership membership;
    private final FailureDetector detector;
    private final Outbound out;
    private final Scheduler scheduler;
    private final Clock clock;
    private final RandomGenerator random;
    private final long periodNanos;
    private final List<Endpoint> seeds;
    private final Timer roundTime;
    private final AtomicLong suspected = new AtomicLong();
    private final Counter selfAhead;
    private MemberState me;
    private MembershipView view;
    private long round;
    private int aheadTurn;
    private long roundStartNanos;
    private Cancellable timer;
    private boolean running;
    private Consumer<MemberState> ringBehind = ahead -> { };
    private java.util.function.Supplier<MemberState.Status> statusSource = () -> MemberState.Status.UP;
    private java.util.function.LongSupplier settledSource = () -> 0;
    private LongConsumer newGeneration = generation -> { };

    /**
     * @param self this node
     * @param endpoint where it listens
     * @param generation this run's generation, greater than every earlier run's
     * @param membership the ring and endpoints (its members are the first gossip candidates)
     * @param seeds seed endpoints; empty means every ring member's endpoint
     * @param detector the detector to consult and, if it is a {@link PhiAccrualFailureDetector}, to feed
     * @param out how to send
     * @param scheduler the event loop
     * @param clock the node's clock
     * @param random the node's seeded randomness
     * @param periodNanos the gossip period
     * @param meters where to register the meters
     */
    public Gossip(final NodeId self, final Endpoint endpoint, final long generation, final Membership membership,
                  final List<Endpoint> seeds, final FailureDetector detector, final Outbound out,
                  final Scheduler scheduler, final Clock clock, final RandomGenerator random, final long periodNanos,
                  final MeterRegistry meters) {
        this.self = self;
        this.membership = membership;
        this.detector = detector;
        this.out = out;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.periodNanos = periodNanos;
        // A node that holds no ring yet is joining; statusFrom moves it on.
        this.me = new MemberState(self, endpoint, membership.ringEpoch() == 0 ? MemberState.Status.JOINING : MemberState.Status.UP,
            generation, 0, membership.ringEpoch());
        MembershipView v = MembershipView.empty().with(me);
        final List<Endpoint> s = new ArrayList<>(seeds);
        for (final NodeId n : membership.ring().members()) {
            final Endpoint e = membership.endpointOf(n);
            if (!n.equals(self) && e != null) {
                // Generation 0 stands for "not heard yet": any real state of the node replaces it.
                v = v.with(new MemberState(n, e, MemberState.Status.UP, 0, 0, 0, 0, membership.ring().zoneOf(n)));
                if (seeds.isEmpty()) {
                    s.add(e);
                }
            }
        }
        this.view = v;
        this.seeds = List.copyOf(s);
        this.roundTime = Timer.builder(ROUND_TIME).tag("node", self.value()).register(meters);
        this.selfAhead = Counter.builder(SELF_AHEAD).tag("node", self.value()).register(meters);
        final Meter old = meters.find(SUSPECTED).tag("node", self.value()).gauge();
        if (old != null) {
            meters.remove(old);
        }
        Gauge.builder(SUSPECTED, suspected, AtomicLong::get).tag("node", self.value()).strongReference(true).register(meters);
    }

    /**
     * @param zone the zone this node gossips about itself ({@code ""} for none); call before {@link #start()}
     */
    public void zone(final String zone) {
        if (!zone.equals(me.zone())) {
            me = me.withZone(zone);
            view = view.replace(me);
        }
    }

    /** Starts the rounds. */
    public void start() {
        running = true;
        tick();
    }

    /** Stops the rounds. */
    public void stop() {
        running = false;
        if (timer != null) {
            timer.cancel();
        }
    }

    private void tick() {
        timer = scheduler.schedule(periodNanos, () -> {
            if (running) {
                round();
                tick();
            }
        });
    }

    /**
     * Where this node's own status comes from (JOINING, UP, LEAVING, LEFT as its ring and its
     * partition moves say); read at every round, and at once. A status never moves backwards
     * within a generation, so a source that answers an earlier status than the current one is
     * ignored until it catches up.
     *
     * @param source the node's status now
     */
    public void statusFrom(final java.util.function.Supplier<MemberState.Status> source) {
        this.statusSource = source;
        updateStatus();
        view = view.replace(me);
    }

    /**
     * Where this node's settled epoch comes from (the ring epoch at which it holds every
     * partition it gained, {@link MemberState#settledEpoch}); read at every round.
     *
     * @param source the node's settled epoch now
     */
    public void settledFrom(final java.util.function.LongSupplier source) {
        this.settledSource = source;
    }

    private void updateStatus() {
        final MemberState.Status wanted = statusSource.get();
        if (wanted.compareTo(me.status()) > 0) {
            me = me.withStatus(wanted);
        }
        final long settled = settledSource.getAsLong();
        if (settled > me.settledEpoch()) {
            me = me.withSettledEpoch(settled);
        }
    }

    /** @return the status this node gossips about itself */
    public MemberState.Status status() {
        return me.status();
    }

    /** One round: beat, pick targets, push the view. */
    public void round() {
        final long epoch = membership.ringEpoch();
        me = epoch > me.ringEpoch() ? me.withRingEpoch(epoch) : me.beat();
        updateStatus();
        view = view.replace(me);
        round++;
        roundStartNanos = clock.nanoTime();
        final byte[] body = view.encode();
        for (final Endpoint to : GossipTargets.choose(view, self, seeds, detector::isAvailable, random)) {
            out.send(to, round, new Message.Opaque(MessageType.GOSSIP, body));
        }
        long n = 0;
        for (final NodeId member : membership.ring().members()) {
            n += !member.equals(self) && !detector.isAvailable(member) ? 1 : 0;
        }
        suspected.set(n);
    }

    /**
     * A GOSSIP push: merge it and answer with the merged view.
     *
     * @param frame the frame
     */
    public void onGossip(final Frame frame) {
        merge(((Message.Opaque) frame.message()).body());
        out.send(frame.replyTo(), frame.requestId(), new Message.Opaque(MessageType.GOSSIP_REPLY, view.encode()));
    }

    /**
     * A GOSSIP_REPLY: merge it.
     *
     * @param frame the frame
     */
    public void onReply(final Frame frame) {
        merge(((Message.Opaque) frame.message()).body());
        if (frame.requestId() == round) {
            roundTime.record(clock.nanoTime() - roundStartNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void merge(final byte[] body) {
        final MembershipView received = MembershipView.decode(body);
        final MembershipView joined = view.merge(received);
        final MemberState held = joined.get(self);
        if (!me.covers(held)) {
            moveAbove(held);
        }
        final MembershipView merged = joined.replace(me);
        for (final NodeId n : view.heartbeatsAdvancedIn(merged)) {
            if (!n.equals(self)) {
                if (detector instanceof PhiAccrualFailureDetector phi) {
                    phi.heartbeat(n);
                }
            }
        }
        view = merged;
        final long epoch = membership.ringEpoch();
        final List<MemberState> ahead = new ArrayList<>();
        for (final MemberState m : merged.members()) {
            if (m.ringEpoch() > epoch && !m.node().equals(self) && m.status() != MemberState.Status.LEFT) {
                ahead.add(m);
            }
        }
        if (!ahead.isEmpty()) {
            // In turn, not always the first in id order: one member this node cannot hear from
            // (its replies lost) must not keep it on an old ring.
            ringBehind.accept(ahead.get(Math.floorMod(aheadTurn++, ahead.size())));
        }
    }

    /**
     * A peer holds a state of this node that this run's does not cover: an earlier life with the
     * same or a higher generation (a wiped store under a clock that went back, two starts within
     * one second). Refusing the peer's view would cut this node off from gossip until its
     * heartbeat passed the old one; a new generation above the held one wins outright instead.
     */
    private void moveAbove(final MemberState held) {
        final long generation = Math.addExact(Math.max(me.generation(), held.generation()), 1);
        LOG.log(System.Logger.Level.WARNING, "{0}: a peer holds {1}, not covered by this run''s {2}; moving to generation {3}"
            + " (a wiped store, a clock that went back, or two nodes with one id)", self, held, me, generation);
        selfAhead.increment();
        me = new MemberState(self, me.endpoint(), me.status(), generation, 0, me.ringEpoch(), me.settledEpoch(), me.zone());
        newGeneration.accept(generation);
    }

    /**
     * @param listener told of each generation this run moves to after it started, to store it
     *     so that the next run starts above it
     */
    public void onNewGeneration(final LongConsumer listener) {
        this.newGeneration = listener;
    }

    /**
     * @param listener told of a member whose gossiped ring epoch is above this node's (one per merge)
     */
    public void onRingBehind(final Consumer<MemberState> listener) {
        this.ringBehind = listener;
    }

    /** @return the current view */
    public MembershipView view() {
        return view;
    }
}
