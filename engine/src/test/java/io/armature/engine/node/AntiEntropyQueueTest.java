package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.repair.AntiEntropy;
import io.armature.engine.repair.AntiEntropyMessages.KeyRequest;
import io.armature.engine.repair.TreeShape;
import io.armature.engine.ring.KeyHash;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.engine.wire.WireDecoder;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The anti-entropy send queue of one node in virtual time: it sends each differing key once, at
 * the rate its token bucket allows for the bytes it really sends, and stops taking work when its
 * queue is full rather than growing without bound.
 */
class AntiEntropyQueueTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int PARTITIONS = 16;

    /** A frame the sender node sent: when, how many bytes, what. */
    private record Sent(long atNanos, int bytes, Frame frame) {
    }

    private final VirtualTimeNodeTest.World world = new VirtualTimeNodeTest.World();
    private final Map<NodeId, Endpoint> endpoints = new HashMap<>();
    private final Node[] nodes = new Node[3];
    private final List<Sent> sent = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Ring ring;

    /** Node 0 sends anti-entropy at the given rate and burst; every frame it sends is recorded. */
    private void start(final RepairSettings sender, final RepairSettings others) {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            final NodeId id = new NodeId("q" + i);
            zones.put(id, "");
            endpoints.put(id, new Endpoint(id.value(), 1));
        }
        ring = Ring.create(PARTITIONS, zones);
        final StaticMembership membership = new StaticMembership(ring, endpoints);
        for (int i = 0; i < 3; i++) {
            final NodeId id = new NodeId("q" + i);
            final Transport t = i == 0 ? recording(world.transport()) : world.transport();
            nodes[i] = new Node(new NodeContext(NodeConfig.builder(id, endpoints.get(id)).partitions(PARTITIONS)
                .repair(i == 0 ? sender : others).build(), new MemoryStorageProvider().open(StorageConfig.builder().build()),
                t, world, world, new SplittableRandom(i), i == 0 ? meters : new SimpleMeterRegistry(), membership, null));
            nodes[i].start();
        }
    }

    private Transport recording(final Transport inner) {
        final WireDecoder decoder = new WireDecoder(1 << 21, null);
        return new Transport() {
            @Override
            public Endpoint bind(final Endpoint local, final MessageHandler handler) {
                return inner.bind(local, handler);
            }

            @Override
            public SendStatus send(final Endpoint to, final ByteBuffer message) {
                final byte[] copy = new byte[message.remaining()];
                message.duplicate().get(copy);
                final WireDecoder.Decoded d = decoder.decode(new UnsafeBuffer(copy), 0, copy.length);
                sent.add(new Sent(world.nanoTime(), copy.length, d.frame()));
                return inner.send(to, message);
            }

            @Override
            public int maxMessageSize() {
                return inner.maxMessageSize();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    private void run(final long nanos) {
        world.runUntil(new CompletableFuture<Void>(), world.nanoTime() + nanos);
    }

    /** @return {@code count} keys of one partition, written to all three nodes, in ascending hash order */
    private List<byte[]> keysOfOnePartition(final int count, final int valueBytes) throws Exception {
        final List<byte[]> keys = new ArrayList<>();
        final int partition = ring.partitionForKey("k0".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; keys.size() < count; i++) {
            final byte[] k = ("k" + i).getBytes(StandardCharsets.UTF_8);
            if (ring.partitionForKey(k) == partition) {
                keys.add(k);
            }
        }
        keys.sort((a, b) -> Long.compareUnsigned(KeyHash.hash64(a), KeyHash.hash64(b)));
        for (final byte[] k : keys) {
            final CompletableFuture<?> f = nodes[0].client().put(k, new byte[valueBytes], Context.empty(),
                Consistency.defaults().withW(3));
            world.runUntil(f, world.nanoTime() + 10 * SECOND);
            f.get();
        }
        sent.clear();
        return keys;
    }

    /** Asks node 0, as node 1 would in an exchange, to push these keys to node 1. */
    private void askForKeys(final List<byte[]> keys) {
        final int partition = ring.partitionForKey(keys.get(0));
        final long[] hashes = keys.stream().mapToLong(KeyHash::hash64).toArray();
        final byte[] body = new KeyRequest(TreeShape.of(nodes[0].antiEntropy().tree(partition)), hashes).encode();
        nodes[0].antiEntropy().onKeysReply(new Frame(0, 0, "q1", endpoints.get(new NodeId("q1")),
            new Message.Opaque(MessageType.ANTI_ENTROPY_KEYS_REPLY, body)));
    }

    private List<Sent> pushes() {
        return sent.stream().filter(s -> s.frame().message() instanceof Message.ReplicaPut && s.frame().requestId() == 0).toList();
    }

    private static String keyOf(final Sent s) {
        return new String(((Message.ReplicaPut) s.frame().message()).key(), StandardCharsets.UTF_8);
    }

    @Test
    void aKeyAskedForTwiceWhileQueuedIsSentOnce() throws Exception {
        start(RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(1000, 1000),
            RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO));
        final List<byte[]> keys = keysOfOnePartition(40, 100);
        askForKeys(keys);
        final int sentAtOnce = pushes().size();
        assertTrue(sentAtOnce < keys.size(), "the bucket holds most pushes back: " + sentAtOnce);
        askForKeys(keys);
        run(120 * SECOND);
        final List<String> pushed = pushes().stream().map(AntiEntropyQueueTest::keyOf).toList();
        assertEquals(keys.size() + sentAtOnce, pushed.size(), "a key still queued is not queued again: " + pushed);
    }

    @Test
    void theBucketIsChargedForTheBytesReallySent() throws Exception {
        final long rate = 4096;
        final long burst = 4096;
        start(RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(rate, burst),
            RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO));
        final List<byte[]> keys = keysOfOnePartition(6, 20_000);
        final long start = world.nanoTime();
        askForKeys(keys);
        run(120 * SECOND);
        final List<Sent> pushes = pushes();
        assertEquals(keys.size(), pushes.size());
        long total = 0;
        final int largest = pushes.stream().mapToInt(Sent::bytes).max().orElseThrow();
        for (final Sent s : pushes) {
            total += s.bytes();
            final long allowed = burst + largest + rate * (s.atNanos() - start) / SECOND;
            assertTrue(total <= allowed, total + " bytes sent by " + (s.atNanos() - start) / 1_000_000
                + " ms, the bucket allows " + allowed);
        }
        assertEquals((double) sent.stream().filter(s -> s.frame().message() instanceof Message.ReplicaPut
                || s.frame().message() instanceof Message.Opaque o && o.reservedType().name().startsWith("ANTI_ENTROPY"))
                .mapToLong(Sent::bytes).sum(),
            meters.get(AntiEntropy.BYTES_SENT).counter().count(), "the meter counts the frames' bytes");
    }

    @Test
    void aFullQueueStartsNoNewExchanges() throws Exception {
        // A round every millisecond, 100 bytes a second: the queue cannot keep up.
        start(RepairSettings.defaults().withAntiEntropyPeriod(Duration.ofMillis(1)).withAntiEntropyRate(100, 1000),
            RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO));
        final double before = meters.get(AntiEntropy.EXCHANGES).counter().count();
        long most = 0;
        for (int i = 0; i < 1000; i++) {
            run(10_000_000L);
            most = Math.max(most, nodes[0].antiEntropy().queuedBytes());
        }
        // Four bursts, plus the one piece of work that crossed the line.
        assertTrue(most <= 4 * 1000 + 1000, "the send queue held " + most + " bytes of work");
        assertTrue(nodes[0].antiEntropy().full(), "the queue is full, so rounds start nothing");
        assertTrue(meters.get(AntiEntropy.BACK_PRESSURE).counter().count() > 1000, "the refused rounds are counted");
        final double started = meters.get(AntiEntropy.EXCHANGES).counter().count() - before;
        assertTrue(started < 200, started + " exchanges started in 10 s by a node that can send 1000 bytes in that time");
        assertTrue(started > 0, "some exchanges still start");
    }

    @Test
    void aLongRequestIsSentInOrderOnceEachAcrossBucketStops() throws Exception {
        start(RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(2000, 500),
            RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO));
        final List<byte[]> keys = keysOfOnePartition(60, 50);
        askForKeys(keys);
        run(60 * SECOND);
        final List<String> expected = keys.stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList();
        assertEquals(expected, pushes().stream().map(AntiEntropyQueueTest::keyOf).toList());
        final long distinctTimes = pushes().stream().mapToLong(Sent::atNanos).distinct().count();
        assertTrue(distinctTimes > 5, "the bucket stopped the pushes " + distinctTimes + " times and they resumed");
        assertTrue(Arrays.equals(keys.get(0), ((Message.ReplicaPut) pushes().get(0).frame().message()).key()));
    }
}
