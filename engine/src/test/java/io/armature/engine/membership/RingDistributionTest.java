package io.armature.engine.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.testing.ManualClock;
import io.armature.engine.testing.NoTimers;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.transport.Endpoint;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.FrameMac;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.engine.wire.WireDecoder;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.transport.TransportConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RingDistributionTest {
    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");
    private static final NodeId C = new NodeId("c");
    private static final NodeId D = new NodeId("d");

    private final Set<NodeId> down = new HashSet<>();
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

    private static Ring ring(final NodeId... nodes) {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (final NodeId n : nodes) {
            zones.put(n, "");
        }
        return Ring.create(16, zones);
    }

    private static StaticMembership membership(final Ring ring) {
        final Map<NodeId, Endpoint> endpoints = new LinkedHashMap<>();
        for (final NodeId n : ring.members()) {
            endpoints.put(n, new Endpoint(n.value(), 1));
        }
        return new StaticMembership(ring, endpoints);
    }

    @Test
    void ringsInstallOnlyInEpochOrderAndSurviveARestart() {
        final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());
        final Ring first = ring(A, B, C);
        final RingDistribution rings = new RingDistribution(B, membership(first), new ReplicaStore(storage), detector, new ManualClock(), 1);
        final Ring second = first.join(D, "");
        final Ring third = second.leave(C);
        assertTrue(rings.offer(third), "a newer ring is installed, even one that skips an epoch");
        assertFalse(rings.offer(second), "an older ring never replaces a newer one");
        assertEquals(third, rings.ring());
        final RingDistribution restarted = new RingDistribution(B, membership(first), new ReplicaStore(storage), detector,
            new ManualClock(), 1);
        assertEquals(third, restarted.ring(), "the installed ring is persisted in META and wins over the configured one");
        assertEquals(third.epoch(), restarted.ringEpoch());
    }

    @Test
    void theClaimantIsTheSmallestAvailableMember() {
        final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());
        final RingDistribution rings = new RingDistribution(C, membership(ring(A, B, C)), new ReplicaStore(storage), detector,
            new ManualClock(), 1);
        assertEquals(A, rings.claimant());
        down.add(A);
        assertEquals(B, rings.claimant(), "a suspected member does not claim");
        down.add(B);
        assertEquals(C, rings.claimant(), "a node always considers itself available");
    }

    @Test
    void aJoinerWithoutARingGossipsEpochZeroAndTakesTheFirstRealRing() {
        final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());
        final RingDistribution rings = new RingDistribution(D, new RingDistribution.Joining(D, new Endpoint("d", 1), 16, ""),
            new ReplicaStore(storage), detector, new ManualClock(), 1);
        assertEquals(0, rings.ringEpoch());
        assertTrue(rings.joining());
        final Ring cluster = ring(A, B, C);
        assertTrue(rings.offer(cluster), "the cluster's first ring beats the provisional one, though both say epoch 1");
        assertTrue(rings.joining(), "still not a member");
        assertTrue(rings.offer(cluster.join(D, "")));
        assertFalse(rings.joining());
        assertFalse(rings.offer(ring(D)), "a solo ring at epoch 1 is older");
    }

    /** Timers that fire when the test says so. */
    private static final class StepTimers implements Scheduler {
        private List<Runnable> pending = new ArrayList<>();

        @Override
        public io.armature.spi.runtime.Cancellable schedule(final long delayNanos, final Runnable task) {
            final Runnable[] slot = {task};
            pending.add(() -> {
                if (slot[0] != null) {
                    slot[0].run();
                }
            });
            return () -> slot[0] = null;
        }

        @Override
        public io.armature.spi.runtime.Cancellable schedulePeriodic(final long initialDelayNanos, final long periodNanos,
                                                                     final Runnable task) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(final Runnable task) {
            task.run();
        }

        void fire() {
            final List<Runnable> due = pending;
            pending = new ArrayList<>();
            due.forEach(Runnable::run);
        }
    }

    /**
     * Two claimants that disagree on who is available can each add a joiner at the same epoch; the
     * ring a node installed first stays, so a joiner whose ring lost the tie is missing from the
     * others' ring, which no gossip reveals (same epoch). The 5-node chaos run never formed that
     * way: every node held an epoch-4 ring of 4 members. The joiner must ask every seed once more
     * after its ring names it: a seed whose ring lacks it has the claimant add it at a newer epoch.
     */
    @Test
    void aJoinerAsksEverySeedOnceMoreAfterItsRingNamesIt() {
        final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());
        final RingDistribution rings = new RingDistribution(D, new RingDistribution.Joining(D, new Endpoint("d", 1), 16, ""),
            new ReplicaStore(storage), detector, new ManualClock(), 1);
        final StepTimers timers = new StepTimers();
        final List<Endpoint> joins = new ArrayList<>();
        rings.start(new Endpoint("d", 1), "", List.of(new Endpoint("a", 1), new Endpoint("b", 1), new Endpoint("c", 1)),
            MembershipView::empty, (to, m) -> {
                if (m instanceof Message.Opaque o && o.type() == MessageType.JOIN) {
                    joins.add(to);
                }
                return true;
            }, timers, (before, after) -> { });
        assertEquals(List.of(new Endpoint("a", 1)), joins);
        assertTrue(rings.offer(ring(A, B, C).join(D, "")));
        joins.clear();
        for (int i = 0; i < 6; i++) {
            timers.fire();
        }
        assertEquals(Set.of(new Endpoint("a", 1), new Endpoint("b", 1), new Endpoint("c", 1)), new HashSet<>(joins),
            "one more JOIN to every seed after the ring named it");
        assertEquals(3, joins.size(), "and then it stops asking");
    }

    /** The confirming round never asks for a node that a newer ring no longer names (it left): that would undo the leave. */
    @Test
    void aJoinerThatLeftDuringItsConfirmingRoundAsksNoMore() {
        final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());
        final RingDistribution rings = new RingDistribution(D, new RingDistribution.Joining(D, new Endpoint("d", 1), 16, ""),
            new ReplicaStore(storage), detector, new ManualClock(), 1);
        final StepTimers timers = new StepTimers();
        final List<Endpoint> joins = new ArrayList<>();
        rings.start(new Endpoint("d", 1), "", List.of(new Endpoint("a", 1), new Endpoint("b", 1), new Endpoint("c", 1)),
            MembershipView::empty, (to, m) -> {
                if (m instanceof Message.Opaque o && o.type() == MessageType.JOIN) {
                    joins.add(to);
                }
                return true;
            }, timers, (before, after) -> { });
        final Ring named = ring(A, B, C).join(D, "");
        assertTrue(rings.offer(named));
        timers.fire();
        assertTrue(rings.offer(named.leave(D)));
        joins.clear();
        for (int i = 0; i < 6; i++) {
            timers.fire();
        }
        assertEquals(List.of(), joins, "no JOIN after a ring without it");
    }

    /** Timers never fire in these tests. */
    private static final Scheduler NO_TIMERS = NoTimers.INSTANCE;

    @Test
    void theLargestRingReachesANodeThroughTheSmallestTransportInChunksThatEachFitOneFrame() {
        final int maxMessage = 4096;
        assertEquals(maxMessage, TransportConfig.builder().maxMessageSize(maxMessage).build().maxMessageSize(),
            "the smallest max-message-size a transport may have");
        final Map<NodeId, String> nodes = new LinkedHashMap<>();
        for (int i = 0; i < 1023; i++) {
            nodes.put(new NodeId(String.format("node-%04d.rack-%02d", i, i % 40)), "zone-" + (char) ('a' + i % 3));
        }
        final Ring before = Ring.create(Ring.MAX_PARTITIONS, nodes);
        final NodeId newcomer = new NodeId("node-1023.rack-23");
        final Ring after = before.join(newcomer, "zone-a");
        final NodeId senderId = after.members().iterator().next();
        final NodeId receiverId = new ArrayList<>(before.members()).get(500);
        final Endpoint receiverAt = new Endpoint(receiverId.value(), 7001);
        // Longest sender and reply endpoint the frame allows, and the HMAC trailer: the worst frame overhead.
        final byte[] secret = "a cluster secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final WireEncoder encoder = new WireEncoder(senderId.value(), new Endpoint("h".repeat(249), 65535), FrameMac.of(secret));
        final WireDecoder decoder = new WireDecoder(maxMessage, FrameMac.of(secret));

        final RingDistribution receiver = new RingDistribution(receiverId, membership(before),
            new ReplicaStore(new MemoryStorageProvider().open(StorageConfig.builder().build())), detector, new ManualClock(), 1,
            maxMessage);
        final List<Integer> frameSizes = new ArrayList<>();
        final Set<Integer> lose = new HashSet<>(Set.of(5));
        final RingDistribution sender = new RingDistribution(senderId, membership(after),
            new ReplicaStore(new MemoryStorageProvider().open(StorageConfig.builder().build())), detector, new ManualClock(), 1,
            maxMessage);
        sender.start(new Endpoint(senderId.value(), 7000), "", List.of(), MembershipView::empty, (to, m) -> {
            final ByteBuffer frame = encoder.encode(0, m);
            frameSizes.add(frame.remaining());
            assertTrue(frame.remaining() <= maxMessage, "a frame of " + frame.remaining() + " bytes");
            final byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            if (lose.remove(frameSizes.size())) {
                return true;
            }
            final WireDecoder.Decoded d = decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length);
            assertTrue(d.ok(), String.valueOf(d.reason()));
            receiver.onRing(d.frame());
            return true;
        }, NO_TIMERS, (b, a) -> { });

        final Frame request = new Frame(0, 0, receiverId.value(), receiverAt,
            new Message.Opaque(MessageType.RING_REQUEST, new byte[] {1}));
        sender.onRequest(request);
        final int chunks = frameSizes.size();
        assertTrue(chunks > 20, "the ring of " + after.encode().length + " bytes took " + chunks + " messages");
        assertEquals(before, receiver.ring(), "a lost chunk: nothing is installed");
        sender.onRequest(request);
        assertEquals(2 * chunks, frameSizes.size());
        assertEquals(after, receiver.ring(), "the next answer completes it: Q=65536 and 1,024 members through 4 KiB messages");
        assertEquals(maxMessage - (io.armature.engine.wire.Wire.MAX_SENDER_LENGTH - senderId.value().length()),
            frameSizes.stream().mapToInt(Integer::intValue).max().orElseThrow(),
            "a full chunk fills the frame but for the sender id's shortfall from the longest");
    }

    @Test
    void aJoinerStaysProvisionalUntilItHoldsARingWithItselfAndEveryMembersEndpoint() {
        final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());
        final RingDistribution rings = new RingDistribution(D, new RingDistribution.Joining(D, new Endpoint("d", 1), 16, ""),
            new ReplicaStore(storage), detector, new ManualClock(), 1);
        final MembershipView[] view = {MembershipView.empty()};
        rings.start(new Endpoint("d", 1), "", java.util.List.of(), () -> view[0], (to, m) -> true, null, (before, after) -> { });
        assertTrue(rings.provisional(), "its ring of itself alone is provisional");
        final Ring withD = ring(A, B, C).join(D, "");
        assertTrue(rings.offer(withD));
        assertTrue(rings.provisional(), "a ring whose members' endpoints it does not know yet cannot be routed by");
        for (final NodeId n : java.util.List.of(A, B)) {
            view[0] = view[0].with(new MemberState(n, new Endpoint(n.value(), 1), MemberState.Status.UP, 1, 1, withD.epoch()));
        }
        assertTrue(rings.provisional(), "C's endpoint is still unknown");
        view[0] = view[0].with(new MemberState(C, new Endpoint("c", 1), MemberState.Status.UP, 1, 1, withD.epoch()));
        assertFalse(rings.provisional(), "every member resolves: it coordinates");
        view[0] = MembershipView.empty();
        assertFalse(rings.provisional(), "once routable, it stays so (a member missing from gossip is a down node, not a reason to proxy)");
        final RingDistribution member = new RingDistribution(B, membership(ring(A, B, C)), new ReplicaStore(
            new MemoryStorageProvider().open(StorageConfig.builder().build())), detector, new ManualClock(), 1);
        assertFalse(member.provisional(), "a node started with the cluster's ring is never provisional");
    }

    @Test
    void aJoinerPlansItsTransfersFromTheRingTheJoinWasMadeFrom() {
        final RingDistribution rings = new RingDistribution(D, new RingDistribution.Joining(D, new Endpoint("d", 1), 16, ""),
            new ReplicaStore(new MemoryStorageProvider().open(StorageConfig.builder().build())), detector, new ManualClock(), 1);
        final java.util.List<Ring[]> changes = new java.util.ArrayList<>();
        rings.start(new Endpoint("d", 1), "", java.util.List.of(), MembershipView::empty, (to, m) -> true, null,
            (before, after) -> changes.add(new Ring[] {before, after}));
        final Ring cluster = ring(A, B, C).leave(C).join(C, "").join(new NodeId("e"), "").leave(new NodeId("e"));
        final Ring withD = cluster.join(D, "");
        assertTrue(rings.offer(cluster));
        assertEquals(0, changes.size(), "a ring without the joiner moves nothing to or from it");
        assertTrue(rings.offer(withD));
        assertEquals(1, changes.size());
        assertEquals(cluster, changes.get(0)[0], "planned from the ring the claimant joined it to, not a guess");
        assertEquals(withD, changes.get(0)[1]);
    }
}
