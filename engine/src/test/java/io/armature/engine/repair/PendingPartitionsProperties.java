package io.armature.engine.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.ring.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PendingPartitionsProperties {
    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");
    private static final NodeId C = new NodeId("c");
    private static final NodeId D = new NodeId("d");
    private static final NodeId E = new NodeId("e");

    @Test
    void aPartitionSettlesWhenItsLastGainerIsConfirmedAndNotBefore() {
        final PendingPartitions pending = new PendingPartitions();
        final List<List<NodeId>> before = List.of(List.of(A, B, C), List.of(B, C, A));
        final List<List<NodeId>> after = List.of(List.of(D, A, B), List.of(B, C, A));
        assertEquals(List.of(), pending.change(2, before::get, after::get, 2));
        assertEquals(Set.of(0), pending.partitions(), "only the partition whose replicas changed moves");
        final PendingPartitions.Move move = pending.get(0);
        assertEquals(List.of(A, B, C), move.from(), "reads go to the old replicas");
        assertEquals(List.of(A, B, C, D), move.writeTargets(), "writes go to old and new");
        assertEquals(Set.of(D), move.gainers());
        assertTrue(move.loses(C));
        assertEquals(List.of(0), pending.awaitedBy(D));
        assertEquals(List.of(0), pending.lostBy(C));
        assertNull(pending.confirm(0, D, 1), "a copy completed before the gain (an older epoch) does not count");
        assertNull(pending.confirm(0, C, 2), "only a gainer confirms");
        final PendingPartitions.Settled settled = pending.confirm(0, D, 2);
        assertNotNull(settled);
        assertTrue(settled.move().loses(C), "the settled move still says who may drop its copy");
        assertTrue(pending.isEmpty());
        assertNull(pending.confirm(0, D, 2), "a repeated notice changes nothing");
    }

    @Test
    void aChangeOnTopOfAPendingOneKeepsTheFirstReplicasAndTheConfirmedGainers() {
        final PendingPartitions pending = new PendingPartitions();
        pending.change(1, p -> List.of(A, B, C), p -> List.of(A, B, D), 2);
        pending.confirm(0, D, 2);
        assertTrue(pending.isEmpty(), "settled");
        pending.change(1, p -> List.of(A, B, D), p -> List.of(A, D, E), 3);
        assertEquals(List.of(A, B, D), pending.get(0).from());
        pending.change(1, p -> List.of(A, D, E), p -> List.of(C, D, E), 4);
        assertEquals(List.of(A, B, D), pending.get(0).from(), "still pending: the data is where it started");
        assertEquals(Set.of(C, E), pending.get(0).waiting().keySet());
        assertEquals(4L, pending.get(0).waiting().get(C));
        assertEquals(3L, pending.get(0).waiting().get(E), "a gainer keeps the epoch of its gain");
        assertTrue(pending.get(0).loses(A) && pending.get(0).loses(B));
        final List<PendingPartitions.Settled> undone = pending.change(1, p -> List.of(C, D, E), p -> List.of(B, A, D), 5);
        assertEquals(1, undone.size(), "a move back to the first replicas settles at once");
        assertTrue(pending.isEmpty());
    }

    /**
     * The quorum rule of pending partitions: a write acknowledged by any W + g of the write
     * targets (g gainers) is held by at least W new replicas (after the losers drop) and at least
     * W old ones (which serve reads meanwhile).
     */
    @Property(tries = 1000)
    void anyWPlusGainersAcksHoldAQuorumOnBothSides(@ForAll @IntRange(min = 1, max = 5) final int n,
                                                   @ForAll @IntRange(min = 1, max = 5) final int wRaw,
                                                   @ForAll final long seed) {
        final int w = Math.min(wRaw, n);
        final SplittableRandom r = new SplittableRandom(seed);
        final List<NodeId> from = randomList(r, n);
        final List<NodeId> to = randomList(r, n);
        final PendingPartitions pending = new PendingPartitions();
        pending.change(1, p -> from, p -> to, 2);
        final PendingPartitions.Move move = pending.get(0);
        if (move == null) {
            assertEquals(new HashSet<>(from), new HashSet<>(to));
            return;
        }
        final List<NodeId> targets = new ArrayList<>(move.writeTargets());
        final int blockFor = Math.min(w + move.gainers().size(), targets.size());
        for (int trial = 0; trial < 20; trial++) {
            final List<NodeId> shuffled = new ArrayList<>(targets);
            java.util.Collections.shuffle(shuffled, new java.util.Random(r.nextLong()));
            final List<NodeId> acks = shuffled.subList(0, blockFor);
            assertTrue(acks.stream().filter(to::contains).count() >= w, "W new replicas among " + acks);
            assertTrue(acks.stream().filter(from::contains).count() >= w, "W old replicas among " + acks);
        }
        final Set<NodeId> gained = new HashSet<>(to);
        gained.removeAll(from);
        assertEquals(gained, move.waiting().keySet(), "every gainer is waited for");
        assertEquals(gained.size(), from.stream().filter(o -> !to.contains(o)).count(), "as many losers as gainers");
    }

    private static List<NodeId> randomList(final SplittableRandom r, final int n) {
        final List<NodeId> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(new NodeId("n" + i));
        }
        final List<NodeId> out = new ArrayList<>();
        while (out.size() < n) {
            out.add(all.remove(r.nextInt(all.size())));
        }
        return out;
    }
}
