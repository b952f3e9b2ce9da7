package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.FAST_REPAIR;
import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static io.armature.engine.cluster.ClusterTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.ReadResult;
import io.armature.engine.replica.StorageLayout;
import io.armature.engine.versioning.VersionSet;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Riak's kv679: a coordinator that lost its record of a key must not mint a dot a replica has
 * already seen, or the new write is "already seen" there and anti-entropy discards it.
 */
class DotReuseTest {
    @Test
    void aBlindPutAfterAPurgeWhoseDeleteOneReplicaMissedSurvivesAntiEntropy() {
        try (EmbeddedCluster c = cluster(3).partitions(16).suspectRetry(Duration.ofMillis(200)).repair(FAST_REPAIR).start()) {
            final byte[] key = bytes("kv679");
            final int partition = c.ring().partitionForKey(key);
            final ReadResult<byte[]> written = c.client(0).blocking().put(key, bytes("old"), Context.empty(),
                Consistency.defaults().withW(3));
            c.client(0).blocking().delete(key, written.context(), Consistency.defaults().withW(3));
            await("every replica to hold the tombstone", () -> {
                for (int i = 0; i < 3; i++) {
                    final byte[] raw = stored(c, i, key);
                    if (raw == null || !VersionSet.decode(raw).isTombstoneOnly()) {
                        return false;
                    }
                }
                return true;
            });
            // The purge as node 0 runs it, with its DELETE to node 2 lost: nodes 0 and 1 delete
            // their copies, node 2 keeps the tombstone.
            for (final int i : new int[] {0, 1}) {
                final byte[] raw = stored(c, i, key);
                c.onLoop(i, node -> assertTrue(node.replica().deleteIf(partition, StorageLayout.recordKey(key), raw)));
            }
            c.client(0).blocking().put(key, bytes("new"), Context.empty(), Consistency.defaults().withW(2));
            await("anti-entropy to make the three replicas agree", () -> {
                final byte[] first = stored(c, 0, key);
                return first != null && Arrays.equals(first, stored(c, 1, key)) && Arrays.equals(first, stored(c, 2, key));
            });
            final ReadResult<byte[]> read = c.client(1).blocking().get(key, Consistency.defaults().withR(3));
            assertEquals(1, read.values().size(), "the acknowledged put is still there: " + read.values().stream().map(b -> text(b)).toList());
            assertArrayEquals(bytes("new"), read.values().get(0));
        }
    }
}
