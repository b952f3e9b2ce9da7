package io.armature.engine.repair;

import io.armature.engine.repair.PartitionTransfers.Plan;
import io.armature.engine.repair.PartitionTransfers.Release;
import io.armature.engine.repair.PartitionTransfers.Transfer;
import io.armature.engine.ring.NodeId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionTransfersProperties {
    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");
    private static final NodeId C = new NodeId("c");
    private static final NodeId D = new NodeId("d");

    @Test
    void aJoinCopiesToTheNewcomerFromTheOldReplicasAndReleasesTheDisplacedOne() {
        final List<List<NodeId>> before = List.of(List.of(A, B, C), List.of(B, C, A));
        final List<List<NodeId>> after = List.of(List.of(D, A, B), List.of(B, C, A));
        final Plan plan = PartitionTransfers.plan(2, before::get, after::get);
        assertEquals(List.of(new Transfer(0, D, List.of(A, B, C))), plan.transfers());
        assertEquals(List.of(new Release(0, C)), plan.releases());
        assertEquals(plan.transfers(), plan.incomingTo(D));
        assertEquals(List.of(), plan.incomingTo(A));
    }

    @Test
    void aLeavingNodeIsASourceNeverATargetAndAFirstRingMovesNothing() {
        final List<List<NodeId>> before = List.of(List.of(A, B, C));
        final List<List<NodeId>> after = List.of(List.of(B, C, D));
        final Plan plan = PartitionTransfers.plan(1, before::get, after::get);
        assertEquals(List.of(new Transfer(0, D, List.of(A, B, C))), plan.transfers());
        assertEquals(List.of(new Release(0, A)), plan.releases());
        assertTrue(PartitionTransfers.plan(1, p -> List.of(), after::get).transfers().isEmpty());
    }

    @Property(tries = 500)
    void everyGainerGetsOneTransferFromTheOldReplicasAndEveryLoserOneRelease(
        @ForAll @IntRange(min = 1, max = 64) final int partitions, @ForAll @IntRange(min = 1, max = 5) final int n,
        @ForAll final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final List<List<NodeId>> before = new ArrayList<>();
        final List<List<NodeId>> after = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            before.add(randomList(r, n));
            after.add(randomList(r, n));
        }
        final Plan plan = PartitionTransfers.plan(partitions, before::get, after::get);
        int expectedTransfers = 0;
        int expectedReleases = 0;
        for (int p = 0; p < partitions; p++) {
            final Set<NodeId> old = new HashSet<>(before.get(p));
            final Set<NodeId> now = new HashSet<>(after.get(p));
            final Set<NodeId> gained = new HashSet<>(now);
            gained.removeAll(old);
            final Set<NodeId> lost = new HashSet<>(old);
            lost.removeAll(now);
            expectedTransfers += gained.size();
            expectedReleases += lost.size();
            final int partition = p;
            for (final NodeId g : gained) {
                final List<Transfer> ts = plan.transfers().stream().filter(t -> t.partition() == partition && t.target().equals(g)).toList();
                assertEquals(1, ts.size());
                assertEquals(before.get(p), ts.get(0).sources());
                assertFalse(ts.get(0).sources().contains(g));
            }
            for (final NodeId l : lost) {
                assertTrue(plan.releases().contains(new Release(p, l)));
            }
        }
        assertEquals(expectedTransfers, plan.transfers().size());
        assertEquals(expectedReleases, plan.releases().size());
    }

    private static List<NodeId> randomList(final SplittableRandom r, final int n) {
        final List<NodeId> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(new NodeId("n" + i));
        }
        final List<NodeId> out = new ArrayList<>();
        while (out.size() < n) {
            final NodeId pick = all.remove(r.nextInt(all.size()));
            out.add(pick);
        }
        return out;
    }
}
