package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Context;
import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.repair.HintKey;
import io.armature.engine.ring.KeyHash;
import io.armature.engine.ring.NodeId;
import io.armature.engine.transport.local.LocalTransportProvider;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.micrometer.core.instrument.search.Search;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bodies of the repair message types (16..24) come from the network: any bytes must be survivable. */
class RepairFrameTest {
    private static double rejected(final EmbeddedCluster c) {
        return Search.in(c.meters()).name("armature.frames.rejected").counters().stream().mapToDouble(x -> x.count()).sum();
    }

    private static void awaitRejected(final EmbeddedCluster c, final double atLeast) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rejected(c) < atLeast && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void arbitraryRepairBodiesAreRejectedAndTheNodeKeepsServing() {
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).partitions(64).start();
             Transport attacker = new LocalTransportProvider().create(TransportConfig.builder()
                 .property("local.network", c.network().name()).build())) {
            attacker.bind(new Endpoint("attacker", 0), m -> { });
            final WireEncoder encoder = new WireEncoder("node-1", new Endpoint("attacker", 1));
            final SplittableRandom random = new SplittableRandom(7);
            int sent = 0;
            for (int type = 16; type <= 24; type++) {
                for (int i = 0; i < 300; i++) {
                    final byte[] body = new byte[random.nextInt(120)];
                    random.nextBytes(body);
                    if (body.length > 0 && i % 2 == 0) {
                        body[0] = 1;
                    }
                    attacker.send(c.endpoint(0), ByteBuffer.wrap(encoder.encodeToArray(random.nextLong(),
                        new Message.Opaque(MessageType.fromCode(type), body))));
                    sent++;
                }
            }
            awaitRejected(c, sent / 2.0);
            assertTrue(rejected(c) >= sent / 2.0, "most random bodies are rejected: " + rejected(c) + " of " + sent);
            final byte[] key = "after".getBytes(StandardCharsets.UTF_8);
            c.client(0).blocking().put(key, new byte[] {7}, Context.empty());
            assertEquals(1, c.client(0).blocking().get(key).values().size(), "the node still serves");
        }
    }

    @Test
    void aHintDeliveredToANodeThatIsNeitherItsOwnerNorAReplicaOfTheKeyIsRefused() {
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(4).partitions(64).start();
             Transport attacker = new LocalTransportProvider().create(TransportConfig.builder()
                 .property("local.network", c.network().name()).build())) {
            attacker.bind(new Endpoint("attacker", 0), m -> { });
            // A re-routed hint may go to any current replica of its key: pick a key node-0 does not replicate.
            byte[] candidate = null;
            for (int i = 0; candidate == null; i++) {
                final byte[] k = ("not-yours-" + i).getBytes(StandardCharsets.UTF_8);
                if (!c.ring().preferenceList(c.ring().partitionForKey(k), c.settings().n()).contains(c.nodeId(0))) {
                    candidate = k;
                }
            }
            final byte[] key = candidate;
            final int partition = c.ring().partitionForKey(key);
            final byte[] hk = new HintKey(new NodeId("node-2"), partition, KeyHash.hash64(key), key).encode();
            c.client(1).blocking().put("template".getBytes(StandardCharsets.UTF_8), new byte[] {1}, Context.empty());
            final byte[] set = c.node(1).replica().read(c.ring().partitionForKey("template".getBytes(StandardCharsets.UTF_8)),
                "template".getBytes(StandardCharsets.UTF_8)).encode();
            final byte[] body = ByteBuffer.allocate(1 + 4 + hk.length + set.length).put((byte) 1).putInt(hk.length).put(hk)
                .put(set).array();
            final double before = rejected(c);
            attacker.send(c.endpoint(0), ByteBuffer.wrap(new WireEncoder("node-1", new Endpoint("attacker", 1))
                .encodeToArray(5, new Message.Opaque(MessageType.HINT_DELIVERY, body))));
            awaitRejected(c, before + 1);
            assertEquals(before + 1, rejected(c));
            assertNull(c.node(0).storage().get(Keyspace.partition(partition),
                io.armature.engine.replica.StorageLayout.recordKey(key)), "nothing stored for another owner");
        }
    }
}
