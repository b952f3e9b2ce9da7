package io.armature.testkit.transport;

import io.armature.engine.transport.local.LocalNetwork;
import io.armature.engine.transport.local.LocalTransportProvider;
import io.armature.spi.PluginRegistry;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault injection, back pressure and settings of the local transport. */
class LocalTransportTest {
    private static int networks;
    private final List<Transport> opened = new ArrayList<>();
    private final String networkName = "local-test-" + networks++;
    private final LocalNetwork network = LocalNetwork.register(networkName);

    @AfterEach
    void close() {
        opened.forEach(Transport::close);
        LocalNetwork.unregister(networkName);
    }

    private Transport open(final TransportConfig.Builder config) {
        final Transport t = new LocalTransportProvider().create(config.property("local.network", networkName).build());
        opened.add(t);
        return t;
    }

    private Transport open() {
        return open(TransportConfig.builder());
    }

    private static SendStatus send(final Transport t, final Endpoint to, final int b) {
        return t.send(to, ByteBuffer.wrap(new byte[] {(byte) b}));
    }

    @Test
    void theProviderIsFoundByIdThroughTheServiceLoader() {
        assertEquals(LocalTransportProvider.class, PluginRegistry.transport().get("local").getClass());
    }

    @Test
    void aPartitionDropsBothWaysUntilHealed() {
        final Received ra = new Received();
        final Received rb = new Received();
        final Transport a = open();
        final Transport b = open();
        final Endpoint ea = a.bind(new Endpoint("a", 0), ra);
        final Endpoint eb = b.bind(new Endpoint("b", 0), rb);
        network.partition(Set.of(ea), Set.of(eb));
        assertEquals(SendStatus.NOT_CONNECTED, send(a, eb, 1));
        assertEquals(SendStatus.NOT_CONNECTED, send(b, ea, 1));
        network.heal();
        assertEquals(SendStatus.SENT, send(a, eb, 2));
        assertEquals(SendStatus.SENT, send(b, ea, 2));
        Await.until(Duration.ofSeconds(10), () -> ra.count() == 1 && rb.count() == 1, () -> "healed messages did not arrive");
        assertEquals(2, ra.messages().get(0)[0]);
        assertEquals(2, rb.messages().get(0)[0]);
    }

    @Test
    void anIsolatedEndpointNeitherSendsNorReceives() {
        final Transport a = open();
        final Transport b = open();
        final Transport c = open();
        final Endpoint ea = a.bind(new Endpoint("a", 1), new Received());
        final Endpoint eb = b.bind(new Endpoint("b", 1), new Received());
        final Endpoint ec = c.bind(new Endpoint("c", 1), new Received());
        network.isolate(ea);
        assertEquals(SendStatus.NOT_CONNECTED, send(a, eb, 1));
        assertEquals(SendStatus.NOT_CONNECTED, send(b, ea, 1));
        assertEquals(SendStatus.SENT, send(b, ec, 1));
    }

    @Test
    void aDropPredicateSeesSenderAndReceiver() {
        final Transport a = open();
        final Transport b = open();
        final Endpoint ea = a.bind(new Endpoint("a", 0), new Received());
        final Endpoint eb = b.bind(new Endpoint("b", 0), new Received());
        network.dropWhen((from, to) -> ea.equals(from) && eb.equals(to));
        assertEquals(SendStatus.NOT_CONNECTED, send(a, eb, 1));
        assertEquals(SendStatus.SENT, send(b, ea, 1));
    }

    @Test
    void transportsOnDifferentNetworksDoNotMeet() {
        final Transport a = open();
        final Endpoint ea = a.bind(new Endpoint("a", 0), new Received());
        final Transport shared = new LocalTransportProvider().create(TransportConfig.builder().build());
        opened.add(shared);
        assertEquals(SendStatus.NOT_CONNECTED, send(shared, ea, 1));
        assertSame(network, LocalNetwork.named(networkName));
    }

    @Test
    void aFullInboundQueueReportsBackPressureAndLosesNothingReportedSent() throws InterruptedException {
        final CountDownLatch release = new CountDownLatch(1);
        final Received received = new Received();
        final Transport receiver = open(TransportConfig.builder().property("local.queue-capacity", "8"));
        final Endpoint at = receiver.bind(new Endpoint("r", 0), m -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.onMessage(m);
        });
        final Transport sender = open();
        int sent = 0;
        SendStatus status = SendStatus.SENT;
        for (int i = 0; i < 100 && status == SendStatus.SENT; i++) {
            status = send(sender, at, i);
            if (status == SendStatus.SENT) {
                sent++;
            }
        }
        assertEquals(SendStatus.BACK_PRESSURED, status);
        assertTrue(sent <= 9, sent + " messages were accepted by a queue of 8 behind a blocked handler");
        release.countDown();
        final int expected = sent;
        Await.until(Duration.ofSeconds(10), () -> received.count() == expected, () -> received.count() + " of " + expected + " arrived");
        for (int i = 0; i < expected; i++) {
            assertEquals(i, received.messages().get(i)[0]);
        }
    }

    @Test
    void unknownLocalSettingsAreRejectedByName() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new LocalTransportProvider().create(TransportConfig.builder().property("local.qeue-capacity", "8").build()));
        assertTrue(e.getMessage().contains("local.qeue-capacity"), e.getMessage());
    }

    @Test
    void anUnregisteredNetworkIsRejectedByName() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new LocalTransportProvider().create(TransportConfig.builder().property("local.network", "nowhere").build()));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }
}
