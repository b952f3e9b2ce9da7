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
    /** Short timeouts so that failure cases finish fast. */
    static final StoreSettings FAST = StoreSettings.builder()
        .requestTimeout(Duration.ofMillis(800)).replicaTimeout(Duration.ofMillis(150)).build();

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

    static void await(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
