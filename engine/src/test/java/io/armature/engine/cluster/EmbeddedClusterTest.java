package io.armature.engine.cluster;

import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static io.armature.engine.cluster.ClusterTesting.preference;
import static io.armature.engine.cluster.ClusterTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.BlockingKvClient;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.engine.versioning.VersionSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EmbeddedClusterTest {

    @Test
    void readYourWritesWithN3R2W2() {
        try (EmbeddedCluster c = cluster(3).start()) {
            for (int i = 0; i < 20; i++) {
                final byte[] key = bytes("ryw-" + i);
                c.client(i % 3).blocking().put(key, bytes("v" + i), Context.empty());
                final ReadResult<byte[]> read = c.client((i + 1) % 3).blocking().get(key);
                assertEquals(1, read.values().size());
                assertEquals("v" + i, text(read.values().get(0)));
            }
        }
    }

    @Test
    void concurrentBlindWritesBecomeSiblingsAndAResolvedWriteCollapsesThem() {
        try (EmbeddedCluster c = cluster(3).start()) {
            final byte[] key = bytes("cart");
            final BlockingKvClient alice = c.client(0).blocking();
            final BlockingKvClient bob = c.client(1).blocking();
            alice.put(key, bytes("apple"), Context.empty());
            bob.put(key, bytes("pear"), Context.empty());
            final ReadResult<byte[]> read = alice.get(key);
            assertEquals(Set.of("apple", "pear"), values(read));
            final String merged = read.resolve(siblings -> bytes(siblings.stream().map(ClusterTesting::text).sorted()
                .collect(Collectors.joining("+")))).map(ClusterTesting::text).orElseThrow();
            bob.put(key, bytes(merged), read.context());
            final ReadResult<byte[]> after = c.client(2).blocking().get(key);
            assertEquals(List.of("apple+pear"), after.values().stream().map(ClusterTesting::text).toList());
        }
    }

    @Test
    void putSucceedsWithOneOfThreeReplicasStoppedAndItsCopyGoesToAHintedStandIn() {
        try (EmbeddedCluster c = cluster(4).start()) {
            final byte[] key = bytes("hinted");
            final int[] prefs = preference(c, key);
            final int standIn = 6 - prefs[0] - prefs[1] - prefs[2];
            c.stop(prefs[2]);
            final ReadResult<byte[]> written = c.client(prefs[0]).blocking().put(key, bytes("v"), Context.empty(),
                Consistency.defaults().withW(2));
            assertEquals(List.of("v"), written.values().stream().map(ClusterTesting::text).toList());
            final int partition = c.ring().partitionForKey(key);
            await("the stand-in to hold a hint for " + c.nodeId(prefs[2]),
                () -> c.node(standIn).replica().readHint(c.nodeId(prefs[2]), partition, key) != null);
            final VersionSet hint = c.node(standIn).replica().readHint(c.nodeId(prefs[2]), partition, key);
            assertEquals("v", text(hint.liveValues().get(0).data()));
            assertNull(c.node(standIn).replica().read(partition, key), "a stand-in keeps hints apart from its own data");
        }
    }

    @Test
    void aReplicaSilentPastTheReplicaTimeoutHasItsCopySentToAStandIn() {
        try (EmbeddedCluster c = cluster(4).start()) {
            final byte[] key = bytes("silent");
            final int[] prefs = preference(c, key);
            final int standIn = 6 - prefs[0] - prefs[1] - prefs[2];
            // prefs[2] receives the write but its acknowledgement is lost: an undetected failure.
            final var silent = c.endpoint(prefs[2]);
            c.network().dropWhen((from, to) -> silent.equals(from));
            c.client(prefs[0]).blocking().put(key, bytes("v"), Context.empty(), Consistency.defaults().withW(3));
            final int partition = c.ring().partitionForKey(key);
            assertNotNull(c.node(standIn).replica().readHint(c.nodeId(prefs[2]), partition, key));
        }
    }

    @Test
    void getWithR2SucceedsWithOneNodeDown() {
        try (EmbeddedCluster c = cluster(3).start()) {
            final byte[] key = bytes("r2");
            final int[] prefs = preference(c, key);
            c.client(prefs[0]).blocking().put(key, bytes("kept"), Context.empty());
            c.stop(prefs[1]);
            final ReadResult<byte[]> read = c.client(prefs[2]).blocking().get(key, Consistency.defaults().withR(2));
            assertEquals(List.of("kept"), read.values().stream().map(ClusterTesting::text).toList());
        }
    }

    @Test
    void requestWithTooFewLiveNodesFailsWithQuorumNotReached() {
        try (EmbeddedCluster c = cluster(3).start()) {
            final byte[] key = bytes("lonely");
            c.stop(1);
            c.stop(2);
            final QuorumNotReachedException put = assertThrows(QuorumNotReachedException.class,
                () -> c.client(0).blocking().put(key, bytes("v"), Context.empty()));
            assertEquals(2, put.required());
            assertEquals(1, put.achieved());
            final QuorumNotReachedException get = assertThrows(QuorumNotReachedException.class,
                () -> c.client(0).blocking().get(key));
            assertEquals(2, get.required());
            assertEquals(1, get.achieved());
            assertTrue(c.meters().get("armature.quorum.failures").tag("node", "node-0").tag("op", "put").counter().count() >= 1);
        }
    }

    @Test
    void readRepairBringsAStaleReplicaUpToDate() {
        try (EmbeddedCluster c = cluster(3).start()) {
            final byte[] key = bytes("repair-me");
            final int[] prefs = preference(c, key);
            final int stale = prefs[2];
            final int partition = c.ring().partitionForKey(key);
            c.stop(stale);
            c.client(prefs[0]).blocking().put(key, bytes("fresh"), Context.empty());
            c.restart(stale);
            assertNull(c.node(stale).replica().read(partition, key), "the restarted replica missed the write");
            final ReadResult<byte[]> read = c.client(prefs[0]).blocking().get(key, Consistency.defaults().withR(2));
            assertEquals(List.of("fresh"), read.values().stream().map(ClusterTesting::text).toList());
            await("read repair of the stale replica", () -> c.node(stale).replica().read(partition, key) != null);
            final VersionSet repaired = c.node(stale).replica().read(partition, key);
            assertEquals(c.node(prefs[0]).replica().read(partition, key), repaired);
            assertTrue(c.meters().get("armature.read.repairs").counters().stream().mapToDouble(x -> x.count()).sum() >= 1);
        }
    }

    @Test
    void readRepairReachesReplicasThatAnswerAfterTheClientWasServed() {
        try (EmbeddedCluster c = cluster(3).start()) {
            final byte[] key = bytes("late-repair");
            final int[] prefs = preference(c, key);
            final int stale = prefs[2];
            final int partition = c.ring().partitionForKey(key);
            c.stop(stale);
            c.client(prefs[0]).blocking().put(key, bytes("fresh"), Context.empty());
            c.restart(stale);
            // R=1 at a replica: its own copy answers at once, so every remote answer comes late.
            final ReadResult<byte[]> read = c.client(prefs[0]).blocking().get(key, Consistency.defaults().withR(1));
            assertEquals(List.of("fresh"), read.values().stream().map(ClusterTesting::text).toList());
            await("late read repair of the stale replica", () -> c.node(stale).replica().read(partition, key) != null);
            assertEquals(c.node(prefs[0]).replica().read(partition, key), c.node(stale).replica().read(partition, key));
        }
    }

    @Test
    void oversizedKeysAndValuesAreRejectedBeforeAnyReplicaStoresAnything() {
        try (EmbeddedCluster c = cluster(3).start()) {
            final byte[] bigKey = new byte[c.settings().maxKeySize() + 1];
            final byte[] okKey = bytes("small");
            final byte[] bigValue = new byte[c.settings().maxValueSize() + 1];
            final InvalidRequestException k = assertThrows(InvalidRequestException.class,
                () -> c.client().blocking().put(bigKey, bytes("v"), Context.empty()));
            assertTrue(k.getMessage().contains("store.max-key-size"), k.getMessage());
            final InvalidRequestException v = assertThrows(InvalidRequestException.class,
                () -> c.client().blocking().put(okKey, bigValue, Context.empty()));
            assertTrue(v.getMessage().contains("store.max-value-size"), v.getMessage());
            assertThrows(InvalidRequestException.class, () -> c.client().blocking().get(bigKey));
            for (int i = 0; i < c.size(); i++) {
                assertNull(c.node(i).replica().read(c.ring().partitionForKey(bigKey), bigKey));
                assertNull(c.node(i).replica().read(c.ring().partitionForKey(okKey), okKey));
            }
        }
    }

    @Test
    void putViaANodeOutsideThePreferenceListIsForwardedAndVersionedByAReplica() {
        try (EmbeddedCluster c = cluster(4).start()) {
            final byte[] key = bytes("forward-me");
            final int[] prefs = preference(c, key);
            final int outsider = 6 - prefs[0] - prefs[1] - prefs[2];
            c.client(outsider).blocking().put(key, bytes("v"), Context.empty());
            final int partition = c.ring().partitionForKey(key);
            assertNull(c.node(outsider).replica().read(partition, key));
            assertNotNull(c.node(prefs[0]).replica().read(partition, key));
            assertEquals(1.0, c.meters().get("armature.requests.forwarded").tag("node", c.nodeId(outsider).value())
                .counter().count());
            assertTrue(c.meters().get("armature.requests").tag("op", "put").timers().stream()
                .mapToLong(t -> t.count()).sum() >= 1);
        }
    }

    @Test
    void aForwardToAStoppedReplicaIsRetriedOnTheNextOneAfterTheReplicaTimeout() {
        try (EmbeddedCluster c = cluster(4).start()) {
            final byte[] key = bytes("forward-around");
            final int[] prefs = preference(c, key);
            final int outsider = 6 - prefs[0] - prefs[1] - prefs[2];
            c.stop(prefs[0]);
            final ReadResult<byte[]> written = c.client(outsider).blocking().put(key, bytes("v"), Context.empty());
            assertEquals(List.of("v"), written.values().stream().map(ClusterTesting::text).toList());
            final int partition = c.ring().partitionForKey(key);
            assertNotNull(c.node(prefs[1]).replica().read(partition, key), "the next replica coordinated the write");
        }
    }

    @Test
    void wipedNodeComesBackWithANewIncarnationAndRestartKeepsIt() {
        try (EmbeddedCluster c = cluster(3).start()) {
            final long first = c.node(1).incarnation();
            c.restart(1);
            assertEquals(first, c.node(1).incarnation());
            c.wipe(1);
            assertTrue(first != c.node(1).incarnation());
            final byte[] key = bytes("after-wipe");
            c.client(1).blocking().put(key, bytes("x"), Context.empty());
            assertArrayEquals(bytes("x"), c.client(0).blocking().get(key).values().get(0));
        }
    }

    @Test
    void aWriteBeyondTheSiblingLimitIsRejectedAndTheWarningIsCounted() {
        final var settings = ClusterTesting.FAST.toBuilder().siblingWarn(2).siblingLimit(3).build();
        try (EmbeddedCluster c = cluster(3).settings(settings).start()) {
            final byte[] key = bytes("crowded");
            final int coordinator = preference(c, key)[0];
            for (int i = 0; i < 3; i++) {
                c.client(coordinator).blocking().put(key, bytes("blind-" + i), Context.empty());
            }
            final InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> c.client(coordinator).blocking().put(key, bytes("one too many"), Context.empty()));
            assertTrue(e.getMessage().contains("store.sibling-limit"), e.getMessage());
            assertEquals(3, c.client(coordinator).blocking().get(key).values().size());
            assertEquals(1.0, c.meters().get("armature.siblings.warnings").tag("node", c.nodeId(coordinator).value())
                .counter().count());
            final ReadResult<byte[]> read = c.client(coordinator).blocking().get(key);
            c.client(coordinator).blocking().put(key, bytes("merged"), read.context());
            assertEquals(List.of("merged"), c.client(coordinator).blocking().get(key).values().stream()
                .map(ClusterTesting::text).toList());
        }
    }

    @Test
    void theClusterClientSpreadsRequestsOverTheRunningNodesOnly() {
        try (EmbeddedCluster c = cluster(3).start()) {
            c.stop(1);
            for (int i = 0; i < 6; i++) {
                final byte[] key = bytes("spread-" + i);
                c.client().blocking().put(key, bytes("v"), Context.empty(), Consistency.defaults().withW(2));
                assertEquals(1, c.client().blocking().get(key).values().size());
            }
            for (final int i : new int[] {0, 2}) {
                assertTrue(c.meters().get("armature.requests").tag("node", c.nodeId(i).value()).tag("op", "put").timer()
                    .count() + c.meters().get("armature.requests").tag("node", c.nodeId(i).value()).tag("op", "get").timer()
                    .count() == 6, "node " + i + " coordinated its share");
            }
            assertThrows(io.armature.api.ClusterUnavailableException.class, () -> {
                c.stop(0);
                c.stop(2);
                c.client().blocking().get(bytes("x"));
            });
        }
    }

    private static Set<String> values(final ReadResult<byte[]> r) {
        return r.values().stream().map(ClusterTesting::text).collect(Collectors.toCollection(TreeSet::new));
    }
}
