package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Writes to a partition while it moves (docs/repair.md, "Join and leave"). */
class PendingPartitionTest {
    private static final int PARTITIONS = 16;
    /** Anti-entropy off: only the coordinator's writes (and the held-back streaming) can move data. */
    private static final RepairSettings NO_ANTI_ENTROPY = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(50))
        .withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(64 << 20, 4 << 20);

    @Test
    void aWriteToAMovingPartitionReachesItsOldAndNewReplicasWithoutAntiEntropy() throws Exception {
        final ExecutorService operator = Executors.newSingleThreadExecutor();
        try (EmbeddedCluster c = cluster(5).partitions(PARTITIONS).repair(NO_ANTI_ENTROPY).start()) {
            final Ring before = c.ring();
            final NodeId leaving = c.nodeId(4);
            final Ring after = before.leave(leaving);
            int partition = -1;
            NodeId gainer = null;
            for (int p = 0; p < PARTITIONS && gainer == null; p++) {
                final Set<NodeId> gained = new HashSet<>(after.preferenceList(p, 3));
                gained.removeAll(before.preferenceList(p, 3));
                if (!gained.isEmpty() && before.preferenceList(p, 3).contains(leaving)) {
                    partition = p;
                    gainer = gained.iterator().next();
                }
            }
            assertNotNull(gainer, "the leave moves some partition of the leaving node");
            final List<NodeId> sources = before.preferenceList(partition, 3);
            // The gainer cannot reach any old replica: its copy never completes, so the partition stays pending.
            final Endpoint from = c.endpoint(ClusterTesting.index(c, gainer));
            final Set<Endpoint> olds = new HashSet<>();
            for (final NodeId s : sources) {
                olds.add(c.endpoint(ClusterTesting.index(c, s)));
            }
            c.network().dropWhen((f, t) -> from.equals(f) && olds.contains(t));
            final Future<?> decommission = operator.submit(() -> c.decommission(4));
            ClusterTesting.await("every node holds the ring without " + leaving, () -> {
                for (int i = 0; i < 5; i++) {
                    if (c.node(i).membership().ring().epoch() != after.epoch()) {
                        return false;
                    }
                }
                return true;
            });
            final byte[] key = keyIn(after, partition);
            final NodeId stays = sources.stream().filter(s -> after.preferenceList(after.partitionForKey(key), 3).contains(s))
                .findFirst().orElseThrow();
            c.client(ClusterTesting.index(c, stays)).blocking().put(key, bytes("moving"), Context.empty(),
                Consistency.defaults().withW(2));
            final int g = ClusterTesting.index(c, gainer);
            ClusterTesting.await("the new replica " + gainer + " holds the write", () -> stored(c, g, key) != null);
            assertNotNull(stored(c, 4, key), "the losing old replica " + leaving + " holds it too");
            for (final NodeId s : sources) {
                assertNotNull(stored(c, ClusterTesting.index(c, s), key), "old replica " + s + " holds it");
            }
            assertFalse(decommission.isDone(), "the partition is still moving: the leaving node waits");
            assertEquals(List.of("moving"), c.client(ClusterTesting.index(c, stays)).blocking()
                .get(key, Consistency.defaults().withR(3)).values().stream().map(ClusterTesting::text).toList(),
                "a read while the partition moves is served by its old replicas");

            c.network().heal();
            decommission.get(30, TimeUnit.SECONDS);
            assertFalse(c.isRunning(4));
            assertNull(stored(c, 4, key), "the leaving node dropped its copy once the gainer held the partition");
            for (final NodeId r : after.preferenceList(partition, 3)) {
                assertNotNull(stored(c, ClusterTesting.index(c, r), key), "new replica " + r + " holds it");
            }
        } finally {
            operator.shutdownNow();
        }
    }

    static byte[] keyIn(final Ring ring, final int partition) {
        for (int i = 0; ; i++) {
            final byte[] key = bytes("key-" + i);
            if (ring.partitionForKey(key) == partition) {
                return key;
            }
        }
    }

    static List<Integer> lostPartitions(final Ring before, final Ring after, final NodeId node) {
        final List<Integer> out = new ArrayList<>();
        for (int p = 0; p < before.partitionCount(); p++) {
            if (before.preferenceList(p, 3).contains(node) && !after.preferenceList(p, 3).contains(node)) {
                out.add(p);
            }
        }
        return out;
    }
}
