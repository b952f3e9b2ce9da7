package io.armature.engine.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RingTest {

    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");
    private static final NodeId C = new NodeId("c");

    private static Ring abc() {
        Map<NodeId, String> nodes = new LinkedHashMap<>();
        nodes.put(C, "");
        nodes.put(A, "");
        nodes.put(B, "");
        return Ring.create(Ring.DEFAULT_PARTITIONS, nodes);
    }

    @Test
    void aNewRingIsEpochOneAndBalancedOverSortedMembers() {
        Ring ring = abc();
        assertEquals(1, ring.epoch());
        assertEquals(256, ring.partitionCount());
        assertEquals(List.of(A, B, C), List.copyOf(ring.members()));
        assertEquals(Map.of(A, 85, B, 86, C, 85), ring.ownedCounts(), "the last partial round goes to the middle of the order");
        assertEquals(86, ring.partitionsOwnedBy(B).length);
    }

    @Test
    void leavingTheLastMemberIsRefusedWithAClearMessage() {
        Ring one = Ring.create(8, Map.of(A, ""));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> one.leave(A));
        assertEquals("cannot remove a: it is the last member of the ring, and a ring needs at least one node",
            e.getMessage());
        Ring two = one.join(B, "");
        assertEquals(Set.of(B), two.leave(A).members());
        assertEquals(3, two.leave(A).epoch());
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("partitions must be a power of two in 8..65536, got 100",
            assertThrows(IllegalArgumentException.class, () -> Ring.create(100, Map.of(A, ""))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ring.create(4, Map.of(A, "")));
        assertThrows(IllegalArgumentException.class, () -> Ring.create(131072, Map.of(A, "")));
        assertEquals("a ring needs at least one node",
            assertThrows(IllegalArgumentException.class, () -> Ring.create(8, Map.of())).getMessage());
        Ring ring = abc();
        assertEquals("a is already a member of the ring",
            assertThrows(IllegalArgumentException.class, () -> ring.join(A, "")).getMessage());
        assertEquals("d is not a member of the ring",
            assertThrows(IllegalArgumentException.class, () -> ring.leave(new NodeId("d"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ring.join(new NodeId("d"), "no spaces"));
        assertThrows(IllegalArgumentException.class, () -> ring.preferenceList(0, 0));
        assertEquals("partition must be in 0..255, got 256",
            assertThrows(IllegalArgumentException.class, () -> ring.owner(256)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ring.preferenceList(-1, 3));
    }

    @Test
    void aRingCannotHaveMoreMembersThanPartitions() {
        Ring ring = Ring.create(8, RingFixtures.nodes(8, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> ring.join(new NodeId("x"), ""));
        assertEquals("cannot join x: the ring of 8 partitions already has 8 members", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ring.create(8, RingFixtures.nodes(9, 0)));
    }

    @Test
    void partitionOfTakesTheTopBitsUnsigned() {
        Ring ring = abc();
        assertEquals(0, ring.partitionOf(0L));
        assertEquals(0, ring.partitionOf(0x00ffffffffffffffL));
        assertEquals(1, ring.partitionOf(0x0100000000000000L));
        assertEquals(128, ring.partitionOf(Long.MIN_VALUE));
        assertEquals(255, ring.partitionOf(-1L));
        byte[] key = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xe3, ring.partitionForKey(key), "top byte of h1 0xe34bbc7bbc071b6c");
    }

    @Test
    void preferenceListsWalkClockwiseAndWrap() {
        Ring ring = abc();
        for (int p = 0; p < 256; p++) {
            List<NodeId> walk = ring.walk(p);
            assertEquals(3, walk.size());
            assertEquals(ring.owner(p), walk.get(0));
            assertEquals(ring.owner((p + 1) % 256), walk.get(1), "round robin: the next partition is the next node");
            assertEquals(walk, ring.preferenceList(p, 5), "asking for more than S gives all of them");
        }
    }

    @Test
    void zonesComeFirstInAPreferenceList() {
        Map<NodeId, String> nodes = new LinkedHashMap<>();
        nodes.put(A, "east");
        nodes.put(B, "east");
        nodes.put(C, "west");
        Ring ring = Ring.create(8, nodes);
        for (int p = 0; p < 8; p++) {
            List<NodeId> two = ring.preferenceList(p, 2);
            assertTrue(!ring.zoneOf(two.get(0)).equals(ring.zoneOf(two.get(1))), two::toString);
        }
        assertEquals("west", ring.zoneOf(C));
    }

    @Test
    void walksBeyondThePrecomputedPrefixAgreeWithIt() {
        Ring ring = Ring.create(64, RingFixtures.nodes(20, 3));
        for (int p = 0; p < 64; p++) {
            List<NodeId> walk = ring.walk(p);
            assertEquals(20, walk.size());
            assertEquals(ring.preferenceList(p, Ring.PRECOMPUTED), walk.subList(0, Ring.PRECOMPUTED));
            assertEquals(walk.subList(0, 12), ring.preferenceList(p, 12));
        }
        int[] owned = ring.partitionsOwnedBy(RingFixtures.node(0));
        for (int p : owned) {
            assertEquals(RingFixtures.node(0), ring.owner(p));
        }
        assertArrayEquals(new int[0], ring.partitionsReplicatedBy(new NodeId("stranger"), 3));
    }

    @Test
    void nodeIdsAreValidated() {
        assertEquals("node-1.a_B", new NodeId("node-1.a_B").toString());
        assertThrows(IllegalArgumentException.class, () -> new NodeId(""));
        assertThrows(IllegalArgumentException.class, () -> new NodeId("x".repeat(65)));
        assertEquals("node id 'a b' has character ' ' at index 1; allowed are [A-Za-z0-9._-]",
            assertThrows(IllegalArgumentException.class, () -> new NodeId("a b")).getMessage());
        assertTrue(new NodeId("a").compareTo(new NodeId("b")) < 0);
    }

    @Test
    void theLargestRingKeepsTheLaws() {
        Ring ring = Ring.create(Ring.MAX_PARTITIONS, RingFixtures.nodes(64, 3));
        Ring joined = ring.join(new NodeId("x"), "z9");
        Ring left = joined.leave(RingFixtures.node(7));
        for (Ring r : List.of(ring, joined, left)) {
            assertTrue(RingFixtures.maxMinusMin(r) <= 1, r::toString);
        }
        assertEquals(65536 / 65, joined.ownedCounts().get(new NodeId("x")));
        assertEquals(Ring.decode(left.encode()), left);
        assertEquals(3, Set.copyOf(left.preferenceList(65535, 3)).size());
    }
}
