package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.FAST_REPAIR;
import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.ReadResult;
import io.armature.engine.repair.AntiEntropy;
import io.armature.engine.repair.TombstonePurge;
import io.armature.engine.versioning.VersionSet;
import io.armature.spi.transport.Endpoint;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TombstonePurgeTest {
    private static double sum(final EmbeddedCluster c, final String meter) {
        return c.meters().get(meter).counters().stream().mapToDouble(x -> x.count()).sum();
    }

    @Test
    void aDeletedKeyNeverReappearsAfterAntiEntropyAndPurge() {
        try (EmbeddedCluster c = cluster(3).partitions(16).suspectRetry(Duration.ofMillis(200))
            .repair(FAST_REPAIR.withTombstoneGrace(Duration.ZERO)).start()) {
            final byte[] key = bytes("deleted");
            final ReadResult<byte[]> written = c.client(0).blocking().put(key, bytes("old"), Context.empty(),
                Consistency.defaults().withW(3));
            // Replica 2 misses the delete and keeps the live value; with three nodes there is no stand-in.
            final Endpoint missing = c.endpoint(2);
            c.network().dropWhen((from, to) -> missing.equals(to) || missing.equals(from));
            c.client(0).blocking().delete(key, written.context(), Consistency.defaults().withW(2));
            assertTrue(VersionSet.decode(stored(c, 2, key)).liveValues().size() == 1, "replica 2 still holds the value");
            assertTrue(VersionSet.decode(stored(c, 0, key)).isTombstoneOnly());
            c.network().heal();
            await("the tombstone to reach every replica and then be purged everywhere",
                () -> stored(c, 0, key) == null && stored(c, 1, key) == null && stored(c, 2, key) == null);
            assertTrue(sum(c, TombstonePurge.PURGED) >= 3, "purged on each replica");
            final double exchanges = sum(c, AntiEntropy.EXCHANGES);
            await("a hundred more anti-entropy exchanges", () -> sum(c, AntiEntropy.EXCHANGES) >= exchanges + 100);
            for (int i = 0; i < 3; i++) {
                assertEquals(null, stored(c, i, key), "replica " + i + " never got the value back");
            }
            final ReadResult<byte[]> read = c.client(1).blocking().get(key, Consistency.defaults().withR(3));
            assertTrue(read.values().isEmpty(), "the deleted key reads as absent");
            assertNotNull(read.context());
        }
    }
}
