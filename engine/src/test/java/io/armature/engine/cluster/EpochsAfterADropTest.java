package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.versioning.VersionSet;
import org.junit.jupiter.api.Test;

/**
 * kv679's epochs and clock size: dropping one partition (every join or leave moves some away)
 * distrusted the epochs of every key in every partition, so each key the node wrote next gained
 * one more clock entry per membership change, for ever. Only the dropped partition's records can
 * come back older than the dots minted for them.
 */
class EpochsAfterADropTest {
    @Test
    void droppingAnotherPartitionDoesNotGrowAKeysClock() {
        try (EmbeddedCluster c = cluster(3).partitions(16).start()) {
            final byte[] key = bytes("k");
            final int other = (c.ring().partitionForKey(key) + 1) % 16;
            c.client(0).blocking().put(key, bytes("v1"), Context.empty(), Consistency.defaults());
            c.onLoop(0, node -> node.replica().dropPartition(other));
            c.client(0).blocking().put(key, bytes("v2"), Context.empty(), Consistency.defaults());
            final VersionSet set = VersionSet.decode(stored(c, 0, key));
            assertEquals(2, set.values().size(), "a blind put makes a sibling");
            assertEquals(1, set.context().size(), "one clock entry for the one coordinator: " + set.context());
        }
    }
}
