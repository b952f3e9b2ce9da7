package io.armature.engine.cluster;

import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static io.armature.engine.cluster.ClusterTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.ArmatureException;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.ReadResult;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.node.Node;
import io.armature.engine.repair.AntiEntropy;
import io.armature.engine.replica.StorageLayout;
import io.armature.engine.ring.NodeId;
import io.armature.engine.versioning.VersionSet;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AntiEntropyTest {
    private static final System.Logger LOG = System.getLogger(AntiEntropyTest.class.getName());
    static final RepairSettings FAST_REPAIR = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(50))
        .withAntiEntropyPeriod(Duration.ofMillis(5)).withAntiEntropyRate(64 << 20, 4 << 20);

    static EmbeddedClusterBuilder repairCluster(final int nodes) {
        return cluster(nodes).partitions(16).repair(FAST_REPAIR).suspectRetry(Duration.ofMillis(200));
    }

    static byte[] stored(final EmbeddedCluster c, final int node, final byte[] key) {
        return c.node(node).storage().get(Keyspace.partition(c.ring().partitionForKey(key)), StorageLayout.recordKey(key));
    }

    /** @return true if every replica of every key stores the same version set, and none is missing */
    static boolean replicasAgree(final EmbeddedCluster c, final List<byte[]> keys) {
        for (final byte[] key : keys) {
            final List<NodeId> prefs = c.ring().preferenceList(c.ring().partitionForKey(key), c.settings().n());
            final byte[] first = stored(c, ClusterTesting.index(c, prefs.get(0)), key);
            if (first == null) {
                return false;
            }
            for (final NodeId r : prefs) {
                if (!Arrays.equals(first, stored(c, ClusterTesting.index(c, r), key))) {
                    return false;
                }
            }
        }
        return true;
    }

    static void onLoop(final Node node, final Runnable task) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        node.context().scheduler().execute(() -> {
            task.run();
            done.complete(null);
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
    }

    static double bytesSent(final EmbeddedCluster c) {
        double sum = 0;
        for (int i = 0; i < c.size(); i++) {
            sum += c.meters().get(AntiEntropy.BYTES_SENT).tag("node", c.nodeId(i).value()).counter().count();
        }
        return sum;
    }

    @Test
    void aWipedReplicaIsRestoredByAntiEntropyAlone() {
        try (EmbeddedCluster c = repairCluster(3).start()) {
            final List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                keys.add(bytes("ae-" + i));
                c.client(0).blocking().put(keys.get(i), bytes("v" + i), Context.empty(), Consistency.defaults().withW(3));
            }
            final long incarnation = c.node(1).incarnation();
            c.wipe(1);
            // Anti-entropy may already be refilling node 1 here, so the wipe shows by its new incarnation.
            assertNotEquals(incarnation, c.node(1).incarnation(), "node 1 came back empty");
            await("anti-entropy to restore every key on the wiped node", () -> replicasAgree(c, keys));
            assertTrue(c.meters().get(AntiEntropy.KEYS_REPAIRED).counters().stream().mapToDouble(x -> x.count()).sum()
                >= keys.size(), "the keys came by anti-entropy pushes");
        }
    }

    @Test
    void aPartitionedFiveNodeClusterConvergesAfterHealing() {
        try (EmbeddedCluster c = repairCluster(5).start()) {
            final Set<Endpoint> left = Set.of(c.endpoint(0), c.endpoint(1));
            final Set<Endpoint> right = Set.of(c.endpoint(2), c.endpoint(3), c.endpoint(4));
            c.network().partition(left, right);
            final List<byte[]> keys = new ArrayList<>();
            int leftOk = 0;
            int rightOk = 0;
            for (int i = 0; i < 30; i++) {
                final byte[] key = bytes("split-" + i);
                keys.add(key);
                leftOk += tryPut(c, 0, key, "left" + i);
                rightOk += tryPut(c, 2, key, "right" + i);
            }
            assertTrue(leftOk > 0 && rightOk > 0, "both sides took writes: " + leftOk + ", " + rightOk);
            final List<byte[]> written = keys.stream().filter(k -> anyStored(c, k)).toList();
            c.network().heal();
            await("every replica of every key to hold the same siblings", () -> replicasAgree(c, written));
            long conflicts = 0;
            for (final byte[] key : written) {
                final VersionSet set = VersionSet.decode(stored(c, ClusterTesting.index(c,
                    c.ring().preferenceList(c.ring().partitionForKey(key), 3).get(0)), key));
                conflicts += set.liveValues().size() == 2 ? 1 : 0;
            }
            assertTrue(conflicts > 0, "writes on both sides of the split became siblings");
        }
    }

    private static boolean anyStored(final EmbeddedCluster c, final byte[] key) {
        for (int i = 0; i < c.size(); i++) {
            if (stored(c, i, key) != null) {
                return true;
            }
        }
        return false;
    }

    private static int tryPut(final EmbeddedCluster c, final int via, final byte[] key, final String value) {
        try {
            c.client(via).blocking().put(key, bytes(value), Context.empty(), Consistency.defaults().withW(1));
            return 1;
        } catch (final ArmatureException e) {
            return 0;
        }
    }

    @Test
    void tenDivergentKeysAmongAHundredThousandCostAFewKilobytes() {
        try (EmbeddedCluster c = cluster(3).partitions(8).repair(FAST_REPAIR.withAntiEntropyPeriod(Duration.ZERO)).start()) {
            final byte[] template = bytes("template");
            final ReadResult<byte[]> a = c.client(0).blocking().put(template, bytes("a"), Context.empty(),
                Consistency.defaults().withW(3));
            final byte[] setA = stored(c, 0, template);
            c.client(0).blocking().put(template, bytes("b"), a.context(), Consistency.defaults().withW(3));
            final byte[] setB = stored(c, 0, template);
            assertNotEquals(text(setA), text(setB));
            final int partition = 0;
            final List<byte[]> keys = new ArrayList<>();
            for (int i = 0; keys.size() < 100_000; i++) {
                final byte[] k = bytes("k" + i);
                if (c.ring().partitionForKey(k) == partition) {
                    keys.add(k);
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                final byte[] rk = StorageLayout.recordKey(keys.get(i));
                c.node(0).storage().put(Keyspace.partition(partition), rk, i % 10_000 == 0 ? setB : setA);
                c.node(1).storage().put(Keyspace.partition(partition), rk, setA);
            }
            final double before = bytesSent(c);
            onLoop(c.node(0), () -> c.node(0).antiEntropy().exchange(partition, c.nodeId(1)));
            await("the ten divergent keys to be repaired",
                () -> keys.stream().allMatch(k -> Arrays.equals(stored(c, 0, k), stored(c, 1, k))));
            final double bytes = bytesSent(c) - before;
            LOG.log(System.Logger.Level.INFO, "10 divergent keys among 100,000: {0} bytes of anti-entropy", (long) bytes);
            assertTrue(bytes < 16 * 1024, "bytes exchanged: " + bytes);
            assertTrue(Arrays.equals(setB, stored(c, 1, keys.get(0))), "the newer set won on both sides");
        }
    }

    @Test
    void aWipedNodeComesBackWithANewIncarnationAndNoneOfItsNewWritesIsDropped() {
        try (EmbeddedCluster c = repairCluster(3).start()) {
            final byte[] key = bytes("kv679");
            Context ctx = Context.empty();
            for (int i = 0; i < 3; i++) {
                ctx = c.client(0).blocking().put(key, bytes("old" + i), ctx, Consistency.defaults().withW(3)).context();
            }
            final long before = c.node(0).incarnation();
            c.wipe(0);
            assertNotEquals(before, c.node(0).incarnation(), "a wiped node must not reuse its actor id");
            c.client(0).blocking().put(key, bytes("after-wipe"), Context.empty(), Consistency.defaults().withW(2));
            await("anti-entropy to bring every replica to the same set", () -> replicasAgree(c, List.of(key))
                && VersionSet.decode(stored(c, 0, key)).liveValues().size() == 2);
            for (int i = 0; i < 3; i++) {
                final List<String> values = VersionSet.decode(stored(c, i, key)).liveValues().stream()
                    .map(v -> text(v.data())).sorted().toList();
                assertEquals(List.of("after-wipe", "old2"), values, "replica " + i + " kept the post-wipe write");
            }
        }
    }
}
