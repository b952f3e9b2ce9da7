package io.armature.engine.membership;

import io.armature.engine.membership.MemberState.Status;
import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipViewProperties {
    private static final Endpoint E1 = new Endpoint("10.0.0.1", 7000);

    // Few ids, generations and versions, so that views overlap and ties are common.
    static Arbitrary<MemberState> states() {
        final Arbitrary<NodeId> ids = Arbitraries.of("a", "b", "c", "d").map(NodeId::new);
        final Arbitrary<Endpoint> endpoints = Arbitraries.of(E1, new Endpoint("10.0.0.2", 7000), new Endpoint("10.0.0.1", 7001));
        return Combinators.combine(ids, endpoints, Arbitraries.of(Status.class),
                Arbitraries.longs().between(0, 2), Arbitraries.longs().between(0, 3), Arbitraries.longs().between(0, 3),
                Arbitraries.longs().between(0, 3), Arbitraries.of("", "z1", "z2"))
            .as(MemberState::new);
    }

    @Provide
    Arbitrary<MembershipView> views() {
        return states().list().ofMaxSize(8).map(MembershipView::of);
    }

    @Property(tries = 1000)
    void mergeIsCommutative(@ForAll("views") final MembershipView a, @ForAll("views") final MembershipView b) {
        assertEquals(a.merge(b), b.merge(a));
    }

    @Property(tries = 1000)
    void mergeIsAssociative(@ForAll("views") final MembershipView a, @ForAll("views") final MembershipView b,
                            @ForAll("views") final MembershipView c) {
        assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
    }

    @Property(tries = 1000)
    void mergeIsIdempotent(@ForAll("views") final MembershipView a, @ForAll("views") final MembershipView b) {
        assertEquals(a, a.merge(a));
        final MembershipView ab = a.merge(b);
        assertEquals(ab, ab.merge(b));
        assertEquals(ab, ab.merge(a));
    }

    @Property(tries = 1000)
    void mergeIsAnUpperBoundThatNeverLosesHeartbeatsNorMovesStatusBackwards(
        @ForAll("views") final MembershipView a, @ForAll("views") final MembershipView b) {
        final MembershipView ab = a.merge(b);
        assertTrue(ab.covers(a) && ab.covers(b));
        for (final MemberState s : a.members()) {
            final MemberState m = ab.get(s.node());
            assertFalse(s.heartbeatNewerThan(m), "heartbeat went back for " + s.node());
            if (m.generation() == s.generation()) {
                assertTrue(m.status().compareTo(s.status()) >= 0, "status went back for " + s.node());
                assertTrue(m.ringEpoch() >= s.ringEpoch());
            }
        }
        final List<NodeId> expected = b.members().stream()
            .filter(s -> a.get(s.node()) == null || s.heartbeatNewerThan(a.get(s.node())))
            .map(MemberState::node).toList();
        assertEquals(expected, a.heartbeatsAdvancedIn(ab));
    }

    @Test
    void theHigherGenerationWinsOutrightSoARestartedNodeMayJoinAgain() {
        final NodeId n = new NodeId("n1");
        final MemberState left = new MemberState(n, E1, Status.LEFT, 1, 50, 7);
        final MemberState reborn = new MemberState(n, new Endpoint("10.0.0.9", 7000), Status.JOINING, 2, 0, 0);
        assertSame(reborn, left.join(reborn));
        assertSame(reborn, reborn.join(left));
    }

    @Test
    void withinAGenerationTheStatusOfALowerVersionStillCounts() {
        final NodeId n = new NodeId("n1");
        final MemberState up = new MemberState(n, E1, Status.UP, 1, 9, 3);
        final MemberState removedByOperator = new MemberState(n, E1, Status.LEFT, 1, 4, 2);
        final MemberState joined = up.join(removedByOperator);
        assertEquals(new MemberState(n, E1, Status.LEFT, 1, 9, 3), joined);
    }

    @Test
    void theOwnerMovesItsOwnStateForwardOnly() {
        final NodeId n = new NodeId("n1");
        final MemberState s = new MemberState(n, E1, Status.JOINING, 1, 0, 0);
        final MemberState up = s.withStatus(Status.UP).beat().withRingEpoch(4);
        assertEquals(new MemberState(n, E1, Status.UP, 1, 3, 4), up);
        assertThrows(IllegalStateException.class, () -> up.withStatus(Status.JOINING));
        final MembershipView v = MembershipView.of(List.of(s)).replace(up);
        assertEquals(List.of(n), MembershipView.of(List.of(s)).heartbeatsAdvancedIn(v));
        assertThrows(IllegalArgumentException.class, () -> v.replace(s));
        assertThrows(IllegalArgumentException.class, () -> s.join(new MemberState(new NodeId("n2"), E1, Status.UP, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> new MemberState(n, E1, Status.UP, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MemberState(n, new Endpoint("h".repeat(256), 1), Status.UP, 0, 0, 0));
    }
}
