package io.armature.engine.cluster;

import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An old owner drops a partition only once the new owner told it that it holds it. */
class HandoffTest {
    private static final RepairSettings FAST = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(50))
        .withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(64 << 20, 4 << 20).withGossipPeriod(Duration.ofMillis(100));

    @Test
    void aLoserThatHasNotHeardTheGainerHoldsThePartitionKeepsItsCopyUntilItHears() {
        try (EmbeddedCluster c = cluster(5).partitions(64).repair(FAST).start()) {
            final List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                keys.add(bytes("handoff-" + i));
                c.client().blocking().put(keys.get(i), bytes("v" + i), Context.empty(), Consistency.defaults().withW(3));
            }
            final Ring before = c.ring();
            final NodeId newcomer = new NodeId("node-5");
            final Ring expected = before.join(newcomer, "");
            NodeId deaf = null;
            final List<Integer> deafLost = new ArrayList<>();
            for (int i = 0; i < 5 && deaf == null; i++) {
                final int node = i;
                final List<Integer> lost = PendingPartitionTest.lostPartitions(before, expected, c.nodeId(i));
                if (lost.stream().anyMatch(p -> ClusterTesting.records(c, node, p) > 0)) {
                    deaf = c.nodeId(i);
                    deafLost.addAll(lost);
                }
            }
            assertTrue(deaf != null, "the join takes partitions (with data) from some node");
            final int d = ClusterTesting.index(c, deaf);
            final int held = deafLost.stream().mapToInt(p -> ClusterTesting.records(c, d, p)).sum();
            assertTrue(held > 0, deaf + " holds records of the partitions it will lose");
            // Nothing the newcomer sends reaches the deaf loser: not its pulls, not its HANDOFF.
            final Endpoint newcomerEndpoint = new Endpoint(newcomer.value(), 1);
            final Endpoint deafEndpoint = c.endpoint(d);
            c.network().dropWhen((from, to) -> newcomerEndpoint.equals(from) && deafEndpoint.equals(to));

            final int joined = c.join();
            assertEquals(newcomer, c.nodeId(joined));
            assertEquals(expected, c.ring(), "the claimant made the join computed here");
            final NodeId deafNode = deaf;
            ClusterTesting.await("every other loser drops what it lost", () -> {
                final Map<NodeId, Integer> left = ClusterTesting.recordsOutsideTheRing(c);
                return left.keySet().equals(java.util.Set.of(deafNode));
            });
            assertEquals(held, deafLost.stream().mapToInt(p -> ClusterTesting.records(c, d, p)).sum(),
                deaf + " never heard that the newcomer holds its partitions: it keeps every record");

            c.network().heal();
            ClusterTesting.await(deaf + " drops its copies once the newcomer's notice gets through",
                () -> ClusterTesting.recordsOutsideTheRing(c).isEmpty());
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(List.of("v" + i), c.client().blocking().get(keys.get(i), Consistency.defaults().withR(3)).values()
                    .stream().map(ClusterTesting::text).toList(), "acknowledged write " + i + " reads back at R=N");
            }
            assertFalse(c.ring().preferenceList(deafLost.get(0), 3).contains(deaf));
        }
    }
}
