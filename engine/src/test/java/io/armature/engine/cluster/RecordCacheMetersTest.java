package io.armature.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.BlockingKvClient;
import io.armature.api.Context;
import io.armature.engine.node.Node;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The record cache shows in the meters, per node, and a restarted node's meters read its new life. */
class RecordCacheMetersTest {
    private static double sum(final EmbeddedCluster c, final String name) {
        return c.meters().get(name).functionCounters().stream().mapToDouble(f -> f.count()).sum();
    }

    @Test
    void hitsMissesAndBytesAreCountedAndARestartStartsAfresh() {
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).start()) {
            final BlockingKvClient kv = c.client().blocking();
            final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
            kv.put(key, new byte[100], Context.empty());
            final double missesAfterPut = sum(c, Node.CACHE_MISSES);
            assertTrue(missesAfterPut >= 1, "the first write finds nothing cached: " + missesAfterPut);
            for (int i = 0; i < 5; i++) {
                kv.get(key);
            }
            assertTrue(sum(c, Node.CACHE_HITS) >= 5, "reads of a written key are answered by the cache");
            final double bytes = c.meters().get(Node.CACHE_BYTES).gauges().stream().mapToDouble(g -> g.value()).sum();
            assertTrue(bytes >= 3 * 100, "three replicas cache a 100-byte value: " + bytes);

            c.stop(0);
            c.restart(0);
            assertEquals(0.0, c.meters().get(Node.CACHE_HITS).tag("node", c.nodeId(0).value()).functionCounter().count(),
                "the restarted node's counter is its new life's, not the stopped one's");
            assertEquals(1, c.meters().get(Node.CACHE_BYTES).tag("node", c.nodeId(0).value()).gauges().size());
        }
    }
}
