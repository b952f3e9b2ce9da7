package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.ring.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecommissionTest {
    private static final RepairSettings STREAMING = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(50))
        .withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(64 << 20, 4 << 20);

    @Test
    void aDecommissionedNodeStreamsItsPartitionsToTheirNewReplicasBeforeItStops() {
        try (EmbeddedCluster c = cluster(4).partitions(16).repair(STREAMING).start()) {
            final List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                keys.add(bytes("stream-" + i));
                c.client(0).blocking().put(keys.get(i), bytes("v" + i), Context.empty(), Consistency.defaults().withW(3));
            }
            final NodeId leaving = c.nodeId(3);
            c.decommission(3);
            assertFalse(c.isRunning(3));
            assertFalse(c.ring().members().contains(leaving), "the ring no longer has the node");
            for (int p = 0; p < 16; p++) {
                assertEquals(0, ClusterTesting.records(c, 3, p), "the leaving node dropped partition " + p + " before it stopped");
            }
            int moved = 0;
            for (final byte[] key : keys) {
                final List<NodeId> prefs = c.ring().preferenceList(c.ring().partitionForKey(key), 3);
                final byte[] expected = stored(c, 0, key) != null ? stored(c, 0, key) : stored(c, 1, key);
                assertNotNull(expected);
                for (final NodeId r : prefs) {
                    final byte[] got = stored(c, ClusterTesting.index(c, r), key);
                    assertArrayEquals(expected, got, "new replica " + r + " of " + new String(key) + " holds it");
                }
                moved++;
            }
            assertTrue(moved == keys.size());
            assertTrue(c.client(1).blocking().get(keys.get(7), Consistency.defaults().withR(3)).values().size() == 1);
        }
    }

    @Test
    void theLastReplicaCannotBeDecommissioned() {
        try (EmbeddedCluster one = cluster(1).settings(io.armature.engine.config.StoreSettings.builder().n(1).r(1).w(1)
            .requestTimeout(Duration.ofMillis(800)).replicaTimeout(Duration.ofMillis(150)).build()).start()) {
            assertThrows(IllegalStateException.class, () -> one.decommission(0), "the only node holds the only copy");
            assertTrue(one.isRunning(0));
        }
        try (EmbeddedCluster two = cluster(2).settings(io.armature.engine.config.StoreSettings.builder().n(1).r(1).w(1)
            .requestTimeout(Duration.ofMillis(800)).replicaTimeout(Duration.ofMillis(150)).build()).start()) {
            two.stop(1);
            assertThrows(IllegalStateException.class, () -> two.decommission(1), "a stopped node with N=1 holds the last copy");
            assertTrue(two.ring().members().contains(two.nodeId(1)), "a refused decommission leaves the ring as it was");
        }
    }
}
