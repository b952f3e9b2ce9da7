package io.armature.engine.cluster;

import static io.armature.engine.cluster.ClusterTesting.FAST;
import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static io.armature.engine.cluster.ClusterTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.ArmatureException;
import io.armature.api.BlockingKvClient;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.api.RequestTimeoutException;
import io.armature.engine.client.RemoteKvClient;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.node.Node;
import io.armature.engine.node.NodeContext;
import io.armature.engine.ring.NodeId;
import io.armature.engine.runtime.NodeRuntime;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.transport.local.LocalTransportProvider;
import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.engine.wire.FrameMac;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.runtime.Clock;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cluster secret end to end on {@code memory} + {@code local}: with the secret everything
 * works; a client or a node with another secret (or none) gets nothing through, and every frame
 * it sends is dropped before the node's logic and counted by reason.
 */
class ClusterSecretTest {
    private static final byte[] SECRET = bytes("the-cluster-secret-0123456789");
    private static final byte[] WRONG = bytes("not-the-cluster-secret-987654");
    private static final Consistency SHORT = Consistency.defaults().withTimeout(Duration.ofMillis(300));

    @Test
    void aClusterWithASecretServesNodesAndRemoteClientsThatHaveIt() {
        try (EmbeddedCluster c = cluster(3).secret(SECRET).start();
             RemoteKvClient remote = remote(c, SECRET)) {
            for (int i = 0; i < 5; i++) {
                c.client(i % 3).blocking().put(bytes("k" + i), bytes("v" + i), Context.empty(), Consistency.defaults().withW(3));
                assertEquals("v" + i, text(remote.blocking().get(bytes("k" + i)).values().get(0)));
            }
            remote.blocking().put(bytes("from-remote"), bytes("r"), Context.empty());
            assertEquals("r", text(c.client(2).blocking().get(bytes("from-remote")).values().get(0)));
            assertEquals(0.0, rejectedTotal(c.meters()), "frames between holders of the secret were rejected");
        }
    }

    @Test
    void aRemoteClientWithTheWrongSecretOrNoneGetsNoDataAndTimesOut() {
        try (EmbeddedCluster c = cluster(3).secret(SECRET).start()) {
            c.client().blocking().put(bytes("k"), bytes("v"), Context.empty());
            try (RemoteKvClient wrong = remote(c, WRONG); RemoteKvClient none = remote(c, null)) {
                assertThrows(RequestTimeoutException.class, () -> wrong.blocking().get(bytes("k"), SHORT));
                assertThrows(RequestTimeoutException.class,
                    () -> wrong.blocking().put(bytes("k"), bytes("overwritten"), Context.empty(), SHORT));
                assertThrows(RequestTimeoutException.class, () -> none.blocking().get(bytes("k"), SHORT));
                assertThrows(RequestTimeoutException.class,
                    () -> none.blocking().put(bytes("k"), bytes("overwritten"), Context.empty(), SHORT));
            }
            assertEquals(2.0, rejected(c.meters(), "node-0", "bad-mac"));
            assertEquals(2.0, rejected(c.meters(), "node-0", "missing-mac"));
            final ReadResult<byte[]> read = c.client().blocking().get(bytes("k"), Consistency.defaults().withR(3));
            assertEquals(1, read.values().size());
            assertEquals("v", text(read.values().get(0)));
            try (RemoteKvClient right = remote(c, SECRET)) {
                assertEquals("v", text(right.blocking().get(bytes("k")).values().get(0)));
            }
        }
    }

    @Test
    void aNodeWithTheWrongSecretCanNeitherServeAsAReplicaNorReadOrWriteThroughTheCluster() throws Exception {
        try (EmbeddedCluster c = cluster(3).secret(SECRET).suspectRetry(Duration.ofMillis(50)).start()) {
            final byte[] key = bytes("guarded");
            c.client(0).blocking().put(key, bytes("v"), Context.empty(), Consistency.defaults().withW(3));
            c.stop(2);
            // An impostor takes node-2's id and endpoint, with the same ring but another secret.
            final Impostor impostor = new Impostor(c, WRONG);
            try {
                final int partition = c.ring().partitionForKey(key);
                final QuorumNotReachedException q = assertThrows(QuorumNotReachedException.class, () -> c.client(0).blocking()
                    .put(key, bytes("w"), c.client(0).blocking().get(key).context(), Consistency.defaults().withW(3)));
                assertEquals(3, q.required());
                assertEquals(2, q.achieved(), "the impostor's ack counted");
                assertTrue(rejected(impostor.meters, "node-2", "bad-mac") > 0, "the replica put never reached the impostor");
                assertNull(impostor.call(() -> impostor.node.replica().read(partition, key)), "the impostor holds the cluster's data");

                final BlockingKvClient own = impostor.node.client().blocking();
                assertThrows(ArmatureException.class, () -> own.get(key, SHORT));
                final QuorumNotReachedException put = assertThrows(QuorumNotReachedException.class,
                    () -> own.put(key, bytes("evil"), Context.empty(), SHORT));
                assertEquals(1, put.achieved(), "a real replica acknowledged the impostor's write");
                assertTrue(rejected(c.meters(), "node-0", "bad-mac") + rejected(c.meters(), "node-1", "bad-mac") >= 2);
                final ReadResult<byte[]> read = c.client(0).blocking().get(key, Consistency.defaults().withR(2));
                assertTrue(read.values().stream().map(ClusterTesting::text).noneMatch("evil"::equals), "the impostor's write landed");
            } finally {
                impostor.close();
            }
            // With the real node-2 back (same secret) the same write reaches all three.
            c.restart(2);
            await("node-2 to acknowledge again", () -> {
                try {
                    c.client(0).blocking().put(key, bytes("x"), Context.empty(), Consistency.defaults().withW(3));
                    return true;
                } catch (final ArmatureException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void framesForgedWithAnotherSecretOrUntaggedNeverReachTheReplica() throws Exception {
        try (EmbeddedCluster c = cluster(3).secret(SECRET).start();
             Transport attacker = local(c)) {
            attacker.bind(new Endpoint("attacker", 0), m -> { });
            final byte[] key = bytes("forged");
            final int partition = c.ring().partitionForKey(key);
            final byte[] set = VersionSet.empty().update(VersionVector.empty(), Value.of(bytes("planted"), 1),
                new ActorId("node-1", 1)).encode();
            final Message put = new Message.ReplicaPut(partition, key, set, null);
            final Endpoint from = new Endpoint("attacker", 1);
            attacker.send(c.endpoint(0), ByteBuffer.wrap(new WireEncoder("node-1", from, new FrameMac(WRONG)).encodeToArray(0, put)));
            attacker.send(c.endpoint(0), ByteBuffer.wrap(new WireEncoder("node-1", from).encodeToArray(0, put)));
            final byte[] tagged = new WireEncoder("node-1", from, new FrameMac(SECRET)).encodeToArray(0, put);
            tagged[tagged.length - 40] ^= 1;
            attacker.send(c.endpoint(0), ByteBuffer.wrap(tagged));
            await("three rejections", () -> rejectedTotal(c.meters()) >= 3);
            assertEquals(2.0, rejected(c.meters(), "node-0", "bad-mac"));
            assertEquals(1.0, rejected(c.meters(), "node-0", "missing-mac"));
            final Node n0 = c.node(0);
            assertNull(call(n0, () -> n0.replica().read(partition, key)), "a forged replica put was stored");
            // The same frame with the right tag is stored: the test can tell the difference.
            attacker.send(c.endpoint(0), ByteBuffer.wrap(new WireEncoder("node-1", from, new FrameMac(SECRET)).encodeToArray(0, put)));
            await("the genuine put", () -> call(n0, () -> n0.replica().read(partition, key)) != null);
            assertEquals(3.0, rejectedTotal(c.meters()));
        }
    }

    @Test
    void aClusterWithoutASecretDropsTaggedFrames() {
        try (EmbeddedCluster c = cluster(3).start();
             RemoteKvClient tagged = remote(c, SECRET)) {
            c.client().blocking().put(bytes("k"), bytes("v"), Context.empty());
            assertThrows(RequestTimeoutException.class, () -> tagged.blocking().get(bytes("k"), SHORT));
            assertEquals(1.0, rejected(c.meters(), "node-0", "unexpected-mac"));
        }
    }

    @Test
    void anEmptySecretIsRefusedWhereverItIsGiven() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cluster(1).secret(new byte[0]));
        assertTrue(e.getMessage().contains("secret"), e.getMessage());
        try (EmbeddedCluster c = cluster(1).start(); Transport t = local(c)) {
            assertThrows(IllegalArgumentException.class, () -> RemoteKvClient.connect(t, new Endpoint("client", 0),
                List.of(c.endpoint(0)), FAST, new byte[0]));
        }
    }

    private static RemoteKvClient remote(final EmbeddedCluster c, final byte[] secret) {
        return RemoteKvClient.connect(local(c), new Endpoint("remote-client", 0), List.of(c.endpoint(0)), FAST, secret);
    }

    private static Transport local(final EmbeddedCluster c) {
        return new LocalTransportProvider().create(TransportConfig.builder().property("local.network", c.network().name()).build());
    }

    static double rejected(final MeterRegistry meters, final String node, final String reason) {
        return meters.get("armature.frames.rejected").tag("node", node).tag("reason", reason).counter().count();
    }

    static double rejectedTotal(final MeterRegistry meters) {
        return Search.in(meters).name("armature.frames.rejected").counters().stream().mapToDouble(x -> x.count()).sum();
    }

    /** Runs a read on the node's event loop, where its storage is used. */
    private static <T> T call(final Node node, final Supplier<T> task) {
        final CompletableFuture<T> f = new CompletableFuture<>();
        node.context().scheduler().execute(() -> f.complete(task.get()));
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new AssertionError("node did not answer", e);
        }
    }

    /** A node that claims node-2's place with its own secret, on its own loop, storage and meters. */
    private static final class Impostor implements AutoCloseable {
        final NodeRuntime runtime = new NodeRuntime("impostor");
        final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());
        final MeterRegistry meters = new SimpleMeterRegistry();
        final Node node;

        Impostor(final EmbeddedCluster c, final byte[] secret) {
            final Map<NodeId, Endpoint> endpoints = new HashMap<>();
            for (int i = 0; i < c.size(); i++) {
                endpoints.put(c.nodeId(i), c.endpoint(i));
            }
            final NodeConfig config = NodeConfig.builder(c.nodeId(2), c.endpoint(2)).store(c.settings())
                .partitions(c.ring().partitionCount()).secret(secret).build();
            node = new Node(new NodeContext(config, storage, local(c), Clock.system(), runtime, new SplittableRandom(7), meters,
                new StaticMembership(c.ring(), endpoints), null));
            call(() -> {
                node.start();
                return null;
            });
            assertNotNull(node.endpoint());
        }

        <T> T call(final Supplier<T> task) {
            final CompletableFuture<T> f = new CompletableFuture<>();
            runtime.execute(() -> f.complete(task.get()));
            try {
                return f.get(10, TimeUnit.SECONDS);
            } catch (final Exception e) {
                throw new AssertionError("impostor did not answer", e);
            }
        }

        @Override
        public void close() {
            call(() -> {
                node.stop();
                return null;
            });
            runtime.close();
            storage.close();
        }
    }
}
