package io.armature.testkit.transport;

import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.armature.spi.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The conformance kit every {@link Transport} must pass.
 *
 * <p>Implementers subclass it in their test sources and implement {@link #createTransport}; a
 * subclass is a dozen lines:
 * <pre>{@code
 * class MyTransportContractTest extends TransportContract {
 *     protected Transport createTransport(TransportConfig config) {
 *         return new MyTransportProvider().create(config);
 *     }
 * }
 * }</pre>
 * The kit binds endpoints on {@code 127.0.0.1} with port 0 (override {@link #anyEndpoint()}),
 * uses {@link #config()} for every transport it creates, closes everything it created after each
 * test, and waits with deadlines, never with sleeps. Override {@link #unreachableEndpoint()} if a
 * closed transport's endpoint does not model an unreachable peer for your transport.
 *
 * <p>What it checks, one {@link Nested} group per promise of the {@link Transport} contract:
 * healthy-link delivery (whole, in order, one handler call at a time), many concurrent senders,
 * large messages up to the configured limit, sends to unreachable peers (bounded time, bounded
 * memory), and the lifecycle (bind, close, rebind at once, no leaked threads).
 */
public abstract class TransportContract {
    /** How long the kit waits for messages to arrive. */
    protected static final Duration ARRIVAL = Duration.ofSeconds(20);

    private final List<Transport> opened = new CopyOnWriteArrayList<>();

    /**
     * Creates a new, unbound transport. Called several times per test; the kit closes each one.
     *
     * @param config the settings, from {@link #config()}
     * @return the transport
     */
    protected abstract Transport createTransport(TransportConfig config);

    /**
     * @return the settings of every transport the kit creates; by default a 1 MiB message limit
     */
    protected TransportConfig config() {
        return TransportConfig.builder().maxMessageSize(1 << 20).build();
    }

    /**
     * @return an endpoint to bind that picks a free port
     */
    protected Endpoint anyEndpoint() {
        return new Endpoint("127.0.0.1", 0);
    }

    /**
     * @return an endpoint where nothing listens; by default that of a transport bound then closed
     */
    protected Endpoint unreachableEndpoint() {
        final Transport t = createTransport(config());
        try {
            return t.bind(anyEndpoint(), m -> { });
        } finally {
            t.close();
        }
    }

    /**
     * @return the longest one send may take, including a bounded wait for a first connection
     */
    protected Duration sendLimit() {
        return Duration.ofSeconds(10);
    }

    /**
     * Creates a transport the kit closes after the test.
     *
     * @return a new transport
     */
    protected final Transport open() {
        final Transport t = createTransport(config());
        opened.add(t);
        return t;
    }

    /**
     * Creates and binds a transport the kit closes after the test.
     *
     * @param handler receives its messages
     * @return the transport and its endpoint
     */
    protected final Bound openBound(final Received handler) {
        final Transport t = open();
        return new Bound(t, t.bind(anyEndpoint(), handler), handler);
    }

    @AfterEach
    final void closeOpened() {
        for (final Transport t : opened) {
            t.close();
        }
        opened.clear();
    }

    /**
     * A bound transport in a test.
     *
     * @param transport the transport
     * @param endpoint where it listens
     * @param received what it received
     */
    protected record Bound(Transport transport, Endpoint endpoint, Received received) {
    }

    /**
     * Sends until the transport reports {@link SendStatus#SENT}, retrying back pressure and a
     * not-yet-connected peer until {@link #ARRIVAL} passes.
     *
     * @param from the sender
     * @param to the receiver
     * @param message the bytes
     */
    protected static void sendUntilSent(final Transport from, final Endpoint to, final byte[] message) {
        final long deadline = System.nanoTime() + ARRIVAL.toNanos();
        SendStatus status;
        while ((status = from.send(to, ByteBuffer.wrap(message))) != SendStatus.SENT) {
            if (status == SendStatus.CLOSED || System.nanoTime() - deadline > 0) {
                fail("send of " + message.length + " bytes to " + to + " never succeeded, last " + status);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    static byte[] message(final int sender, final int seq, final int length, final long seed) {
        final byte[] bytes = new byte[Math.max(8, length)];
        new SplittableRandom(seed ^ ((long) sender << 32 | seq)).nextBytes(bytes);
        ByteBuffer.wrap(bytes).putInt(0, sender).putInt(4, seq);
        return bytes;
    }

    static void assertWellBehaved(final Received received) {
        assertFalse(received.overlapped(), "the handler was called concurrently");
        assertFalse(received.threadChanged(), "the handler was called from more than one thread");
    }

    /** Delivery between one pair of transports on a healthy link. */
    @Nested
    class HealthyLink {
        @Test
        @Timeout(60)
        void messagesArriveIntactAndInOrderBetweenOnePair() {
            final Bound receiver = openBound(new Received());
            final Transport sender = open();
            final SplittableRandom random = new SplittableRandom(42);
            final List<byte[]> sent = new ArrayList<>();
            for (int seq = 0; seq < 2000; seq++) {
                final byte[] m = message(1, seq, 8 + random.nextInt(2048), 42);
                sendUntilSent(sender, receiver.endpoint(), m);
                sent.add(m);
            }
            Await.until(ARRIVAL, () -> receiver.received().count() >= sent.size(),
                () -> receiver.received().count() + " of " + sent.size() + " messages arrived");
            final List<byte[]> got = receiver.received().messages();
            assertEquals(sent.size(), got.size(), "messages arrived twice");
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "message " + i + " differs or is out of order");
            }
            assertWellBehaved(receiver.received());
        }

        @Test
        void sendLeavesTheBufferPositionAlone() {
            final Bound receiver = openBound(new Received());
            final Transport sender = open();
            final ByteBuffer buffer = ByteBuffer.allocate(100);
            buffer.position(10).limit(60);
            sendUntilSent(sender, receiver.endpoint(), new byte[] {1});
            final SendStatus status = sender.send(receiver.endpoint(), buffer);
            assertEquals(10, buffer.position(), "position after " + status);
            assertEquals(60, buffer.limit(), "limit after " + status);
            if (status == SendStatus.SENT) {
                Await.until(ARRIVAL, () -> receiver.received().count() == 2, () -> "the second message did not arrive");
                assertEquals(50, receiver.received().messages().get(1).length, "only the bytes between position and limit are sent");
            }
        }

        @Test
        void theTransportCopiesTheMessageBeforeSendReturns() {
            final Bound receiver = openBound(new Received());
            final Transport sender = open();
            final byte[] reused = new byte[256];
            final List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Arrays.fill(reused, (byte) i);
                sendUntilSent(sender, receiver.endpoint(), reused);
                sent.add(reused.clone());
            }
            Arrays.fill(reused, (byte) -1);
            Await.until(ARRIVAL, () -> receiver.received().count() == sent.size(),
                () -> receiver.received().count() + " of " + sent.size() + " messages arrived");
            final List<byte[]> got = receiver.received().messages();
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "message " + i + " changed after send returned");
            }
        }

        @Test
        void aMessageLargerThanTheLimitIsRejected() {
            final Bound receiver = openBound(new Received());
            final Transport sender = open();
            assertTrue(sender.maxMessageSize() >= config().maxMessageSize(),
                "maxMessageSize " + sender.maxMessageSize() + " is below the configured " + config().maxMessageSize());
            final ByteBuffer tooLarge = ByteBuffer.allocate(sender.maxMessageSize() + 1);
            assertThrows(IllegalArgumentException.class, () -> sender.send(receiver.endpoint(), tooLarge));
        }

        @Test
        void anEmptyMessageArrivesEmpty() {
            final Bound receiver = openBound(new Received());
            final Transport sender = open();
            sendUntilSent(sender, receiver.endpoint(), new byte[0]);
            sendUntilSent(sender, receiver.endpoint(), new byte[] {7});
            Await.until(ARRIVAL, () -> receiver.received().count() == 2, () -> "messages did not arrive");
            assertEquals(0, receiver.received().messages().get(0).length);
        }
    }

    /** Several senders at once. */
    @Nested
    class ManyPeers {
        @Test
        @Timeout(60)
        void manyPeersSendToOneReceiverConcurrently() throws InterruptedException {
            final Bound receiver = openBound(new Received());
            final int peers = 4;
            final int perPeer = 500;
            final List<Thread> threads = new ArrayList<>();
            final List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int p = 0; p < peers; p++) {
                final int peer = p;
                final Transport sender = open();
                final Bound senderBound = new Bound(sender, sender.bind(anyEndpoint(), new Received()), null);
                threads.add(new Thread(() -> {
                    try {
                        for (int seq = 0; seq < perPeer; seq++) {
                            sendUntilSent(senderBound.transport(), receiver.endpoint(), message(peer, seq, 64 + seq % 900, 7));
                        }
                    } catch (final Throwable e) {
                        failures.add(e);
                    }
                }, "kit-sender-" + p));
            }
            threads.forEach(Thread::start);
            for (final Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(50));
            }
            assertEquals(List.of(), failures);
            Await.until(ARRIVAL, () -> receiver.received().count() >= peers * perPeer,
                () -> receiver.received().count() + " of " + peers * perPeer + " messages arrived");
            final int[] next = new int[peers];
            for (final byte[] m : receiver.received().messages()) {
                final ByteBuffer b = ByteBuffer.wrap(m);
                final int peer = b.getInt(0);
                final int seq = b.getInt(4);
                assertEquals(next[peer], seq, "peer " + peer + " out of order");
                assertArrayEquals(message(peer, seq, 64 + seq % 900, 7), m, "peer " + peer + " message " + seq + " corrupted");
                next[peer]++;
            }
            assertWellBehaved(receiver.received());
        }
    }

    /** Messages above one datagram. */
    @Nested
    class LargeMessages {
        @Test
        @Timeout(60)
        void messagesUpToTheConfiguredLimitArriveWhole() {
            final Bound receiver = openBound(new Received());
            final Transport sender = open();
            final int max = config().maxMessageSize();
            final int[] sizes = {max, 64 * 1024 + 3, max - 1, 9_000, max / 2 + 17, max};
            final List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                final byte[] m = message(9, i, sizes[i], 11);
                sendUntilSent(sender, receiver.endpoint(), m);
                sent.add(m);
            }
            Await.until(ARRIVAL, () -> receiver.received().count() >= sent.size(),
                () -> receiver.received().count() + " of " + sent.size() + " large messages arrived");
            final List<byte[]> got = receiver.received().messages();
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(sizes[i], got.get(i).length, "message " + i + " length");
                assertTrue(Arrays.equals(sent.get(i), got.get(i)), "message " + i + " of " + sizes[i] + " bytes corrupted");
            }
        }
    }

    /** Sends to a peer that is not there. */
    @Nested
    class UnreachablePeer {
        @Test
        @Timeout(120)
        void aSendToAnUnreachablePeerFailsOrIsDroppedWithoutBlocking() {
            final Endpoint nowhere = unreachableEndpoint();
            final Transport sender = open();
            final long limit = sendLimit().toNanos();
            final long start = System.nanoTime();
            sender.send(nowhere, ByteBuffer.wrap(new byte[64]));
            assertTrue(System.nanoTime() - start < limit, "the first send took longer than " + sendLimit());
            final long many = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                final long t0 = System.nanoTime();
                sender.send(nowhere, ByteBuffer.wrap(new byte[64]));
                assertTrue(System.nanoTime() - t0 < limit, "send " + i + " took longer than " + sendLimit());
            }
            assertTrue(System.nanoTime() - many < limit,
                "1000 sends to an unreachable peer took " + Duration.ofNanos(System.nanoTime() - many));
        }

        @Test
        @Timeout(120)
        void sendsToAnUnreachablePeerDoNotGrowMemory() {
            final Endpoint nowhere = unreachableEndpoint();
            final Transport sender = open();
            final byte[] payload = new byte[64 * 1024];
            sender.send(nowhere, ByteBuffer.wrap(payload));
            final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            final long before = usedAfterGc(memory);
            final int sends = 4096;
            for (int i = 0; i < sends; i++) {
                assertNotEquals(SendStatus.CLOSED, sender.send(nowhere, ByteBuffer.wrap(payload)));
            }
            final long grown = usedAfterGc(memory) - before;
            assertTrue(grown < 64L << 20, "heap grew by " + (grown >> 20) + " MiB after " + sends + " sends of 64 KiB ("
                + ((long) sends * payload.length >> 20) + " MiB) to an unreachable peer");
        }

        private static long usedAfterGc(final MemoryMXBean memory) {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }
    }

    /** Bind and close. */
    @Nested
    class Lifecycle {
        @Test
        void bindWithPortZeroReturnsAConcretePort() {
            final Bound receiver = openBound(new Received());
            assertNotEquals(0, receiver.endpoint().port());
        }

        @Test
        void bindingAnEndpointInUseFailsNamingIt() {
            final Bound first = openBound(new Received());
            final Transport second = open();
            final TransportException e = assertThrows(TransportException.class, () -> second.bind(first.endpoint(), new Received()));
            assertTrue(e.getMessage().contains(String.valueOf(first.endpoint().port())), e.getMessage());
        }

        @Test
        void bindIsCalledOnce() {
            final Bound bound = openBound(new Received());
            assertThrows(TransportException.class, () -> bound.transport().bind(anyEndpoint(), new Received()));
        }

        @Test
        void closeIsIdempotentAndLaterSendsReportClosed() {
            final Bound receiver = openBound(new Received());
            final Transport sender = open();
            sender.close();
            sender.close();
            assertEquals(SendStatus.CLOSED, sender.send(receiver.endpoint(), ByteBuffer.wrap(new byte[8])));
        }

        @Test
        @Timeout(60)
        void closeReleasesTheEndpointSoANewTransportCanBindItAtOnce() {
            final Bound first = openBound(new Received());
            final Transport sender = open();
            sendUntilSent(sender, first.endpoint(), new byte[] {1});
            Await.until(ARRIVAL, () -> first.received().count() == 1, () -> "the first message did not arrive");
            first.transport().close();
            final Received again = new Received();
            final Transport second = open();
            assertEquals(first.endpoint(), second.bind(first.endpoint(), again));
            final Transport freshSender = open();
            sendUntilSent(freshSender, first.endpoint(), new byte[] {2});
            Await.until(ARRIVAL, () -> again.count() >= 1, () -> "no message reached the rebound endpoint");
            assertArrayEquals(new byte[] {2}, again.messages().get(again.count() - 1));
        }

        @Test
        @Timeout(60)
        void aTransportCanBeClosedFromItsOwnHandler() {
            final Set<Thread> before = Thread.getAllStackTraces().keySet();
            final Transport receiver = open();
            final Received received = new Received();
            final Endpoint at = receiver.bind(anyEndpoint(), m -> {
                received.onMessage(m);
                receiver.close();
            });
            final Transport sender = open();
            sendUntilSent(sender, at, new byte[] {1});
            Await.until(ARRIVAL, () -> received.count() == 1, () -> "the message did not arrive");
            Await.until(ARRIVAL, () -> receiver.send(at, ByteBuffer.wrap(new byte[1])) == SendStatus.CLOSED,
                () -> "the transport did not close from its handler");
            closeOpened();
            Await.until(ARRIVAL, () -> startedSince(before).isEmpty(), () -> "threads still running after close: "
                + startedSince(before).stream().map(Thread::getName).collect(Collectors.toList()));
        }

        @Test
        @Timeout(60)
        void closeStopsEveryThreadTheTransportStarted() {
            final Set<Thread> before = Thread.getAllStackTraces().keySet();
            final Bound receiver = openBound(new Received());
            final Transport sender = open();
            sender.bind(anyEndpoint(), new Received());
            sendUntilSent(sender, receiver.endpoint(), new byte[] {1});
            Await.until(ARRIVAL, () -> receiver.received().count() == 1, () -> "the message did not arrive");
            closeOpened();
            Await.until(ARRIVAL, () -> startedSince(before).isEmpty(), () -> "threads still running after close: "
                + startedSince(before).stream().map(Thread::getName).collect(Collectors.toList()));
        }

        private Set<Thread> startedSince(final Set<Thread> before) {
            return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.getName().startsWith("ForkJoinPool"))
                .collect(Collectors.toSet());
        }
    }
}
