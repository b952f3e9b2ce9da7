package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.config.NodeConfig;
import io.armature.engine.membership.Gossip;
import io.armature.engine.membership.MemberState;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Gossip and the phi detector in virtual time, with the default settings (gossip every second,
 * threshold 8): a stopped node is suspected within the detector's expected time and trusted
 * again soon after it restarts; suspicion never changes the ring.
 */
class GossipFailureDetectionTest {
    private static final System.Logger LOG = System.getLogger(GossipFailureDetectionTest.class.getName());
    private static final long SECOND = 1_000_000_000L;

    private final VirtualTimeNodeTest.World world = new VirtualTimeNodeTest.World();
    private final Map<NodeId, Endpoint> endpoints = new HashMap<>();
    private final StorageEngine[] storages = new StorageEngine[4];
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private StaticMembership membership;

    private Node node(final int i) {
        final NodeId id = new NodeId("g" + i);
        final Node n = new Node(new NodeContext(NodeConfig.builder(id, endpoints.get(id)).partitions(64).build(), storages[i],
            world.transport(), world, world, new SplittableRandom(i * 31L + world.nanoTime()), meters, membership, null));
        n.start();
        return n;
    }

    /** @return virtual nanos until the condition held, checked every 10 ms, or -1 past the limit */
    private long runUntil(final BooleanSupplier condition, final long limitNanos) {
        final long start = world.nanoTime();
        final CompletableFuture<Void> never = new CompletableFuture<>();
        for (long t = start; t - start <= limitNanos; t += 10_000_000L) {
            world.runUntil(never, t);
            if (condition.getAsBoolean()) {
                return t - start;
            }
        }
        return -1;
    }

    @Test
    void aStoppedNodeIsSuspectedWithinThePhiTimeAndTrustedAgainAfterItRestarts() {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            final NodeId id = new NodeId("g" + i);
            zones.put(id, "");
            endpoints.put(id, new Endpoint(id.value(), 1));
            storages[i] = new MemoryStorageProvider().open(StorageConfig.builder().build());
        }
        final Ring ring = Ring.create(64, zones);
        membership = new StaticMembership(ring, endpoints);
        final Node[] nodes = new Node[4];
        for (int i = 0; i < 4; i++) {
            nodes[i] = node(i);
        }
        final NodeId victim = new NodeId("g3");
        // A minute of gossip: everyone has heard everyone's heartbeat many times.
        runUntil(() -> false, 60 * SECOND);
        final MemberState before = nodes[0].gossip().view().get(victim);
        assertTrue(before.generation() >= 1 && before.version() > 30, "heartbeats spread: " + before);
        assertTrue(nodes[0].failureDetector().isAvailable(victim));

        nodes[3].stop();
        final long detected = runUntil(() -> !nodes[0].failureDetector().isAvailable(victim), 60 * SECOND);
        LOG.log(System.Logger.Level.INFO, "a stopped node was suspected after {0} ms of virtual time", detected / 1_000_000);
        // Expected: 8 ln 10 mean intervals; gossip brings a node's heartbeat about once a period,
        // relayed beats come a little slower than that, so about 18.4 s to 21 s; bounded loosely.
        assertTrue(detected >= 8 * SECOND && detected <= 25 * SECOND, "suspected after " + detected + " ns");
        assertTrue(runUntil(() -> !nodes[1].failureDetector().isAvailable(victim)
            && !nodes[2].failureDetector().isAvailable(victim), 10 * SECOND) >= 0, "every node suspects it");
        assertTrue(ring.members().contains(victim) && membership.ring().equals(ring), "suspicion never changes the ring");
        final double gauge = meters.get(Gossip.SUSPECTED).tag("node", "g0").gauge().value();
        assertTrue(gauge == 1.0, "suspected gauge " + gauge);

        nodes[3] = node(3);
        final long trusted = runUntil(() -> nodes[0].failureDetector().isAvailable(victim)
            && nodes[1].failureDetector().isAvailable(victim) && nodes[2].failureDetector().isAvailable(victim), 10 * SECOND);
        LOG.log(System.Logger.Level.INFO, "a restarted node was trusted again after {0} ms", trusted / 1_000_000);
        assertTrue(trusted >= 0 && trusted <= 3 * SECOND, "trusted again after " + trusted + " ns");
        assertTrue(nodes[0].gossip().view().get(victim).generation() > before.generation(), "the new life has a higher generation");
        assertFalse(meters.get(Gossip.ROUND_TIME).tag("node", "g0").timer().count() == 0, "gossip rounds are timed");
    }
}
