package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.ReadResult;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.WireDecoder;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, case 3's last gap: a put that finds a replica unreachable sends its copy to a stand-in
 * at once, and that hint can still be on its way when a purge CHECK reaches the stand-in, which
 * then truthfully answers that it holds nothing. If the key's tombstone is purged meanwhile (a
 * tombstone that looks past its grace: here a grace of zero), the hint lands afterwards and
 * hands the deleted value back. Four nodes in virtual time (N=3, the fourth is the stand-in);
 * the second replica coordinates the put and its hint is held back until the test lets it go.
 */
class HintInFlightPurgeTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int NODES = 4;
    private static final int PARTITIONS = 16;
    private static final RepairSettings REPAIR = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(200))
        .withAntiEntropyPeriod(Duration.ZERO).withTombstoneGrace(Duration.ZERO);

    private final VirtualTimeNodeTest.World world = new VirtualTimeNodeTest.World();
    private final Map<NodeId, Endpoint> endpoints = new HashMap<>();
    private final Node[] nodes = new Node[NODES];
    private final byte[] key = "deleted-while-hinted".getBytes(StandardCharsets.UTF_8);
    /** Hints the coordinator sent, held back: receiver and frame. */
    private final List<Map.Entry<Endpoint, byte[]>> held = new ArrayList<>();
    private Ring ring;
    private int partition;
    /** The key's preference list, as indices into {@link #nodes}, then its stand-in. */
    private int[] order;

    private void start() {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (int i = 0; i < NODES; i++) {
            final NodeId id = new NodeId("h" + i);
            zones.put(id, "");
            endpoints.put(id, new Endpoint(id.value(), 1));
        }
        ring = Ring.create(PARTITIONS, zones);
        partition = ring.partitionForKey(key);
        final List<Integer> o = new ArrayList<>();
        for (final NodeId r : ring.preferenceList(partition, 3)) {
            o.add(Integer.parseInt(r.value().substring(1)));
        }
        for (int i = 0; i < NODES; i++) {
            if (!o.contains(i)) {
                o.add(i);
            }
        }
        order = o.stream().mapToInt(Integer::intValue).toArray();
        final StaticMembership membership = new StaticMembership(ring, endpoints);
        for (int i = 0; i < NODES; i++) {
            final NodeId id = new NodeId("h" + i);
            final Transport t = i == order[1] ? holdingHints(world.transport()) : world.transport();
            nodes[i] = new Node(new NodeContext(NodeConfig.builder(id, endpoints.get(id)).partitions(PARTITIONS).repair(REPAIR)
                .build(), new MemoryStorageProvider().open(StorageConfig.builder().build()), t, world, world,
                new SplittableRandom(i), new SimpleMeterRegistry(), membership, null));
            nodes[i].start();
        }
    }

    /** Sends everything but replica writes meant as hints, which it keeps in {@link #held}. */
    private Transport holdingHints(final Transport inner) {
        final WireDecoder decoder = new WireDecoder(1 << 21, null);
        return VirtualTimeNodeTest.intercepting(inner, (to, message) -> {
            final byte[] copy = new byte[message.remaining()];
            message.duplicate().get(copy);
            final WireDecoder.Decoded d = decoder.decode(new UnsafeBuffer(copy), 0, copy.length);
            if (d.ok() && d.frame().message() instanceof Message.ReplicaPut p && p.hintOwner() != null) {
                held.add(Map.entry(to, copy));
                return SendStatus.SENT;
            }
            return null;
        });
    }

    private void release() {
        for (final Map.Entry<Endpoint, byte[]> h : held) {
            world.schedule(100_000, () -> world.bound.get(h.getKey()).onMessage(ByteBuffer.wrap(h.getValue())));
        }
        held.clear();
    }

    private Node replica(final int i) {
        return nodes[order[i]];
    }

    private void run(final long nanos) {
        world.runUntil(new CompletableFuture<Void>(), world.nanoTime() + nanos);
    }

    private <T> T complete(final CompletableFuture<T> f) throws Exception {
        world.runUntil(f, world.nanoTime() + 10 * SECOND);
        assertTrue(f.isDone(), "the request completed");
        return f.get();
    }

    private VersionSet stored(final int i) {
        return replica(i).replica().read(partition, key);
    }

    /** Anti-entropy rounds on the key's first replica (each sweeps one partition), 10 ms apart, for about a second. */
    private void sweepForASecond() {
        for (int i = 0; i < 100; i++) {
            replica(0).antiEntropy().round();
            run(10_000_000L);
        }
    }

    private void assertStaysDeleted(final String when) throws Exception {
        for (int i = 0; i < 3; i++) {
            final VersionSet s = stored(i);
            assertTrue(s == null || s.isTombstoneOnly(), when + ": replica " + replica(i).id() + " holds " + s);
        }
        final ReadResult<byte[]> read = complete(replica(0).client().get(key, Consistency.defaults().withR(3)));
        assertTrue(read.values().isEmpty(), when + ": the deleted key reads " + read.values().size() + " values");
    }

    @Test
    void aHintStillInFlightFromAnOpenPutKeepsTheTombstone() throws Exception {
        start();
        // The third replica is unreachable as the put starts: its copy goes to the stand-in at once, and stays on the way.
        world.down.add(replica(2).endpoint());
        final ReadResult<byte[]> put = complete(replica(1).client().put(key, "old".getBytes(StandardCharsets.UTF_8),
            Context.empty(), Consistency.defaults().withW(2)));
        world.down.remove(replica(2).endpoint());
        assertEquals(1, held.size(), "the stand-in's hint is on its way");
        complete(replica(0).client().delete(key, put.context(), Consistency.defaults().withW(3)));
        for (int i = 0; i < 3; i++) {
            assertTrue(stored(i).isTombstoneOnly(), "replica " + i + " holds the tombstone");
        }
        sweepForASecond();
        assertNotNull(stored(0), "a purge waits while the coordinator's put still has a copy on its way to a stand-in");
        release();
        run(5 * SECOND);
        assertEquals(0, nodes[order[3]].handoff().pending(), "the stand-in handed its hint over");
        assertStaysDeleted("after the hint arrived");
        sweepForASecond();
        for (int i = 0; i < 3; i++) {
            assertNull(stored(i), "once the hint was acknowledged the tombstone goes: replica " + i + " holds " + stored(i));
        }
        assertStaysDeleted("after the purge");
    }
}
