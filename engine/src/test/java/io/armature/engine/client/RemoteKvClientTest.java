package io.armature.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.BlockingKvClient;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.api.RequestTimeoutException;
import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.transport.local.LocalTransportProvider;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RemoteKvClientTest {
    private static final StoreSettings FAST = StoreSettings.builder()
        .requestTimeout(Duration.ofMillis(600)).replicaTimeout(Duration.ofMillis(150)).build();

    private static RemoteKvClient connect(final EmbeddedCluster c, final List<Endpoint> seeds) {
        return RemoteKvClient.connect(new LocalTransportProvider().create(TransportConfig.builder()
            .property("local.network", c.network().name()).build()), new Endpoint("remote-client", 0), seeds, FAST);
    }

    @Test
    void aRemoteClientWritesReadsAndDeletesThroughItsSeeds() {
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(4).settings(FAST).partitions(64).start();
             RemoteKvClient remote = connect(c, List.of(c.endpoint(0), c.endpoint(3)))) {
            final BlockingKvClient client = remote.blocking();
            for (int i = 0; i < 10; i++) {
                final byte[] key = ("remote-" + i).getBytes(StandardCharsets.UTF_8);
                client.put(key, ("v" + i).getBytes(StandardCharsets.UTF_8), Context.empty());
                final ReadResult<byte[]> read = client.get(key);
                assertEquals("v" + i, new String(read.values().get(0), StandardCharsets.UTF_8));
                final ReadResult<byte[]> deleted = client.delete(key, read.context());
                assertTrue(deleted.isEmpty());
                assertTrue(client.get(key).isEmpty());
            }
        }
    }

    @Test
    void errorsAtTheCoordinatorArriveAsTheApiExceptions() {
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).settings(FAST).partitions(64).start();
             RemoteKvClient remote = connect(c, List.of(c.endpoint(0)))) {
            assertThrows(InvalidRequestException.class,
                () -> remote.blocking().put(new byte[2000], new byte[1], Context.empty()));
            c.stop(1);
            c.stop(2);
            final QuorumNotReachedException q = assertThrows(QuorumNotReachedException.class,
                () -> remote.blocking().put("k".getBytes(StandardCharsets.UTF_8), new byte[1], Context.empty(),
                    Consistency.defaults().withW(2)));
            assertEquals(2, q.required());
            assertEquals(1, q.achieved());
            c.stop(0);
            assertThrows(ClusterUnavailableException.class,
                () -> remote.blocking().get("k".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void callsWithoutOverridesUseTheClustersQuorumsNotTheClients() {
        // The cluster runs W=1 and R=1; the client's own settings are the defaults (R=2, W=2).
        final StoreSettings ones = StoreSettings.builder().r(1).w(1)
            .requestTimeout(Duration.ofMillis(600)).replicaTimeout(Duration.ofMillis(150)).build();
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).settings(ones).partitions(64).start();
             RemoteKvClient remote = connect(c, List.of(c.endpoint(0)))) {
            c.stop(1);
            c.stop(2);
            final byte[] key = "ones".getBytes(StandardCharsets.UTF_8);
            remote.blocking().put(key, "v".getBytes(StandardCharsets.UTF_8), Context.empty());
            assertEquals("v", new String(remote.blocking().get(key).values().get(0), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRequestWhoseAnswerIsLostEndsInARequestTimeout() {
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).settings(FAST).partitions(64).start();
             RemoteKvClient remote = connect(c, List.of(c.endpoint(0)))) {
            // The request arrives, but the answer is lost on its way back.
            final Endpoint seed = c.endpoint(0);
            c.network().dropWhen((from, to) -> seed.equals(from) && "remote-client".equals(to.host()));
            assertThrows(RequestTimeoutException.class, () -> remote.blocking().get("k".getBytes(StandardCharsets.UTF_8),
                Consistency.defaults().withTimeout(Duration.ofMillis(100))));
        }
    }

    @Test
    void aSeedWhoseConnectionIsStillBeingMadeIsTriedAgainUntilTheDeadline() {
        // A fresh client's Aeron publication can take longer than the transport's connect wait to
        // connect (seen at load average 20): its first sends say NOT_CONNECTED. That is a
        // connection still being made, not a node that is down: the request must go out once it
        // connects, within its own deadline, instead of failing at once as unreachable.
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).settings(FAST).partitions(64).start()) {
            final Transport local = new LocalTransportProvider().create(TransportConfig.builder()
                .property("local.network", c.network().name()).build());
            final AtomicInteger refusals = new AtomicInteger(5);
            final Transport connecting = new Transport() {
                @Override
                public Endpoint bind(final Endpoint at, final MessageHandler handler) {
                    return local.bind(at, handler);
                }

                @Override
                public SendStatus send(final Endpoint to, final ByteBuffer message) {
                    return refusals.getAndDecrement() > 0 ? SendStatus.NOT_CONNECTED : local.send(to, message);
                }

                @Override
                public int maxMessageSize() {
                    return local.maxMessageSize();
                }

                @Override
                public void close() {
                    local.close();
                }
            };
            try (RemoteKvClient remote = RemoteKvClient.connect(connecting, new Endpoint("remote-client", 0),
                List.of(c.endpoint(0)), FAST)) {
                final byte[] key = "connecting".getBytes(StandardCharsets.UTF_8);
                remote.blocking().put(key, "v".getBytes(StandardCharsets.UTF_8), Context.empty());
                assertEquals("v", new String(remote.blocking().get(key).values().get(0), StandardCharsets.UTF_8));
                assertTrue(refusals.get() < 0, "the sends refused while connecting were tried again");
            }
        }
    }
}
