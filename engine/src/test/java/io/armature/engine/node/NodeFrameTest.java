package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Context;
import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.armature.engine.transport.local.LocalTransportProvider;
import io.micrometer.core.instrument.search.Search;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeFrameTest {
    @Test
    void garbageFramesAreCountedByReasonAndTheNodeKeepsServing() {
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).partitions(64).start();
             Transport attacker = new LocalTransportProvider().create(TransportConfig.builder()
                 .property("local.network", c.network().name()).build())) {
            attacker.bind(new Endpoint("attacker", 0), m -> { });
            final Endpoint target = c.endpoint(0);
            attacker.send(target, ByteBuffer.wrap(new byte[] {1, 2, 3}));
            attacker.send(target, ByteBuffer.wrap("definitely not a frame at all".getBytes(StandardCharsets.UTF_8)));
            final byte[] valid = new WireEncoder("", new Endpoint("attacker", 1))
                .encodeToArray(9, new Message.ClientGet("k".getBytes(StandardCharsets.UTF_8), 0, 0));
            attacker.send(target, ByteBuffer.wrap(java.util.Arrays.copyOf(valid, valid.length - 1)));
            final long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (rejected(c) < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(3.0, rejected(c));
            assertEquals(1.0, c.meters().get("armature.frames.rejected").tag("node", "node-0").tag("reason", "too-short").counter().count());
            assertEquals(1.0, c.meters().get("armature.frames.rejected").tag("node", "node-0").tag("reason", "bad-magic").counter().count());
            assertEquals(1.0, c.meters().get("armature.frames.rejected").tag("node", "node-0").tag("reason", "length-mismatch").counter().count());
            c.client(0).blocking().put("k".getBytes(StandardCharsets.UTF_8), new byte[] {1}, Context.empty());
            assertTrue(c.client(0).blocking().get("k".getBytes(StandardCharsets.UTF_8)).values().size() == 1);
        }
    }

    @Test
    void thousandsOfMutatedFramesNeverStopANodeFromServing() {
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).partitions(64).start();
             Transport attacker = new LocalTransportProvider().create(TransportConfig.builder()
                 .property("local.network", c.network().name()).build())) {
            attacker.bind(new Endpoint("attacker", 0), m -> { });
            final WireEncoder encoder = new WireEncoder("node-1", new Endpoint("attacker", 1));
            final byte[] key = "victim".getBytes(StandardCharsets.UTF_8);
            final java.util.List<Message> templates = java.util.List.of(
                new Message.ReplicaGet(3, key),
                new Message.ReplicaPut(3, key, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0}, null),
                new Message.ReplicaPut(60_000, key, new byte[40], "node-2"),
                new Message.ClientGet(key, 2, 100),
                new Message.ClientWrite(false, Message.WriteOp.PUT, key, new byte[16], new byte[] {1, 0}, 2, 100),
                new Message.ClientReply(Message.Status.OK, java.util.List.of(new byte[3]), new byte[] {1, 0}, "", 0, 0, ""));
            final java.util.SplittableRandom random = new java.util.SplittableRandom(42);
            for (int i = 0; i < 3000; i++) {
                final byte[] frame = encoder.encodeToArray(random.nextLong(), templates.get(i % templates.size()));
                final int flips = random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    final int bit = random.nextInt(frame.length * 8);
                    frame[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                attacker.send(c.endpoint(0), ByteBuffer.wrap(frame));
            }
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (rejected(c) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(rejected(c) > 0);
            c.client(0).blocking().put("after".getBytes(StandardCharsets.UTF_8), new byte[] {7}, Context.empty());
            assertEquals(1, c.client(0).blocking().get("after".getBytes(StandardCharsets.UTF_8)).values().size());
        }
    }

    private static double rejected(final EmbeddedCluster c) {
        return Search.in(c.meters()).name("armature.frames.rejected").counters().stream().mapToDouble(x -> x.count()).sum();
    }
}
