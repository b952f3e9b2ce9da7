package io.armature.engine.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.testing.ManualClock;
import io.armature.engine.testing.NoTimers;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Whatever a peer says about this node, merging its view never fails: a state of this node that
 * this run's does not cover (an earlier life) moves this run to a higher generation, stored, and
 * the node keeps following its peers' heartbeats.
 */
class GossipSelfStateProperties {
    private static final NodeId SELF = new NodeId("a");
    private static final Endpoint ENDPOINT = new Endpoint("10.0.0.1", 7000);

    @Property(tries = 500)
    void mergingAnyPeerViewNeverThrowsAndEndsAboveWhatPeersHoldOfThisNode(
        @ForAll("views") final List<MembershipView> pushes) {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        final Map<NodeId, Endpoint> endpoints = new LinkedHashMap<>();
        for (final String n : List.of("a", "b", "c", "d")) {
            zones.put(new NodeId(n), "");
            endpoints.put(new NodeId(n), new Endpoint("10.0.0." + (n.charAt(0) - 'a' + 1), 7000));
        }
        final List<Message> replies = new ArrayList<>();
        final List<Long> stored = new ArrayList<>();
        final Gossip gossip = new Gossip(SELF, ENDPOINT, 1, new StaticMembership(Ring.create(16, zones), endpoints), List.of(),
            new TimeoutFailureDetector(new ManualClock(), 3, 1_000_000_000L), (to, id, m) -> replies.add(m), NoTimers.INSTANCE,
            new ManualClock(), new SplittableRandom(1), 1_000_000_000L, new SimpleMeterRegistry());
        gossip.onNewGeneration(stored::add);
        long lastGeneration = 1;
        for (final MembershipView push : pushes) {
            gossip.onGossip(new Frame(0, 1, "b", new Endpoint("10.0.0.2", 7000),
                new Message.Opaque(MessageType.GOSSIP, push.encode())));
            final MemberState mine = gossip.view().get(SELF);
            final MemberState held = push.get(SELF);
            assertTrue(held == null || mine.covers(held), mine + " covers the peer's " + held);
            assertTrue(mine.generation() >= lastGeneration, "the generation never goes back");
            if (mine.generation() > lastGeneration) {
                assertEquals(mine.generation(), stored.get(stored.size() - 1), "a new generation is stored");
            }
            lastGeneration = mine.generation();
            for (final MemberState s : push.members()) {
                assertTrue(gossip.view().get(s.node()).covers(s), "the merged view covers the push: " + s);
            }
            gossip.round();
        }
        assertEquals(pushes.size(), replies.stream()
            .filter(m -> ((Message.Opaque) m).reservedType() == MessageType.GOSSIP_REPLY).count(), "every push got a reply");
    }

    /** The zone a node runs in goes out with its own state, so peers know it before a ring names the node. */
    @org.junit.jupiter.api.Test
    void aNodesZoneGoesOutInItsGossip() {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        final Map<NodeId, Endpoint> endpoints = new LinkedHashMap<>();
        zones.put(SELF, "z1");
        zones.put(new NodeId("b"), "z2");
        endpoints.put(SELF, ENDPOINT);
        endpoints.put(new NodeId("b"), new Endpoint("10.0.0.2", 7000));
        final List<Message> sent = new ArrayList<>();
        final Gossip gossip = new Gossip(SELF, ENDPOINT, 1, new StaticMembership(Ring.create(16, zones), endpoints), List.of(),
            new TimeoutFailureDetector(new ManualClock(), 3, 1_000_000_000L), (to, id, m) -> sent.add(m), NoTimers.INSTANCE,
            new ManualClock(), new SplittableRandom(1), 1_000_000_000L, new SimpleMeterRegistry());
        assertEquals("z2", gossip.view().get(new NodeId("b")).zone(), "a ring member not heard from yet is placed in its ring zone");
        gossip.zone("z1");
        gossip.round();
        assertEquals(1, sent.size());
        final MembershipView pushed = MembershipView.decode(((Message.Opaque) sent.get(0)).body());
        assertEquals("z1", pushed.get(SELF).zone());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<MembershipView>> views() {
        return MembershipViewProperties.states().list().ofMaxSize(6).map(MembershipView::of).list().ofMinSize(1).ofMaxSize(5);
    }
}
