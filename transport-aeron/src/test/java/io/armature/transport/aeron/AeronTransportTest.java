package io.armature.transport.aeron;

import io.armature.spi.PluginRegistry;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.armature.testkit.transport.Await;
import io.armature.testkit.transport.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Aeron-specific behaviour: the shared driver's directory, settings, back pressure, garbage datagrams. */
class AeronTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<Transport> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Transport::close);
    }

    private Transport open(final TransportConfig config) {
        final Transport t = new AeronTransportProvider().create(config);
        opened.add(t);
        return t;
    }

    private Transport open() {
        return open(TransportConfig.builder().maxMessageSize(64 * 1024).build());
    }

    private static Endpoint any() {
        return new Endpoint("127.0.0.1", 0);
    }

    @Test
    void aSendToPortZeroIsNotConnectedAndCreatesNoPublication() {
        final Transport t = open();
        assertEquals(SendStatus.NOT_CONNECTED, t.send(any(), ByteBuffer.wrap(new byte[] {1, 2, 3})));
    }

    @Test
    void theProviderIsFoundByIdThroughTheServiceLoader() {
        assertEquals(AeronTransportProvider.class, PluginRegistry.transport().get("aeron").getClass());
    }

    @Test
    void theSharedDriverLivesUnderDevShmPerProcessAndIsDeletedByTheLastClose() {
        final Transport a = open();
        final Transport b = open();
        final String dir = SharedMediaDriver.directory();
        assertNotNull(dir);
        assertTrue(dir.startsWith("/dev/shm/") && dir.contains(String.valueOf(ProcessHandle.current().pid())), dir);
        assertTrue(Files.isDirectory(Path.of(dir)));
        a.close();
        assertTrue(Files.isDirectory(Path.of(dir)), "the driver closed while a transport still uses it");
        b.close();
        assertFalse(Files.exists(Path.of(dir)), dir + " survived the last close");
    }

    @Test
    @Timeout(60)
    void anOwnerDrivenTransportStartsNoThreadAndDeliversInsideItsOwnersDoWork() {
        final java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        final TransportConfig owned = TransportConfig.builder().maxMessageSize(64 * 1024).ownerDriven(true).build();
        final Transport receiver = open(owned);
        final Transport sender = open(owned);
        assertTrue(receiver.ownerDriven() && sender.ownerDriven());
        final List<Thread> handlerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Endpoint at = receiver.bind(any(), m -> handlerThreads.add(Thread.currentThread()));
        // The test thread is the only owner: nothing moves unless it drives.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int sent = 0;
        while (handlerThreads.size() < 10 && System.nanoTime() < deadline) {
            if (sent < 10 && sender.send(at, ByteBuffer.wrap(new byte[] {(byte) sent})) == SendStatus.SENT) {
                sent++;
            }
            sender.doWork();
            receiver.doWork();
        }
        assertEquals(10, handlerThreads.size(), "messages delivered");
        assertTrue(handlerThreads.stream().allMatch(t -> t == Thread.currentThread()), "a handler ran off the owner's thread");
        final List<String> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
            .map(Thread::getName).toList();
        assertTrue(started.isEmpty(), "owner-driven transports started threads: " + started);
    }

    /**
     * An embedded node (threaded driver) and a remote client (asks to be owner-driven) in one JVM,
     * as the README's client example runs: the client joins the running driver's threads.
     */
    @Test
    @Timeout(60)
    void anOwnerDrivenRequestBesideAThreadedDriverRunsOnTheDriversThreads() {
        final Transport threaded = open();
        final Transport asked = open(TransportConfig.builder().maxMessageSize(64 * 1024).ownerDriven(true).build());
        assertTrue(!asked.ownerDriven(), "it cannot drive a driver that runs its own threads");
        final List<Thread> handlerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Endpoint at = asked.bind(any(), m -> handlerThreads.add(Thread.currentThread()));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int sent = 0;
        while (handlerThreads.size() < 3 && System.nanoTime() < deadline) {
            if (sent < 3 && threaded.send(at, ByteBuffer.wrap(new byte[] {(byte) sent})) == SendStatus.SENT) {
                sent++;
            }
            Thread.onSpinWait();
        }
        assertEquals(3, handlerThreads.size(), "messages delivered without anyone calling doWork");
        assertTrue(handlerThreads.stream().noneMatch(t -> t == Thread.currentThread()));
    }

    @Test
    void aThreadedTransportBesideAnOwnerDrivenDriverIsRefusedNamingBoth() {
        open(TransportConfig.builder().maxMessageSize(64 * 1024).ownerDriven(true).build());
        final io.armature.spi.transport.TransportException e = assertThrows(io.armature.spi.transport.TransportException.class,
            () -> open());
        assertTrue(e.getMessage().contains("owner-driven") && e.getMessage().contains("threads")
            && e.getMessage().contains("aeron.owner-driven"), e.getMessage());
    }

    @Test
    void unknownAeronSettingsAreRejectedByName() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new AeronTransportProvider().create(TransportConfig.builder().property("aeron.mtu-length", "8k").build()));
        assertTrue(e.getMessage().contains("aeron.mtu-length"), e.getMessage());
    }

    @Test
    void aTermTooShortForTheMaxMessageIsRejectedNamingTheSetting() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AeronTransportProvider()
            .create(TransportConfig.builder().maxMessageSize(1 << 20).property("aeron.term-length", "1m").build()));
        assertTrue(e.getMessage().contains("aeron.term-length"), e.getMessage());
    }

    @Test
    void theDefaultTermCarriesTheMaxMessage() {
        final AeronSettings s = AeronSettings.from(TransportConfig.builder().build());
        assertEquals(16 << 20, s.termLength);
        assertTrue(s.termLength / 8 >= TransportConfig.DEFAULT_MAX_MESSAGE_SIZE);
        assertEquals(8192, s.mtu);
        assertEquals(2 << 20, s.receiverWindow);
    }

    @Test
    @Timeout(60)
    void garbageDatagramsAtTheBoundPortDoNotBreakTheTransport() throws IOException {
        final Received received = new Received();
        final Transport receiver = open();
        final Endpoint at = receiver.bind(any(), received);
        final Transport sender = open();
        final SplittableRandom random = new SplittableRandom(1234);
        try (DatagramChannel garbage = DatagramChannel.open()) {
            final InetSocketAddress target = new InetSocketAddress(at.host(), at.port());
            for (int i = 0; i < 5000; i++) {
                final byte[] bytes = new byte[1 + random.nextInt(i % 10 == 0 ? 9000 : 64)];
                random.nextBytes(bytes);
                if (i % 3 == 0 && bytes.length >= 8) {
                    // Plausible Aeron frame headers: a frame length that fits, version 0, a real frame type.
                    ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putInt(0, bytes.length).put(4, (byte) 0).putShort(6, (short) (random.nextInt(8)));
                }
                garbage.send(ByteBuffer.wrap(bytes), target);
                if (i % 500 == 0) {
                    sendWhole(sender, at, new byte[] {(byte) (i / 500)});
                }
            }
            for (int i = 10; i < 110; i++) {
                sendWhole(sender, at, new byte[] {(byte) i, 1, 2, 3});
            }
        }
        Await.until(WAIT, () -> received.count() == 110, () -> received.count() + " of 110 real messages arrived");
        final List<byte[]> got = received.messages();
        for (int i = 0; i < 110; i++) {
            final byte[] m = got.get(i);
            assertEquals(i, m[0] & 0xff, "message " + i + " out of order or replaced by garbage");
            assertEquals(i < 10 ? 1 : 4, m.length, "message " + i + " has the wrong length");
        }
    }

    @Test
    @Timeout(60)
    void aFullLinkReportsBackPressureAndEveryMessageReportedSentArrives() throws InterruptedException {
        final CountDownLatch release = new CountDownLatch(1);
        final Received received = new Received();
        final Transport receiver = open(TransportConfig.builder().maxMessageSize(64 * 1024)
            .property("aeron.receiver-window", "128k").build());
        final Endpoint at = receiver.bind(any(), m -> {
            if (release.getCount() > 0) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.onMessage(m);
        });
        final Transport sender = open(TransportConfig.builder().maxMessageSize(64 * 1024)
            .property("aeron.back-pressure-timeout", "2ms").build());
        final byte[] payload = new byte[1024];
        int sent = 0;
        SendStatus status = SendStatus.SENT;
        final long bound = TimeUnit.MILLISECONDS.toNanos(500);
        for (int i = 0; i < 100_000 && status != SendStatus.BACK_PRESSURED; i++) {
            Arrays.fill(payload, (byte) i);
            final long t0 = System.nanoTime();
            status = sender.send(at, ByteBuffer.wrap(payload));
            if (sent > 0) {
                assertTrue(System.nanoTime() - t0 < bound, "send " + i + " blocked for " + (System.nanoTime() - t0) / 1000 + " us");
            }
            if (status == SendStatus.SENT) {
                sent++;
            }
        }
        assertEquals(SendStatus.BACK_PRESSURED, status, "a blocked receiver never pushed back");
        release.countDown();
        final int expected = sent;
        Await.until(WAIT, () -> received.count() == expected, () -> received.count() + " of " + expected + " messages reported SENT arrived");
        final List<byte[]> got = received.messages();
        for (int i = 0; i < expected; i++) {
            assertEquals((byte) i, got.get(i)[0], "message " + i);
        }
    }

    private static void sendWhole(final Transport sender, final Endpoint to, final byte[] message) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (sender.send(to, ByteBuffer.wrap(message)) != SendStatus.SENT) {
            assertTrue(System.nanoTime() < deadline, "could not send to " + to);
            Thread.onSpinWait();
        }
    }
}
