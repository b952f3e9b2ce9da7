package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.repairCluster;
import static io.armature.engine.cluster.AntiEntropyTest.replicasAgree;
import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.ArmatureException;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.ReadResult;
import io.armature.engine.coordinator.Coordinator;
import io.armature.engine.versioning.VersionSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, case 4 at the replicas: two coordinators that cannot reach each other each accept a
 * put of the largest value; the replica both reach merged them into one set larger than a message
 * carries, so no repair path could move it again. With the defaults, no replica may store such a
 * set, every acknowledged value stays readable (in one reply), and a write with the read's
 * context resolves the key on every replica.
 */
class CappedMergeTest {
    @Test
    void concurrentLargestPutsLeaveNoRecordThatAMessageCannotCarry() {
        try (EmbeddedCluster c = repairCluster(3).start()) {
            final byte[] key = bytes("two-big-puts");
            final int size = c.settings().maxValueSize();
            final byte[] a = filled(size, 'a');
            final byte[] b = filled(size, 'b');
            // Every node replicates every key (N=3 of 3): node 2 is the replica both sides reach.
            c.network().partition(Set.of(c.endpoint(0)), Set.of(c.endpoint(1)));
            final List<byte[]> acknowledged = new ArrayList<>();
            if (put(c, 0, key, a)) {
                acknowledged.add(a);
            }
            if (put(c, 1, key, b)) {
                acknowledged.add(b);
            }
            assertTrue(!acknowledged.isEmpty(), "the first put met its quorum");
            final int message = c.node(2).context().transport().maxMessageSize();
            final long carried = (long) message - Coordinator.FRAME_RESERVE - key.length;
            for (int i = 0; i < c.size(); i++) {
                final byte[] record = stored(c, i, key);
                assertTrue(record == null || record.length <= carried, "node " + i + " stores a set of "
                    + (record == null ? 0 : record.length) + " bytes, more than the " + carried + " a message carries");
            }
            c.network().heal();
            final ReadResult<byte[]> read = c.client(2).blocking().get(key, Consistency.defaults().withR(3));
            long replyBytes = read.context().toBytes().length;
            for (final byte[] v : read.values()) {
                replyBytes += v.length;
            }
            assertTrue(replyBytes <= carried, "one reply carries the read: " + replyBytes + " bytes");
            for (final byte[] v : acknowledged) {
                assertTrue(read.values().stream().anyMatch(x -> Arrays.equals(x, v)), "an acknowledged value is readable");
            }
            final byte[] resolved = bytes("resolved");
            c.client(2).blocking().put(key, resolved, read.context(), Consistency.defaults().withW(3));
            await("every replica to hold the resolved value", () -> replicasAgree(c, List.of(key)));
            for (int i = 0; i < c.size(); i++) {
                final List<byte[]> live = new ArrayList<>();
                VersionSet.decode(stored(c, i, key)).liveValues().forEach(v -> live.add(v.data()));
                assertEquals(1, live.size(), "node " + i + " holds one value");
                assertArrayEquals(resolved, live.get(0));
            }
        }
    }

    @Test
    void aReplicaRefusesAMergeOverTheCapAndTheCoordinatorSaysWhyWithoutSuspectingIt() {
        try (EmbeddedCluster c = repairCluster(3).start()) {
            final byte[] key = bytes("refused-merge");
            final byte[] a = filled(c.settings().maxValueSize(), 'a');
            c.network().partition(Set.of(c.endpoint(0)), Set.of(c.endpoint(1)));
            assertTrue(put(c, 0, key, a), "the first put met its quorum at nodes 0 and 2");
            final InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> c.client(1).blocking()
                .put(key, filled(c.settings().maxValueSize(), 'b'), Context.empty(), Consistency.defaults().withW(2)));
            assertTrue(e.getMessage().contains("store.max-object-size") && e.getMessage().contains(c.nodeId(2).toString()),
                e.getMessage());
            final List<byte[]> held = new ArrayList<>();
            VersionSet.decode(stored(c, 2, key)).liveValues().forEach(v -> held.add(v.data()));
            assertEquals(1, held.size(), "node 2 kept the set it had");
            assertArrayEquals(a, held.get(0));
            final boolean[] available = {false};
            final io.armature.engine.ring.NodeId two = c.nodeId(2);
            c.onLoop(1, node -> available[0] = node.failureDetector().isAvailable(two));
            assertTrue(available[0], "a refusal for size is not a suspicion");
        }
    }

    private static boolean put(final EmbeddedCluster c, final int via, final byte[] key, final byte[] value) {
        try {
            c.client(via).blocking().put(key, value, Context.empty(), Consistency.defaults().withW(2));
            return true;
        } catch (final ArmatureException e) {
            return false;
        }
    }

    private static byte[] filled(final int size, final char c) {
        final byte[] out = new byte[size];
        Arrays.fill(out, (byte) c);
        return out;
    }
}
