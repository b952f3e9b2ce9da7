package io.armature.samples.cli;

import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import io.armature.testkit.transport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code armature node --listen 0.0.0.0:P --advertise HOST:P --zone ZONE} on Aeron, loopback
 * only: the node binds the wildcard, yet peers, the ring's join, status and clients see and use
 * only the advertised address, and each member's zone shows in status.
 *
 * <p>Why the cluster advertises 127.0.0.1 and only a lone node 127.0.0.2: Aeron's sender connects
 * its UDP socket to the receiver's address, and a wildcard-bound receiver answers (status
 * messages) from the address the kernel routes by, 127.0.0.1 on loopback, which a socket
 * connected to 127.0.0.2 drops (docs/operations.md, "Addresses and zones"). Status is TCP and
 * has no such limit.
 */
class AdvertiseAndZoneTest {
    private static final StoreSettings TWO = StoreSettings.builder().n(2).r(2).w(2).requestTimeout(Duration.ofSeconds(2)).build();

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aNodeBoundToTheWildcardIsKnownByItsAdvertisedAddressAndZonesShowInStatus(@TempDir final Path dir) throws Exception {
        final int pa = freePort();
        final int pb = freePort();
        final Endpoint advertisedA = new Endpoint("127.0.0.1", pa);
        final Endpoint listenB = new Endpoint("127.0.0.1", pb);
        final NodeConfig a = NodeConfig.builder(new NodeId("a"), new Endpoint("0.0.0.0", pa)).advertise(advertisedA).zone("za")
            .seeds(List.of(advertisedA)).partitions(16).store(TWO).build();
        final NodeConfig b = NodeConfig.builder(new NodeId("b"), listenB).zone("zb").seeds(List.of(advertisedA)).partitions(16)
            .store(TWO).build();
        final PluginSettings plugins = PluginSettings.route(null, "memory", "aeron");
        try (NodeProcess na = NodeProcess.start(a, "memory", dir.resolve("a"), "aeron", null, plugins);
             NodeProcess nb = NodeProcess.start(b, "memory", dir.resolve("b"), "aeron", null, plugins)) {
            assertEquals(advertisedA, na.endpoint());
            assertEquals("0.0.0.0", na.node().boundEndpoint().host());
            assertEquals(listenB, nb.endpoint(), "without --advertise a node is known by the address it bound");
            final RemoteConnector connector = new RemoteConnector("aeron", java.util.Map.of(), TWO);
            final AtomicReference<ClusterStatus> last = new AtomicReference<>();
            // b joined through a's advertised address; both settle on the ring of two, each ready.
            Await.until(Duration.ofSeconds(60), () -> {
                final ClusterStatus s = connector.status(List.of(listenB), null, false);
                last.set(s);
                return s.members().size() == 2 && s.members().stream().allMatch(m -> m.inRing() && m.state().equals("up"))
                    && s.loads().size() == 2 && s.loads().values().stream().allMatch(ClusterStatus.Load::ready)
                    && s.problems(true).isEmpty();
            }, () -> "the two nodes did not settle: " + last.get());
            for (final Endpoint asked : List.of(listenB, advertisedA)) {
                final ClusterStatus s = connector.status(List.of(asked), null, false);
                final ClusterStatus.Member ma = s.members().get(0);
                final ClusterStatus.Member mb = s.members().get(1);
                assertEquals("a", ma.nodeId());
                assertEquals(advertisedA.toString(), ma.address(), "as seen by " + s.reportedBy());
                assertEquals("za", ma.zone());
                assertEquals(listenB.toString(), mb.address());
                assertEquals("zb", mb.zone());
                final String json = StatusCommand.json(s, s.problems(true));
                assertTrue(json.contains("\"zone\":\"za\"") && json.contains("\"zone\":\"zb\""), json);
                assertFalse(json.contains("0.0.0.0"), "the wildcard never reaches a peer or a client: " + json);
            }
            // Two zones, N=2: every key has a replica in each zone, so a write at W=2 reaches both nodes.
            final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
            try (KvClient viaA = connector.connect(List.of(advertisedA), null);
                 KvClient viaB = connector.connect(List.of(listenB), null)) {
                viaA.blocking().put(key, "v".getBytes(StandardCharsets.UTF_8), Context.empty());
                assertEquals("v", new String(viaB.blocking().get(key).values().get(0), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aLoneNodeAdvertisingAnotherLoopbackAddressReportsItInStatus(@TempDir final Path dir) throws Exception {
        final int port = freePort();
        final Endpoint advertised = new Endpoint("127.0.0.2", port);
        final NodeConfig c = NodeConfig.builder(new NodeId("c"), new Endpoint("0.0.0.0", port)).advertise(new Endpoint("127.0.0.2", 0))
            .zone("zc").seeds(List.of(advertised)).partitions(16).store(TWO).build();
        try (NodeProcess nc = NodeProcess.start(c, "memory", dir.resolve("c"), "aeron", null, PluginSettings.route(null, "memory", "aeron"))) {
            assertEquals(advertised, nc.endpoint(), "port 0 in --advertise stands for the bound port");
            final ClusterStatus s = new RemoteConnector("aeron", java.util.Map.of(), TWO).status(List.of(advertised), null, false);
            assertEquals(List.of(new ClusterStatus.Member("c", advertised.toString(), "up", s.members().get(0).ownedPartitions(), 1, 16,
                true, "zc")), s.members());
            assertEquals(List.of(), s.problems(true), "its seed is its own advertised address: it created the ring");
        }
    }
}
