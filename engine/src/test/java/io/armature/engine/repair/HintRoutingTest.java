package io.armature.engine.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.config.RepairSettings;
import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.KeyHash;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.testing.ManualClock;
import io.armature.engine.testing.NoTimers;
import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One stand-in's handoff driven by hand: which hints go to their owner, which to the key's current
 * replicas, and when a re-routed hint may be deleted.
 */
class HintRoutingTest {
    private static final int Q = 16;
    private static final int N = 3;
    private static final int W = 2;
    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");
    private static final NodeId C = new NodeId("c");
    private static final NodeId D = new NodeId("d");
    /** An owner that left the ring. */
    private static final NodeId GONE = new NodeId("gone");

    private record Sent(Endpoint to, byte[] body) {
    }

    private final ManualClock clock = new ManualClock();
    private final Set<NodeId> down = new HashSet<>();
    private final List<Sent> sent = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Ring ring = ring(A, B, C, D);
    private final ReplicaStore store = new ReplicaStore(new MemoryStorageProvider().open(StorageConfig.builder().build()));

    private final FailureDetector detector = new FailureDetector() {
        @Override
        public boolean isAvailable(final NodeId node) {
            return !down.contains(node);
        }

        @Override
        public void heard(final NodeId node) {
        }

        @Override
        public void timedOut(final NodeId node) {
        }
    };

    /** Timers never fire: each test runs {@link HintedHandoff#round()} itself. */
    private static final Scheduler MANUAL = NoTimers.INSTANCE;

    private static Ring ring(final NodeId... nodes) {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (final NodeId n : nodes) {
            zones.put(n, "");
        }
        return Ring.create(Q, zones);
    }

    private static Endpoint endpoint(final NodeId node) {
        return new Endpoint(node.value(), 1);
    }

    private HintedHandoff handoff(final NodeId self, final RepairSettings settings) {
        final Map<NodeId, Endpoint> endpoints = new LinkedHashMap<>();
        for (final NodeId n : ring.members()) {
            endpoints.put(n, endpoint(n));
        }
        final HintedHandoff h = new HintedHandoff(self, store, new StaticMembership(ring, endpoints), detector, (to, m) -> {
            sent.add(new Sent(to, ((Message.Opaque) m).body()));
            return true;
        }, MANUAL, clock, settings, Duration.ofSeconds(1).toNanos(), N, W, meters);
        h.start();
        return h;
    }

    private static VersionSet set(final String value) {
        return VersionSet.empty().update(VersionVector.empty(), new Value(value.getBytes(StandardCharsets.UTF_8), false, 1),
            new ActorId("a", 7));
    }

    /** @return a key of partition p */
    private byte[] keyIn(final int p, final String tag) {
        for (int i = 0; ; i++) {
            final byte[] key = (tag + "-" + i).getBytes(StandardCharsets.UTF_8);
            if (ring.partitionForKey(key) == p) {
                return key;
            }
        }
    }

    /** @return a partition whose preference list has (or lacks) self */
    private int partition(final NodeId node, final boolean replicated) {
        for (int p = 0; p < Q; p++) {
            if (ring.preferenceList(p, N).contains(node) == replicated) {
                return p;
            }
        }
        throw new AssertionError("no such partition");
    }

    private static Frame ackFrom(final NodeId replica, final Sent delivery) {
        final ByteBuffer b = ByteBuffer.wrap(delivery.body());
        b.get();
        final byte[] hk = new byte[b.getInt()];
        b.get(hk);
        final byte[] set = new byte[b.remaining()];
        b.get(set);
        final ByteBuffer ack = ByteBuffer.allocate(1 + 4 + hk.length + 8).put((byte) 1).putInt(hk.length).put(hk)
            .putLong(Digests.ofVersionSet(set));
        return new Frame(0, 0, replica.value(), endpoint(replica), new Message.Opaque(MessageType.HINT_ACK, ack.array()));
    }

    private Sent sentTo(final NodeId node) {
        return sent.stream().filter(s -> s.to().equals(endpoint(node))).findFirst().orElseThrow();
    }

    private double delivered(final NodeId self) {
        return meters.get(HintedHandoff.DELIVERED).tag("node", self.value()).counter().count();
    }

    @Test
    void aHintForANodeThatLeftGoesToTheKeysReplicasAndIsDeletedOnlyAfterWOfThemAcked() {
        final NodeId self = D;
        final int p = partition(self, false);
        final byte[] key = keyIn(p, "left");
        store.storeHint(GONE, p, key, set("v"));
        final HintedHandoff h = handoff(self, RepairSettings.defaults());
        assertEquals(1, h.pending());

        h.round();
        final List<NodeId> replicas = ring.preferenceList(p, N);
        assertEquals(N, sent.size(), "one delivery per current replica");
        for (final NodeId r : replicas) {
            assertNotNull(sentTo(r), "a delivery to " + r);
        }
        h.onAck(ackFrom(replicas.get(0), sentTo(replicas.get(0))));
        h.onAck(ackFrom(replicas.get(0), sentTo(replicas.get(0))));
        assertNotNull(store.readHint(GONE, p, key), "one replica, however often it acks, is not W");
        assertEquals(1, h.pending());
        h.onAck(ackFrom(D, sentTo(replicas.get(1))));
        assertNotNull(store.readHint(GONE, p, key), "an ack from a node outside the preference list does not count");

        h.onAck(ackFrom(replicas.get(1), sentTo(replicas.get(1))));
        assertNull(store.readHint(GONE, p, key), "W current replicas hold it: the hint goes");
        assertEquals(0, h.pending());
        assertEquals(1, delivered(self));
    }

    @Test
    void aStandInOnTheKeysPreferenceListStoresTheHintItselfAsOneOfTheWCopies() {
        final NodeId self = D;
        final int p = partition(self, true);
        final byte[] key = keyIn(p, "local");
        store.storeHint(GONE, p, key, set("v"));
        final HintedHandoff h = handoff(self, RepairSettings.defaults());

        h.round();
        assertEquals(set("v"), store.read(p, key), "merged into this node's own data");
        assertEquals(N - 1, sent.size(), "sent to the other replicas only");
        final NodeId other = ring.preferenceList(p, N).stream().filter(r -> !r.equals(self)).findFirst().orElseThrow();
        h.onAck(ackFrom(other, sentTo(other)));
        assertNull(store.readHint(GONE, p, key), "this node and one other make W = 2");
        assertEquals(0, h.pending());
    }

    @Test
    void aSuspectedOwnerKeepsTheHintsOfKeysItStillReplicatesWhileTheOthersAreReRouted() {
        final NodeId self = D;
        final NodeId owner = A;
        down.add(owner);
        final List<Integer> kept = new ArrayList<>();
        final List<Integer> moved = new ArrayList<>();
        for (int p = 0; p < Q; p++) {
            store.storeHint(owner, p, keyIn(p, "mixed"), set("v" + p));
            (ring.preferenceList(p, N).contains(owner) ? kept : moved).add(p);
        }
        assertFalse(kept.isEmpty());
        assertFalse(moved.isEmpty());
        final HintedHandoff h = handoff(self, RepairSettings.defaults());

        h.round();
        final long probes = sent.stream().filter(s -> s.to().equals(endpoint(owner))).count();
        assertEquals(1, probes, "a suspected owner gets one probe");
        for (final int p : moved) {
            for (final NodeId r : ring.preferenceList(p, N)) {
                if (!r.equals(self)) {
                    final byte[] hk = new HintKey(owner, p, KeyHash.hash64(keyIn(p, "mixed")),
                        keyIn(p, "mixed")).encode();
                    final Sent delivery = sent.stream().filter(s -> s.to().equals(endpoint(r)) && startsWithKey(s, hk))
                        .findFirst().orElseThrow(() -> new AssertionError("partition " + p + " not sent to " + r));
                    h.onAck(ackFrom(r, delivery));
                }
            }
        }
        for (final int p : moved) {
            assertNull(store.readHint(owner, p, keyIn(p, "mixed")), "partition " + p + " moved away from the owner");
        }
        for (final int p : kept) {
            assertNotNull(store.readHint(owner, p, keyIn(p, "mixed")), "partition " + p + " waits for its owner");
        }
        assertEquals(kept.size(), h.pending());
    }

    @Test
    void reRoutedDeliveriesTakeTheirBytesFromTheHintRateForEveryReplica() {
        final NodeId self = D;
        final int p = partition(self, false);
        for (int i = 0; i < 10; i++) {
            store.storeHint(GONE, p, keyIn(p, "rate" + i), set("value-" + i));
        }
        final int body = 1 + 4 + new HintKey(GONE, p, 0, keyIn(p, "rate0")).encode().length + set("value-0").encode().length;
        // Room for about two hints sent to three replicas each; no time passes, so no refill.
        final HintedHandoff h = handoff(self, RepairSettings.defaults().withHintRate(1, 7L * body));
        h.round();
        assertEquals(2 * N, sent.size(), "two hints, three copies each, then the bucket is empty");
        assertEquals(10, h.pending());
    }

    @Test
    void aNodeThatIsNeitherTheOwnerNorAReplicaRefusesADelivery() {
        final int p = partition(B, false);
        final byte[] key = keyIn(p, "refuse");
        final byte[] hk = new HintKey(GONE, p, KeyHash.hash64(key), key).encode();
        final byte[] setBytes = set("v").encode();
        final byte[] body = ByteBuffer.allocate(1 + 4 + hk.length + setBytes.length).put((byte) 1).putInt(hk.length).put(hk)
            .put(setBytes).array();
        final HintedHandoff h = handoff(B, RepairSettings.defaults());
        final Frame delivery = new Frame(0, 0, "d", endpoint(D), new Message.Opaque(MessageType.HINT_DELIVERY, body));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.onDelivery(delivery, store::merge));
        assertTrue(e.getMessage().contains("neither is its owner nor replicates partition " + p), e.getMessage());
        assertNull(store.read(p, key), "nothing stored");
        assertTrue(sent.isEmpty(), "no ack");
    }

    private static boolean startsWithKey(final Sent s, final byte[] hk) {
        final ByteBuffer b = ByteBuffer.wrap(s.body());
        b.get();
        final int n = b.getInt();
        if (n != hk.length) {
            return false;
        }
        final byte[] k = new byte[n];
        b.get(k);
        return java.util.Arrays.equals(k, hk);
    }
}
