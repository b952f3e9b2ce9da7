package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.node.Node;
import io.armature.engine.replica.StorageLayout;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A node restarted while partitions move resumes the moves from META (docs/repair.md, "Join and
 * leave"): a gainer goes on pulling and announcing, a loser goes on waiting for the notices.
 */
class PendingRestartTest {
    /** Anti-entropy off: only streaming moves data, so the copies show what the moves did. */
    private static final RepairSettings FAST = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(50))
        .withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(64 << 20, 4 << 20).withGossipPeriod(Duration.ofMillis(100));

    @Test
    void aGainerRestartedMidMoveResumesAndTheLosersDropAfterItsNotice() throws Exception {
        final ExecutorService operator = Executors.newSingleThreadExecutor();
        try (EmbeddedCluster c = cluster(5).partitions(64).repair(FAST).start()) {
            final List<byte[]> keys = write(c, "gainer-", 300);
            final Ring before = c.ring();
            final int leaving = 4;
            final Ring after = before.leave(c.nodeId(leaving));
            // A gainer of some partition the leaving node holds records of.
            int gainer = -1;
            final List<Integer> gained = new ArrayList<>();
            for (int p = 0; p < after.partitionCount() && gainer < 0; p++) {
                final Set<NodeId> news = new HashSet<>(after.preferenceList(p, 3));
                news.removeAll(before.preferenceList(p, 3));
                if (!news.isEmpty() && ClusterTesting.records(c, leaving, p) > 0) {
                    gainer = ClusterTesting.index(c, news.iterator().next());
                }
            }
            assertTrue(gainer >= 0, "the leave moves a partition with data to some node");
            final NodeId g = c.nodeId(gainer);
            for (int p = 0; p < after.partitionCount(); p++) {
                if (!before.preferenceList(p, 3).contains(g) && after.preferenceList(p, 3).contains(g)) {
                    gained.add(p);
                }
            }
            final List<Integer> lost = PendingPartitionTest.lostPartitions(before, after, c.nodeId(leaving));
            // Only what g gains: the other gainers may finish, and the leaver drop theirs, meanwhile.
            final List<Integer> lostToG = lost.stream().filter(gained::contains).toList();
            final int held = lostToG.stream().mapToInt(p -> ClusterTesting.records(c, leaving, p)).sum();
            assertTrue(held > 0, "the leaving node holds records of what " + g + " gains");
            // Nothing the gainer sends gets through: it can neither pull nor announce.
            final Endpoint muted = c.endpoint(gainer);
            c.network().dropWhen((from, to) -> muted.equals(from));
            final Future<?> decommission = operator.submit(() -> c.decommission(leaving));
            ClusterTesting.await("every node holds the ring without " + c.nodeId(leaving), () -> {
                for (int i = 0; i < 5; i++) {
                    if (c.node(i).membership().ring().epoch() != after.epoch()) {
                        return false;
                    }
                }
                return true;
            });
            final int gi = gainer;
            assertEquals(gained, onLoop(c, gi, n -> n.streaming().pendingPartitions().awaitedBy(g)),
                g + " planned its gains and holds none yet");

            c.restart(gainer);
            assertEquals(gained, onLoop(c, gi, n -> n.streaming().pendingPartitions().awaitedBy(g)),
                "restarted, " + g + " still knows every partition it has to pull");
            assertEquals(gained.size(), (int) onLoop(c, gi, n -> n.streaming().pending()));
            assertEquals(held, lostToG.stream().mapToInt(p -> ClusterTesting.records(c, leaving, p)).sum(),
                "the leaving node keeps every record while " + g + " has not told it anything");
            assertFalse(decommission.isDone(), "the partitions are still moving: the leaving node waits");

            c.network().heal();
            decommission.get(30, TimeUnit.SECONDS);
            assertFalse(c.isRunning(leaving));
            assertEquals(0, lost.stream().mapToInt(p -> ClusterTesting.records(c, leaving, p)).sum(),
                "the leaving node dropped what it lost once the gainers' notices arrived");
            for (final byte[] key : keys) {
                if (gained.contains(after.partitionForKey(key))) {
                    assertNotNull(stored(c, gainer, key), g + " pulled " + ClusterTesting.text(key) + " after its restart");
                }
            }
            readBack(c, keys);
        } finally {
            operator.shutdownNow();
        }
    }

    @Test
    void aLoserRestartedMidMoveStillDropsOnlyAfterTheNotice() throws Exception {
        try (EmbeddedCluster c = cluster(5).partitions(64).repair(FAST).start()) {
            final List<byte[]> keys = write(c, "loser-", 300);
            final Ring before = c.ring();
            final NodeId newcomer = new NodeId("node-5");
            final Ring expected = before.join(newcomer, "");
            int deaf = -1;
            final List<Integer> lost = new ArrayList<>();
            for (int i = 0; i < 5 && deaf < 0; i++) {
                final int node = i;
                final List<Integer> l = PendingPartitionTest.lostPartitions(before, expected, c.nodeId(i));
                if (l.stream().anyMatch(p -> ClusterTesting.records(c, node, p) > 0)) {
                    deaf = i;
                    lost.addAll(l);
                }
            }
            assertTrue(deaf >= 0, "the join takes partitions (with data) from some node");
            final int d = deaf;
            final NodeId deafId = c.nodeId(d);
            final int held = lost.stream().mapToInt(p -> ClusterTesting.records(c, d, p)).sum();
            // Nothing the newcomer sends reaches the deaf loser: not its pulls, not its HANDOFF.
            final Endpoint newcomerEndpoint = new Endpoint(newcomer.value(), 1);
            final Endpoint deafEndpoint = c.endpoint(d);
            c.network().dropWhen((from, to) -> newcomerEndpoint.equals(from) && deafEndpoint.equals(to));
            final int joined = c.join();
            assertEquals(newcomer, c.nodeId(joined));
            ClusterTesting.await("every other loser drops what it lost",
                () -> ClusterTesting.recordsOutsideTheRing(c).keySet().equals(Set.of(deafId)));
            assertEquals(lost, onLoop(c, d, n -> n.streaming().pendingPartitions().lostBy(deafId)));

            c.restart(d);
            assertEquals(lost, onLoop(c, d, n -> n.streaming().pendingPartitions().lostBy(deafId)),
                "restarted, " + deafId + " still knows what it is losing and waits for the newcomer");
            assertEquals(lost.size(), (int) onLoop(c, d, n -> n.streaming().releasing()));
            ClusterTesting.await("the newcomer keeps telling " + deafId, () -> onLoop(c, joined,
                n -> n.streaming().unacknowledged()) > 0 && onLoop(c, d, n -> n.gossip().view().get(newcomer)) != null);
            assertEquals(held, lost.stream().mapToInt(p -> ClusterTesting.records(c, d, p)).sum(),
                deafId + " has not heard that the newcomer holds its partitions: it keeps every record");
            assertEquals(Map.of(deafId, held), ClusterTesting.recordsOutsideTheRing(c));

            c.network().heal();
            ClusterTesting.await(deafId + " drops its copies once the newcomer's notice gets through",
                () -> ClusterTesting.recordsOutsideTheRing(c).isEmpty());
            assertEquals(0, (int) onLoop(c, d, n -> n.streaming().releasing()));
            readBack(c, keys);
        }
    }

    @Test
    void aGainerRestartedAfterItsCopyBeforeItsNoticeGotThroughStillTellsTheLoser() throws Exception {
        final ExecutorService operator = Executors.newSingleThreadExecutor();
        try (EmbeddedCluster c = cluster(5).partitions(64).repair(FAST).start()) {
            final List<byte[]> keys = write(c, "notice-", 300);
            final Ring before = c.ring();
            final int leaving = 4;
            final Ring after = before.leave(c.nodeId(leaving));
            final List<Integer> lost = PendingPartitionTest.lostPartitions(before, after, c.nodeId(leaving));
            final int held = lost.stream().mapToInt(p -> ClusterTesting.records(c, leaving, p)).sum();
            assertTrue(held > 0, "the leaving node holds records");
            // Every gainer can pull from the other old replicas, but no notice reaches the leaving node.
            final Endpoint loser = c.endpoint(leaving);
            c.network().dropWhen((from, to) -> loser.equals(to) && !loser.equals(from));
            final Future<?> decommission = operator.submit(() -> c.decommission(leaving));
            final List<Integer> gainers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                final NodeId id = c.nodeId(i);
                if (lost.stream().anyMatch(p -> after.preferenceList(p, 3).contains(id) && !before.preferenceList(p, 3).contains(id))) {
                    gainers.add(i);
                }
            }
            final int gainer = gainers.get(0);
            final NodeId g = c.nodeId(gainer);
            // The notices to the leaving node (an old replica of each of these) can never be acknowledged.
            final long toLoser = java.util.stream.IntStream.range(0, after.partitionCount())
                .filter(p -> after.preferenceList(p, 3).contains(g) && !before.preferenceList(p, 3).contains(g)
                    && before.preferenceList(p, 3).contains(c.nodeId(leaving)))
                .count();
            ClusterTesting.await(g + " pulled its gains and only the leaving node has not acknowledged them", () ->
                c.node(gainer).membership().ring().epoch() == after.epoch()
                    && onLoop(c, gainer, n -> n.streaming().pending()) == 0
                    && onLoop(c, gainer, n -> n.streaming().unacknowledged()) == toLoser);

            c.restart(gainer);
            assertEquals(toLoser, (long) onLoop(c, gainer, n -> n.streaming().unacknowledged()),
                "restarted, the gainer still has to tell the leaving node");
            assertEquals(0, (int) onLoop(c, gainer, n -> n.streaming().pending()), "and does not pull again");
            assertEquals(held, lost.stream().mapToInt(p -> ClusterTesting.records(c, leaving, p)).sum(),
                "the leaving node keeps every record until it hears");
            assertFalse(decommission.isDone());

            c.network().heal();
            decommission.get(30, TimeUnit.SECONDS);
            assertEquals(0, lost.stream().mapToInt(p -> ClusterTesting.records(c, leaving, p)).sum(),
                "the leaving node dropped what it lost once the notices arrived");
            readBack(c, keys);
        } finally {
            operator.shutdownNow();
        }
    }

    @Test
    void aCorruptRecordIsLoggedAndTheNodeStartsWithTheRingAlone() {
        try (EmbeddedCluster c = cluster(3).partitions(16).repair(FAST).start()) {
            final List<byte[]> keys = write(c, "corrupt-", 50);
            c.stop(1);
            c.node(1).storage().put(Keyspace.meta(), StorageLayout.PENDING_KEY, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, -1, -1});
            c.restart(1);
            assertTrue(c.isRunning(1), "an unreadable record does not stop the node");
            assertTrue((boolean) onLoop(c, 1, n -> n.streaming().pendingPartitions().isEmpty()), "nothing is pending by the ring alone");
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(List.of("v" + i), c.client(1).blocking().get(keys.get(i), Consistency.defaults().withR(3)).values()
                    .stream().map(ClusterTesting::text).toList(), "the restarted node coordinates reads");
            }
        }
    }

    private static List<byte[]> write(final EmbeddedCluster c, final String prefix, final int count) {
        final List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(bytes(prefix + i));
            c.client().blocking().put(keys.get(i), bytes("v" + i), Context.empty(), Consistency.defaults().withW(3));
        }
        return keys;
    }

    private static void readBack(final EmbeddedCluster c, final List<byte[]> keys) {
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(List.of("v" + i), c.client().blocking().get(keys.get(i), Consistency.defaults().withR(3)).values()
                .stream().map(ClusterTesting::text).toList(), "acknowledged write " + i + " reads back at R=N");
        }
    }

    /** Asks a node on its own event loop (its streaming state is event-loop only). */
    private static <T> T onLoop(final EmbeddedCluster c, final int i, final Function<Node, T> what) {
        final Node node = c.node(i);
        final CompletableFuture<T> answer = new CompletableFuture<>();
        node.context().scheduler().execute(() -> {
            try {
                answer.complete(what.apply(node));
            } catch (final RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new AssertionError("node " + i + " did not answer on its loop", e);
        }
    }
}
