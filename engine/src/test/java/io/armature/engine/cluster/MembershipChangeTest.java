package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.membership.MemberState;
import io.armature.engine.membership.MembershipChange;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leave, remove and replace asked of any node, through the claimant, with the data following the ring. */
class MembershipChangeTest {
    private static final RepairSettings STREAMING = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(50))
        .withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(64 << 20, 4 << 20).withGossipPeriod(Duration.ofMillis(50));

    @Test
    void aLeaveAskedOfAnyNodeGoesThroughTheClaimantAndGossipCarriesLeavingThenLeft() {
        try (EmbeddedCluster c = cluster(4).partitions(16).repair(STREAMING).start()) {
            final List<byte[]> keys = writeSome(c, 200);
            final NodeId leaving = c.nodeId(3);
            await("everyone gossips UP", () -> statusEverywhere(c, leaving, MemberState.Status.UP));
            // node-2 is not the claimant (node-0 is): the change is relayed over the wire.
            final Ring next = c.change(2, new MembershipChange(MembershipChange.Op.LEAVE, leaving, null));
            assertNotNull(next);
            await("every node holds the ring without " + leaving, () -> {
                for (int i = 0; i < 4; i++) {
                    if (c.node(i).membership().ring().epoch() < next.epoch()) {
                        return false;
                    }
                }
                return true;
            });
            assertEquals(next, c.node(0).membership().ring(), "the claimant installed the ring the asked node predicted");
            await("every node sees " + leaving + " LEFT", () -> statusEverywhere(c, leaving, MemberState.Status.LEFT));
            for (int p = 0; p < 16; p++) {
                assertEquals(0, ClusterTesting.records(c, 3, p), "the node that left dropped partition " + p);
            }
            c.stop(3);
            everyKeyOnEveryNewReplica(c, keys);
            assertNull(c.change(1, new MembershipChange(MembershipChange.Op.LEAVE, leaving, null)), "already gone: nothing to do");
        }
    }

    @Test
    void aLeaveWithWritesRunningEndsWithEveryAcknowledgedWriteOnItsNewReplicas() throws Exception {
        try (EmbeddedCluster c = cluster(5).partitions(32).repair(STREAMING).start()) {
            final java.util.Map<String, String> acked = new java.util.concurrent.ConcurrentHashMap<>();
            final java.util.concurrent.atomic.AtomicBoolean go = new java.util.concurrent.atomic.AtomicBoolean(true);
            final Thread writer = new Thread(() -> {
                for (int i = 0; go.get() && i < 20_000; i++) {
                    try {
                        c.client(0).blocking().put(bytes("w-" + i), bytes("v-" + i), Context.empty(), Consistency.defaults().withW(2));
                        acked.put("w-" + i, "v-" + i);
                    } catch (final RuntimeException e) {
                        // not acknowledged
                    }
                }
            });
            writer.start();
            await("some writes", () -> acked.size() > 200);
            final NodeId leaving = c.nodeId(4);
            final Ring next = c.change(1, new MembershipChange(MembershipChange.Op.LEAVE, leaving, null));
            await("every node sees " + leaving + " LEFT while writes go on", () -> statusEverywhere(c, leaving, MemberState.Status.LEFT));
            go.set(false);
            writer.join();
            assertEquals(next.epoch(), c.ring().epoch());
            await("nothing pending", () -> pending(c) == 0);
            c.stop(4);
            final List<byte[]> keys = acked.keySet().stream().map(ClusterTesting::bytes).toList();
            everyKeyOnEveryNewReplica(c, keys);
        }
    }

    /**
     * A gainer whose every message to the leaving node is lost: the leaver never gets its HANDOFF
     * notices, and learns that the gainer holds its partitions from the gainer's settled epoch,
     * relayed by gossip through the other nodes.
     */
    @Test
    void aLoserLearnsAFinishedHandoffFromGossipWhenTheNoticesAreLost() {
        try (EmbeddedCluster c = cluster(4).partitions(16).repair(STREAMING).start()) {
            final List<byte[]> keys = writeSome(c, 200);
            final NodeId leaving = c.nodeId(3);
            final Ring before = c.ring();
            final Ring after = before.leave(leaving);
            int gainer = -1;
            for (int p = 0; p < 16 && gainer < 0; p++) {
                for (final NodeId g : after.preferenceList(p, 3)) {
                    if (!before.preferenceList(p, 3).contains(g) && before.preferenceList(p, 3).contains(leaving)) {
                        gainer = ClusterTesting.index(c, g);
                    }
                }
            }
            final io.armature.spi.transport.Endpoint muted = c.endpoint(gainer);
            final io.armature.spi.transport.Endpoint loser = c.endpoint(3);
            c.network().dropWhen((from, to) -> muted.equals(from) && loser.equals(to));
            c.change(0, new MembershipChange(MembershipChange.Op.LEAVE, leaving, null));
            await(leaving + " gossips LEFT though no notice of " + c.nodeId(gainer) + " reached it",
                () -> c.view(3).get(leaving).status() == MemberState.Status.LEFT);
            for (int p = 0; p < 16; p++) {
                assertEquals(0, ClusterTesting.records(c, 3, p), "the node that left dropped partition " + p);
            }
            c.network().heal();
            c.stop(3);
            everyKeyOnEveryNewReplica(c, keys);
        }
    }

    @Test
    void aRemovedDeadNodesPartitionsAreRebuiltFromTheOtherReplicas() {
        try (EmbeddedCluster c = cluster(4).partitions(16).repair(STREAMING).start()) {
            final List<byte[]> keys = writeSome(c, 200);
            final NodeId dead = c.nodeId(1);
            c.stop(1);
            final Ring next = c.change(3, new MembershipChange(MembershipChange.Op.REMOVE, dead, null));
            await("every running node holds the ring without " + dead, () -> c.node(0).membership().ring().epoch() >= next.epoch()
                && c.node(2).membership().ring().epoch() >= next.epoch() && c.node(3).membership().ring().epoch() >= next.epoch());
            await("no partition is pending", () -> pending(c) == 0);
            everyKeyOnEveryNewReplica(c, keys);
        }
    }

    @Test
    void aReplacementTakesExactlyTheDeadNodesPartitions() {
        try (EmbeddedCluster c = cluster(4).partitions(16).repair(STREAMING).start()) {
            final List<byte[]> keys = writeSome(c, 200);
            final NodeId dead = c.nodeId(2);
            c.stop(2);
            final Ring before = c.ring();
            final int fresh = c.replaceWithNewNode(0, dead);
            final NodeId replacement = c.nodeId(fresh);
            final Ring after = c.node(0).membership().ring();
            assertEquals(before.replace(dead, replacement), after);
            await("no partition is pending", () -> pending(c) == 0);
            everyKeyOnEveryNewReplica(c, keys);
            assertThrows(IllegalArgumentException.class,
                () -> c.change(0, new MembershipChange(MembershipChange.Op.REPLACE, new NodeId("nobody"), new NodeId("x"))));
        }
    }

    private static List<byte[]> writeSome(final EmbeddedCluster c, final int count) {
        final List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(bytes("change-" + i));
            c.client(0).blocking().put(keys.get(i), bytes("v" + i), Context.empty(), Consistency.defaults().withW(3));
        }
        return keys;
    }

    private static int pending(final EmbeddedCluster c) {
        int total = 0;
        for (int i = 0; i < c.size(); i++) {
            if (c.isRunning(i)) {
                final int[] n = {0};
                final io.armature.engine.node.Node node = c.node(i);
                final java.util.concurrent.CompletableFuture<Integer> f = new java.util.concurrent.CompletableFuture<>();
                node.context().scheduler().execute(() -> f.complete(node.streaming().pending()
                    + node.streaming().pendingPartitions().partitions().size()));
                total += f.join();
            }
        }
        return total;
    }

    private static boolean statusEverywhere(final EmbeddedCluster c, final NodeId node, final MemberState.Status status) {
        for (int i = 0; i < c.size(); i++) {
            if (c.isRunning(i)) {
                final MemberState s = c.view(i).get(node);
                if (s == null || s.status() != status) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void everyKeyOnEveryNewReplica(final EmbeddedCluster c, final List<byte[]> keys) {
        final Ring ring = c.ring();
        for (final byte[] key : keys) {
            byte[] expected = null;
            for (int i = 0; i < c.size() && expected == null; i++) {
                expected = c.isRunning(i) ? stored(c, i, key) : null;
            }
            assertNotNull(expected);
            for (final NodeId r : ring.preferenceList(ring.partitionForKey(key), 3)) {
                assertArrayEquals(expected, stored(c, ClusterTesting.index(c, r), key), "new replica " + r + " of " + new String(key));
            }
        }
    }
}
