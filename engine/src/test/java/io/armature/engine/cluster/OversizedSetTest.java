package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.engine.versioning.VersionSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, case 4: two blind puts of the largest value make a set larger than the object limit
 * (once, with 1 MiB values and a 4 MiB object limit, larger than the 2 MiB message limit). It
 * must be refused with a clear error before the coordinator stores it, or the key can no longer
 * be replicated or repaired, and the refusal must not make the coordinator suspect healthy peers.
 */
class OversizedSetTest {
    @Test
    void aSetThatNoMessageCanCarryIsRefusedBeforeItIsStored() {
        try (EmbeddedCluster c = cluster(3).partitions(16).start()) {
            final byte[] key = bytes("big");
            final byte[] value = new byte[c.settings().maxValueSize()];
            c.client(0).blocking().put(key, value, Context.empty(), Consistency.defaults().withW(3));
            final InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> c.client(0).blocking().put(key, value, Context.empty(), Consistency.defaults().withW(3)));
            assertTrue(e.getMessage().contains("store.max-object-size"), e.getMessage());
            assertEquals(1, VersionSet.decode(stored(c, 0, key)).values().size(), "the coordinator kept what every replica has");
            final io.armature.engine.ring.NodeId one = c.nodeId(1);
            final io.armature.engine.ring.NodeId two = c.nodeId(2);
            final boolean[] available = new boolean[2];
            c.onLoop(0, node -> {
                available[0] = node.failureDetector().isAvailable(one);
                available[1] = node.failureDetector().isAvailable(two);
            });
            assertTrue(available[0] && available[1], "a local send failure is not the peer's");
        }
    }
}
