package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.replica.ActorEpochs;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.VersionSet;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Restoring one node from an old copy of its data directory (here: its META records, copied while
 * it ran) brings back the epoch lease it had then. The restored node must still hand out only
 * epochs above every one it handed out before the restore, or it mints dots that replicas have
 * already seen with other values (kv679 again).
 */
class ActorEpochsRestoreTest {
    private static final long SECOND = 1_000_000_000L;

    private final VirtualTimeNodeTest.World world = new VirtualTimeNodeTest.World();
    private final NodeId id = new NodeId("r0");
    private final io.armature.spi.transport.Endpoint endpoint = new io.armature.spi.transport.Endpoint("r0", 1);
    private final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());

    private Node start() {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        zones.put(id, "");
        final StaticMembership membership = new StaticMembership(Ring.create(16, zones), Map.of(id, endpoint));
        final Node node = new Node(new NodeContext(NodeConfig.builder(id, endpoint).partitions(16)
            .store(StoreSettings.builder().n(1).r(1).w(1).build())
            .repair(RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO)).build(), storage, world.transport(), world,
            world, new SplittableRandom(7), new SimpleMeterRegistry(), membership, null));
        node.start();
        return node;
    }

    private Map<String, byte[]> meta() {
        final Map<String, byte[]> copy = new LinkedHashMap<>();
        storage.scan(Keyspace.meta(), null, null, (k, v) -> {
            copy.put(new String(k, StandardCharsets.ISO_8859_1), v.clone());
            return true;
        });
        return copy;
    }

    private void restore(final Map<String, byte[]> backup) {
        for (final String k : meta().keySet()) {
            storage.delete(Keyspace.meta(), k.getBytes(StandardCharsets.ISO_8859_1));
        }
        backup.forEach((k, v) -> storage.put(Keyspace.meta(), k.getBytes(StandardCharsets.ISO_8859_1), v));
    }

    private void advance(final long nanos) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        world.schedule(nanos, () -> done.complete(null));
        world.runUntil(done, world.nanoTime() + nanos);
    }

    /** The epoch of the actor that wrote a new key, through the node's own client. */
    private static long putAndEpoch(final VirtualTimeNodeTest.World world, final Node node, final String key) {
        // A new key's clock has exactly the one actor that wrote it.
        final ActorId actor = putAndClock(world, node, key).actorAt(0);
        return actor.incarnation() - node.incarnation();
    }

    /** A blind put of a key through the node's own client; the key's clock after it. */
    private static io.armature.engine.versioning.VersionVector putAndClock(final VirtualTimeNodeTest.World world, final Node node,
                                                                           final String key) {
        final byte[] k = key.getBytes(StandardCharsets.UTF_8);
        final CompletableFuture<?> f = node.client().put(k, new byte[] {1}, Context.empty(), Consistency.defaults().withW(1));
        world.runUntil(f, world.nanoTime() + 10 * SECOND);
        f.join();
        final VersionSet set = node.replica().read(node.membership().ring().partitionForKey(k), k);
        return set.context();
    }

    @Test
    void aNodeRestoredFromAnOldCopyHandsOutOnlyEpochsAboveEveryEarlierOne() {
        final Node before = start();
        final Map<String, byte[]> backup = meta();
        final List<Long> handedOut = new ArrayList<>();
        handedOut.add(putAndEpoch(world, before, "first"));
        // One lease's worth of fresh epochs (new keys, purged tombstones), then one more write.
        final ActorEpochs epochs = before.replica().epochs();
        for (long i = 0; i < ActorEpochs.LEASE; i++) {
            handedOut.add(epochs.fresh().incarnation() - before.incarnation());
        }
        handedOut.add(putAndEpoch(world, before, "last"));
        before.stop();
        advance(SECOND);
        restore(backup);
        final Node after = start();
        final long highest = handedOut.stream().mapToLong(Long::longValue).max().orElseThrow();
        final long first = putAndEpoch(world, after, "after-restore");
        assertTrue(first > highest, "the restored node handed out epoch " + first + ", already used (the highest was " + highest + ")");
        assertTrue(after.replica().epochs().trustedFrom() > highest, "and trusts none of the epochs from before the restore");
        after.stop();
    }

    /**
     * A copy taken with the node stopped holds its clean-stop marker, which a start trusts: the
     * copy's records keep their epochs. After the copy the node ran again and added dots to a key
     * under the epoch its record carries; restored, it must not mint those dots again.
     */
    @Test
    void aNodeRestoredFromACopyTakenWhileItWasStoppedDoesNotMintItsOldDotsAgain() {
        final Node first = start();
        final byte[] key = "kept".getBytes(StandardCharsets.UTF_8);
        final long epoch = putAndEpoch(world, first, "kept");
        first.stop();
        advance(SECOND);
        final Map<String, byte[]> backup = meta();
        final Map<String, byte[]> records = partition(first, key);
        final Node second = start();
        final ActorId actor = first.replica().epochs().actor(epoch);
        // The same epoch goes on (the record is trusted after a clean stop): its dot 2 exists only after the copy.
        final io.armature.engine.versioning.VersionVector again = putAndClock(world, second, "kept");
        assertTrue(again.get(actor) == 2 && again.size() == 1, "a clean restart keeps the key's epoch: " + again);
        second.stop();
        advance(3600 * SECOND);
        restore(backup);
        restorePartition(first, key, records);
        final Node restored = start();
        final io.armature.engine.versioning.VersionVector afterRestore = putAndClock(world, restored, "kept");
        assertTrue(afterRestore.get(actor) == 1, "the restored node minted dot 2 of epoch " + epoch
            + " again, a dot it minted after the copy: " + afterRestore);
        restored.stop();
    }

    private Map<String, byte[]> partition(final Node node, final byte[] key) {
        final int p = node.membership().ring().partitionForKey(key);
        final Map<String, byte[]> copy = new LinkedHashMap<>();
        storage.scan(Keyspace.partition(p), null, null, (k, v) -> {
            copy.put(new String(k, StandardCharsets.ISO_8859_1), v.clone());
            return true;
        });
        return copy;
    }

    private void restorePartition(final Node node, final byte[] key, final Map<String, byte[]> records) {
        final int p = node.membership().ring().partitionForKey(key);
        records.forEach((k, v) -> storage.put(Keyspace.partition(p), k.getBytes(StandardCharsets.ISO_8859_1), v));
    }
}
