package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.repair.AntiEntropy;
import io.armature.engine.repair.AntiEntropyMessages.KeyRequest;
import io.armature.engine.repair.TreeShape;
import io.armature.engine.replica.StorageLayout;
import io.armature.engine.ring.KeyHash;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, case 4's last part: a message that does not leave this node (the transport is back
 * pressured, the message is too large for it, it is not connected yet) says nothing about the
 * peer, so it must never make the coordinator or a repair path suspect a healthy peer or count
 * work as done. Node 0's sends to node 1 fail locally; node 1 itself is healthy.
 */
class LocalSendFailureTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int PARTITIONS = 16;

    /** How node 0's transport fails its sends to node 1. */
    private enum Refusal { BACK_PRESSURE, TOO_LARGE }

    private final VirtualTimeNodeTest.World world = new VirtualTimeNodeTest.World();
    private final Map<NodeId, Endpoint> endpoints = new HashMap<>();
    private final Node[] nodes = new Node[3];
    private final List<NodeId> timedOut = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final NodeId one = new NodeId("f1");
    private Refusal refusal;
    private Ring ring;

    private void start() {
        start(io.armature.engine.config.StoreSettings.defaults());
    }

    private void start(final io.armature.engine.config.StoreSettings store) {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            final NodeId id = new NodeId("f" + i);
            zones.put(id, "");
            endpoints.put(id, new Endpoint(id.value(), 1));
        }
        ring = Ring.create(PARTITIONS, zones);
        final StaticMembership membership = new StaticMembership(ring, endpoints);
        final RepairSettings repair = RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            final NodeId id = new NodeId("f" + i);
            nodes[i] = new Node(new NodeContext(NodeConfig.builder(id, endpoints.get(id)).partitions(PARTITIONS).repair(repair)
                .store(store).build(), new MemoryStorageProvider().open(StorageConfig.builder().build()),
                i == 0 ? failing(world.transport()) : world.transport(), world, world, new SplittableRandom(i),
                i == 0 ? meters : new SimpleMeterRegistry(), membership, i == 0 ? recording() : null));
            nodes[i].start();
        }
    }

    /** Trusts every peer and records each time-out the node reports. */
    private FailureDetector recording() {
        return new FailureDetector() {
            @Override
            public boolean isAvailable(final NodeId node) {
                return true;
            }

            @Override
            public void heard(final NodeId node) {
            }

            @Override
            public void timedOut(final NodeId node) {
                timedOut.add(node);
            }
        };
    }

    private Transport failing(final Transport inner) {
        final Endpoint to1 = new Endpoint(one.value(), 1);
        return VirtualTimeNodeTest.intercepting(inner, (to, message) -> {
            if (refusal == null || !to.equals(to1)) {
                return null;
            }
            if (refusal == Refusal.TOO_LARGE) {
                throw new IllegalArgumentException("message of " + message.remaining() + " bytes exceeds the limit");
            }
            return SendStatus.BACK_PRESSURED;
        });
    }

    private <T> CompletableFuture<T> run(final CompletableFuture<T> f) {
        world.runUntil(f, world.nanoTime() + 10 * SECOND);
        assertTrue(f.isDone(), "the request ended by its deadline");
        return f;
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aReadWhoseRequestDidNotLeaveDoesNotSuspectThePeer() {
        for (final Refusal r : Refusal.values()) {
            timedOut.clear();
            refusal = null;
            if (nodes[0] == null) {
                start();
            }
            final byte[] key = bytes("read-" + r);
            run(nodes[0].client().put(key, bytes("v"), Context.empty(), Consistency.defaults().withW(3))).join();
            refusal = r;
            // R=3 cannot be met without node 1: the read runs to its deadline.
            final CompletableFuture<?> read = run(nodes[0].client().get(key, Consistency.defaults().withR(3)));
            assertTrue(read.isCompletedExceptionally(), "no third reply could come");
            assertFalse(timedOut.contains(one), r + ": node 1 never got the request, it did not time out: " + timedOut);
        }
    }

    @Test
    void aWriteWhoseCopyDidNotLeaveDoesNotSuspectThePeer() {
        for (final Refusal r : Refusal.values()) {
            timedOut.clear();
            refusal = null;
            if (nodes[0] == null) {
                start();
            }
            refusal = r;
            final byte[] key = bytes("write-" + r);
            run(nodes[0].client().put(key, bytes("v"), Context.empty(), Consistency.defaults().withW(2))).join();
            assertFalse(timedOut.contains(one), r + ": node 1 never got the copy, it did not time out: " + timedOut);
        }
    }

    @Test
    void aReroutedHintThatDidNotLeaveDoesNotSuspectTheReplica() {
        // N=2, W=2: node 0 holds a hint for a node that left; it goes to the key's replicas, nodes 1 and 2.
        start(io.armature.engine.config.StoreSettings.builder().n(2).r(1).w(2).build());
        byte[] key = null;
        for (int i = 0; key == null; i++) {
            final byte[] k = bytes("hinted-" + i);
            final List<NodeId> prefs = ring.preferenceList(ring.partitionForKey(k), 2);
            if (prefs.get(0).equals(one) && !prefs.contains(new NodeId("f0"))) {
                key = k;
            }
        }
        final int partition = ring.partitionForKey(key);
        final io.armature.engine.versioning.VersionSet set = io.armature.engine.versioning.VersionSet.empty().update(
            io.armature.engine.versioning.VersionVector.empty(), new io.armature.engine.versioning.Value(bytes("v"), false, 1),
            new io.armature.engine.versioning.ActorId("a", 7));
        nodes[0].replica().storeHint(new NodeId("gone"), partition, key, set);
        nodes[0].handoff().stored();
        refusal = Refusal.BACK_PRESSURE;
        // Hint rounds every second and ack time-outs well within this.
        world.runUntil(new CompletableFuture<Void>(), world.nanoTime() + 10 * SECOND);
        assertFalse(timedOut.contains(one), "node 1 never got the hint, it did not time out: " + timedOut);
        assertTrue(nodes[2].replica().read(partition, key) != null, "node 2 got it");
        assertEquals(1, nodes[0].replica().pendingHints(), "the hint stays for a later round");
    }

    @Test
    void anAntiEntropyPushThatDidNotLeaveIsNotCountedAsARepair() {
        start();
        final byte[] key = bytes("pushed");
        run(nodes[0].client().put(key, bytes("v"), Context.empty(), Consistency.defaults().withW(3))).join();
        final int partition = ring.partitionForKey(key);
        refusal = Refusal.BACK_PRESSURE;
        final byte[] body = new KeyRequest(TreeShape.of(nodes[0].antiEntropy().tree(partition)),
            new long[] {KeyHash.hash64(key)}).encode();
        nodes[0].antiEntropy().onKeysReply(new Frame(0, 0, one.value(), endpoints.get(one),
            new Message.Opaque(MessageType.ANTI_ENTROPY_KEYS_REPLY, body)));
        // Well within the push's in-flight window (the request timeout).
        world.runUntil(new CompletableFuture<Void>(), world.nanoTime() + 10_000_000L);
        assertEquals(0.0, meters.get(AntiEntropy.KEYS_REPAIRED).counter().count(), "a push that did not leave repaired nothing");
        assertFalse(nodes[0].antiEntropy().pushing(partition, StorageLayout.recordKey(key)), "nor is it in flight");
    }
}
