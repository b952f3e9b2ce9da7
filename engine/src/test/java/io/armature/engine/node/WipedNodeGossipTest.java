package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.config.NodeConfig;
import io.armature.engine.membership.MemberState;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.metrics.EngineMetrics;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.wire.RejectReason;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, case 5: a node whose storage was wiped starts a new life while its peers still hold
 * the old one's heartbeat. Its gossip must work at once, not after its heartbeat version passes
 * the old life's (which, after weeks of uptime, takes weeks).
 */
class WipedNodeGossipTest {
    private static final long SECOND = 1_000_000_000L;

    private final VirtualTimeNodeTest.World world = new VirtualTimeNodeTest.World();
    private final Map<NodeId, Endpoint> endpoints = new HashMap<>();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private StaticMembership membership;

    private Node node(final int i, final StorageEngine storage) {
        final NodeId id = new NodeId("w" + i);
        final Node n = new Node(new NodeContext(NodeConfig.builder(id, endpoints.get(id)).partitions(64).build(), storage,
            world.transport(), world, world, new SplittableRandom(i * 31L + world.nanoTime()), meters, membership, null));
        n.start();
        return n;
    }

    private void run(final long nanos) {
        world.runUntil(new CompletableFuture<Void>(), world.nanoTime() + nanos);
    }

    private double badContent(final String node) {
        return meters.get(EngineMetrics.FRAMES_REJECTED).tag("node", node).tag("reason", RejectReason.BAD_CONTENT.tag())
            .counter().count();
    }

    @Test
    void aWipedNodeMergesGossipAtOnceAndItsPeersSeeItsNewLife() {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            final NodeId id = new NodeId("w" + i);
            zones.put(id, "");
            endpoints.put(id, new Endpoint(id.value(), 1));
        }
        membership = new StaticMembership(Ring.create(64, zones), endpoints);
        final Node[] nodes = new Node[4];
        for (int i = 0; i < 4; i++) {
            nodes[i] = node(i, new MemoryStorageProvider().open(StorageConfig.builder().build()));
        }
        final NodeId victim = new NodeId("w3");
        final NodeId peer = new NodeId("w0");
        // Two minutes of gossip: the old life's heartbeat version is far above what a new life reaches in seconds.
        run(120 * SECOND);
        final MemberState oldLife = nodes[0].gossip().view().get(victim);
        assertTrue(oldLife.version() > 60, "heartbeats spread: " + oldLife);

        nodes[3].stop();
        run(2 * SECOND);
        nodes[3] = node(3, new MemoryStorageProvider().open(StorageConfig.builder().build()));
        final double rejectedBefore = badContent("w3");
        run(10 * SECOND);

        assertEquals(rejectedBefore, badContent("w3"), "the wiped node rejected gossip as bad content");
        final MemberState seenByVictim = nodes[3].gossip().view().get(peer);
        final MemberState peerNow = nodes[0].gossip().view().get(peer);
        assertTrue(seenByVictim.generation() == peerNow.generation() && peerNow.version() - seenByVictim.version() <= 3,
            "the wiped node follows its peers' heartbeats: it sees " + seenByVictim + ", the peer is at " + peerNow);
        final MemberState newLife = nodes[0].gossip().view().get(victim);
        assertTrue(newLife.heartbeatNewerThan(oldLife) && newLife.generation() > oldLife.generation(),
            "peers hold the new life: " + newLife + " after " + oldLife);
        assertTrue(nodes[0].failureDetector().isAvailable(victim), "the new life is trusted");
    }
}
