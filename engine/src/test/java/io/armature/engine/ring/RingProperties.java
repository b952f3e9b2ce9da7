package io.armature.engine.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The claim and placement laws of {@link Ring}, for Q in 8..1024 and S in 1..64. */
class RingProperties {

    @Provide
    Arbitrary<RingFixtures.Spec> rings() {
        return RingFixtures.specs(4, 4);
    }

    @Provide
    Arbitrary<RingFixtures.Spec> zonelessRings() {
        return RingFixtures.specs(0, 4);
    }

    @Property(tries = 1000)
    void ownedCountsDifferByAtMostOneAfterAnyHistory(@ForAll("rings") RingFixtures.Spec spec) {
        Ring ring = spec.build();
        assertTrue(RingFixtures.maxMinusMin(ring) <= 1, ring::toString);
        assertEquals(spec.partitions(), ring.ownedCounts().values().stream().mapToInt(i -> i).sum());
        assertTrue(ring.epoch() >= 1 && ring.epoch() <= 1 + spec.history().size());
    }

    @Property(tries = 1000)
    void aJoinMovesOnlyWhatTheNewNodeTakesAndAboutQOverS(@ForAll("rings") RingFixtures.Spec spec) {
        Ring before = spec.build();
        if (before.members().size() == spec.partitions()) {
            return;
        }
        NodeId x = new NodeId("joiner");
        Ring after = before.join(x, RingFixtures.zone(99, spec.zones()));
        int q = spec.partitions();
        int s = before.members().size();
        int moved = 0;
        for (int p = 0; p < q; p++) {
            if (!before.owner(p).equals(after.owner(p))) {
                assertEquals(x, after.owner(p), "partition " + p + " moved to a node that is not new");
                moved++;
            }
        }
        assertEquals(after.partitionsOwnedBy(x).length, moved);
        assertTrue(moved == q / (s + 1) || moved == (q + s) / (s + 1), "moved " + moved);
        assertTrue(RingFixtures.maxMinusMin(after) <= 1);
        assertEquals(before.epoch() + 1, after.epoch());
    }

    @Property(tries = 1000)
    void aLeaveMovesOnlyTheLeaversPartitions(@ForAll("rings") RingFixtures.Spec spec,
                                              @ForAll @IntRange(min = 0, max = 63) int pick) {
        Ring before = spec.build();
        if (before.members().size() == 1) {
            return;
        }
        NodeId leaver = List.copyOf(before.members()).get(pick % before.members().size());
        Ring after = before.leave(leaver);
        Set<Integer> moved = new HashSet<>();
        for (int p = 0; p < spec.partitions(); p++) {
            if (!before.owner(p).equals(after.owner(p))) {
                moved.add(p);
            }
        }
        Set<Integer> owned = new HashSet<>();
        Arrays.stream(before.partitionsOwnedBy(leaver)).forEach(owned::add);
        assertEquals(owned, moved);
        assertTrue(!after.members().contains(leaver));
        assertTrue(RingFixtures.maxMinusMin(after) <= 1);
        assertEquals(before.epoch() + 1, after.epoch());
    }

    /** A replacement takes exactly the member's place: every preference list swaps one for the other. */
    @Property(tries = 1000)
    void aReplaceSwapsTheMemberForTheReplacementInEveryPreferenceList(@ForAll("rings") RingFixtures.Spec spec,
                                                                      @ForAll @IntRange(min = 0, max = 63) int pick,
                                                                      @ForAll @IntRange(min = 1, max = 5) int n,
                                                                      @ForAll boolean sortsFirst) {
        Ring before = spec.build();
        NodeId dead = List.copyOf(before.members()).get(pick % before.members().size());
        // Before or after every member in id order, so that the member indices shift.
        NodeId fresh = new NodeId(sortsFirst ? "0-replacement" : "zz-replacement");
        Ring after = before.replace(dead, fresh);
        assertEquals(before.epoch() + 1, after.epoch());
        assertTrue(after.members().contains(fresh) && !after.members().contains(dead));
        assertEquals(before.zoneOf(dead), after.zoneOf(fresh));
        for (int p = 0; p < spec.partitions(); p++) {
            List<NodeId> expected = before.preferenceList(p, n).stream().map(m -> m.equals(dead) ? fresh : m).toList();
            assertEquals(expected, after.preferenceList(p, n), "partition " + p);
        }
        assertArrayEquals(before.partitionsOwnedBy(dead), after.partitionsOwnedBy(fresh));
        assertThrows(IllegalArgumentException.class, () -> after.replace(fresh, List.copyOf(after.members()).get(0)
            .equals(fresh) ? List.copyOf(after.members()).get(after.members().size() - 1) : List.copyOf(after.members()).get(0)),
            "the replacement must not be a member already");
    }

    @Property(tries = 1000)
    void preferenceListsHoldMinNSDistinctNodesStartingAtTheOwner(
        @ForAll("rings") RingFixtures.Spec spec, @ForAll @IntRange(min = 1, max = 10) int n) {
        Ring ring = spec.build();
        int s = ring.members().size();
        for (int p = 0; p < spec.partitions(); p++) {
            List<NodeId> list = ring.preferenceList(p, n);
            assertEquals(Math.min(n, s), list.size());
            assertEquals(list.size(), new HashSet<>(list).size(), "distinct");
            assertEquals(ring.owner(p), list.get(0));
            if (p % Math.max(1, spec.partitions() / 16) == 0) {
                List<NodeId> walk = ring.walk(p);
                assertEquals(list, walk.subList(0, list.size()), "a prefix of the walk");
                assertEquals(ring.members(), Set.copyOf(walk));
            }
        }
    }

    @Property(tries = 1000)
    void theSameMembershipHistoryGivesTheSameRing(@ForAll("rings") RingFixtures.Spec spec,
                                                   @ForAll @IntRange(min = 1, max = 5) int n) {
        Ring a = spec.build();
        Ring b = spec.build();
        assertEquals(a, b);
        for (int p = 0; p < spec.partitions(); p++) {
            assertEquals(a.preferenceList(p, n), b.preferenceList(p, n));
        }
    }

    @Property(tries = 1000)
    void withoutZonesAJoinChangesAListOnlyByEnteringIt(
        @ForAll("zonelessRings") RingFixtures.Spec spec, @ForAll @IntRange(min = 1, max = 5) int n) {
        Ring before = spec.build();
        if (before.members().size() == spec.partitions()) {
            return;
        }
        NodeId x = new NodeId("joiner");
        Ring after = before.join(x, "");
        for (int p = 0; p < spec.partitions(); p++) {
            List<NodeId> old = before.preferenceList(p, n);
            List<NodeId> now = after.preferenceList(p, n);
            if (!old.equals(now)) {
                assertTrue(now.contains(x), "partition " + p + ": " + old + " -> " + now);
            }
        }
    }

    @Property(tries = 1000)
    void replicasSpreadOverZonesFirst(@ForAll("rings") RingFixtures.Spec spec,
                                      @ForAll @IntRange(min = 1, max = 6) int n) {
        Ring ring = spec.build();
        Set<String> zones = new HashSet<>();
        ring.members().forEach(m -> zones.add(ring.zoneOf(m)));
        int spread = Math.min(n, zones.size());
        for (int p = 0; p < spec.partitions(); p++) {
            List<NodeId> list = ring.preferenceList(p, n);
            Set<String> used = new HashSet<>();
            for (int i = 0; i < spread; i++) {
                assertTrue(used.add(ring.zoneOf(list.get(i))), "partition " + p + ": " + list);
            }
        }
    }

    /**
     * Zone-aware placement changes nothing until zones differ: every node in one zone places
     * exactly as no zones at all, and both are the plain clockwise walk of distinct owners (the
     * Dynamo preference list), so a cluster that never sets a zone keeps its placement.
     */
    @Property(tries = 1000)
    void oneZoneForEveryNodePlacesExactlyAsNoZonesAndAsThePlainWalk(
        @ForAll("zonelessRings") RingFixtures.Spec spec, @ForAll @IntRange(min = 1, max = 10) int n) {
        Ring none = spec.build(i -> "");
        Ring one = spec.build(i -> "dc1");
        for (int p = 0; p < spec.partitions(); p++) {
            assertEquals(none.owner(p), one.owner(p), "owner of " + p);
            List<NodeId> list = none.preferenceList(p, n);
            assertEquals(list, one.preferenceList(p, n), "partition " + p);
            List<NodeId> plain = new java.util.ArrayList<>();
            for (int i = 0; i < spec.partitions() && plain.size() < n; i++) {
                NodeId owner = none.owner((p + i) % spec.partitions());
                if (!plain.contains(owner)) {
                    plain.add(owner);
                }
            }
            assertEquals(plain, list, "partition " + p);
        }
    }

    /**
     * With zones, every node computes the same lists from the ring it holds, whether it built the
     * ring itself or decoded it from gossip: placement depends on the ring's bytes only.
     */
    @Property(tries = 500)
    void zonedPlacementIsTheSameOnEveryNodeThatHoldsTheRing(@ForAll("rings") RingFixtures.Spec spec,
                                                           @ForAll @IntRange(min = 1, max = 10) int n) {
        Ring built = spec.build();
        Ring decoded = Ring.decode(built.encode());
        for (int p = 0; p < spec.partitions(); p++) {
            assertEquals(built.preferenceList(p, n), decoded.preferenceList(p, n), "partition " + p);
        }
    }

    @Property(tries = 1000)
    void partitionsReplicatedByAgreesWithPreferenceLists(@ForAll("rings") RingFixtures.Spec spec,
                                                         @ForAll @IntRange(min = 1, max = 5) int n) {
        Ring ring = spec.build();
        int total = 0;
        for (NodeId node : ring.members()) {
            int[] replicated = ring.partitionsReplicatedBy(node, n);
            total += replicated.length;
            for (int p : replicated) {
                assertTrue(ring.preferenceList(p, n).contains(node));
            }
            for (int p : ring.partitionsOwnedBy(node)) {
                assertTrue(Arrays.binarySearch(replicated, p) >= 0, "owner replicates its partition");
            }
        }
        assertEquals(spec.partitions() * Math.min(n, ring.members().size()), total);
    }

    /** The documented spread of a created ring: runs of createdSpacing(Q, S) distinct owners. */
    @Property(tries = 1000)
    void aCreatedRingHasDistinctOwnersInEveryShortRun(@ForAll("rings") RingFixtures.Spec spec) {
        Ring ring = Ring.create(spec.partitions(), RingFixtures.nodes(spec.nodes(), spec.zones()));
        int q = spec.partitions();
        int run = Claim.createdSpacing(q, spec.nodes());
        for (int p = 0; p < q; p++) {
            Set<NodeId> owners = new HashSet<>();
            for (int i = 0; i < run; i++) {
                owners.add(ring.owner((p + i) % q));
            }
            assertEquals(run, owners.size(), "run of " + run + " from " + p);
        }
    }

    @Property(tries = 1000)
    void partitionOfSplitsTheHashSpaceIntoEqualRanges(@ForAll("rings") RingFixtures.Spec spec,
                                                      @ForAll long hash) {
        Ring ring = Ring.create(spec.partitions(), RingFixtures.nodes(1, 0));
        int q = spec.partitions();
        int shift = 64 - Integer.numberOfTrailingZeros(q);
        int p = ring.partitionOf(hash);
        assertTrue(p >= 0 && p < q);
        long lower = (long) p << shift;
        long upper = lower + ((1L << shift) - 1);
        assertTrue(Long.compareUnsigned(lower, hash) <= 0 && Long.compareUnsigned(hash, upper) <= 0);
        assertEquals(p, ring.partitionOf(lower));
        assertEquals(p, ring.partitionOf(upper));
        assertEquals((p + 1) % q, ring.partitionOf(upper + 1), "the next range starts right after");
    }

    /**
     * Joins keep the spread of a created ring for the replica counts that matter: any three
     * consecutive partitions still have distinct owners (when the created ring had that).
     */
    @Property(tries = 1000)
    void aJoinOntoACreatedRingKeepsRunsOfThreeDistinctOwners(@ForAll("rings") RingFixtures.Spec spec) {
        Ring before = Ring.create(spec.partitions(), RingFixtures.nodes(spec.nodes(), spec.zones()));
        if (before.members().size() == spec.partitions()) {
            return;
        }
        Ring after = before.join(new NodeId("joiner"), RingFixtures.zone(99, spec.zones()));
        int q = spec.partitions();
        int run = Math.min(3, Claim.createdSpacing(q, spec.nodes()));
        for (int p = 0; p < q; p++) {
            Set<NodeId> owners = new HashSet<>();
            for (int i = 0; i < run; i++) {
                owners.add(after.owner((p + i) % q));
            }
            assertEquals(run, owners.size(), "run of " + run + " from " + p);
        }
    }
}
