package io.armature.engine.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import io.armature.engine.config.StoreSettings;
import io.armature.engine.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Helpers shared by the embedded-cluster tests. */
final class ClusterTesting {
    /**
     * A short replica timeout so that stand-ins take over fast; the request deadline stays the
     * store's default, since a put that meets a stopped replica needs the replica timeout plus a
     * stand-in's answer, and 800 ms was missed once on a machine running three builds at once.
     */
    static final StoreSettings FAST = StoreSettings.builder()
        .requestTimeout(StoreSettings.DEFAULT_REQUEST_TIMEOUT).replicaTimeout(Duration.ofMillis(150)).build();

    private ClusterTesting() {
    }

    static EmbeddedClusterBuilder cluster(final int nodes) {
        return EmbeddedCluster.builder().nodes(nodes).settings(FAST).partitions(64);
    }

    static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(final byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static int index(final EmbeddedCluster c, final NodeId id) {
        for (int i = 0; i < c.size(); i++) {
            if (c.nodeId(i).equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException(id.toString());
    }

    /** @return the indexes of the key's preference list, in order */
    static int[] preference(final EmbeddedCluster c, final byte[] key) {
        final List<NodeId> prefs = c.ring().preferenceList(c.ring().partitionForKey(key), c.settings().n());
        return prefs.stream().mapToInt(id -> index(c, id)).toArray();
    }

    /** @return how many records node i stores in a partition (its storage is thread-safe) */
    static int records(final EmbeddedCluster c, final int i, final int partition) {
        final int[] count = {0};
        c.node(i).storage().scan(io.armature.spi.storage.Keyspace.partition(partition), null, null, (k, v) -> {
            count[0]++;
            return true;
        });
        return count[0];
    }

    /** @return records that running nodes store in partitions they do not replicate under the newest ring, by node */
    static java.util.Map<NodeId, Integer> recordsOutsideTheRing(final EmbeddedCluster c) {
        final java.util.Map<NodeId, Integer> out = new java.util.TreeMap<>();
        final io.armature.engine.ring.Ring ring = c.ring();
        for (int i = 0; i < c.size(); i++) {
            if (!c.isRunning(i)) {
                continue;
            }
            int count = 0;
            for (int p = 0; p < ring.partitionCount(); p++) {
                if (!ring.preferenceList(p, c.settings().n()).contains(c.nodeId(i))) {
                    count += records(c, i, p);
                }
            }
            if (count > 0) {
                out.put(c.nodeId(i), count);
            }
        }
        return out;
    }

    // 30 s, not 10: on two shared cores with other builds running, a handoff that takes 3 s when
    // quiet took 12 s; the deadline only bounds a failing wait, a passing one returns at once.
    static void await(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
