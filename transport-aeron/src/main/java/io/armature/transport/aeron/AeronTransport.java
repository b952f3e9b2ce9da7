package io.armature.transport.aeron;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.Header;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportStats;
import io.armature.spi.transport.TransportException;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A transport over Aeron UDP: one subscription per node, polled by the JVM's one
 * {@link ReceivePoller} thread that calls the handler, and one publication per peer, added on
 * the first send to it.
 *
 * <p>A send waits a bounded time for a new publication to connect and a bounded time through
 * back pressure, then reports {@link SendStatus#NOT_CONNECTED} or
 * {@link SendStatus#BACK_PRESSURED}: never a silent loss reported as sent.
 */
final class AeronTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(AeronTransport.class.getName());
    /** Endpoints bound by any transport of this JVM: the shared driver would let two subscriptions share a port. */
    private static final Set<String> BOUND = ConcurrentHashMap.newKeySet();
    private static final long BIND_RETRY_NS = 2_000_000_000L;
    private static final int FRAGMENT_LIMIT = 64;

    private final AeronSettings settings;
    private final Aeron aeron;
    /** The driver's duty cycle when owner-driven, else null (the driver and a poller run threads). */
    private final OwnerDrive drive;
    /** Held while the owner polls: close waits for a poll in progress so no handler runs after it. */
    private final Object pollLock = new Object();
    private final Map<Endpoint, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean bindCalled = new AtomicBoolean();
    private final java.util.concurrent.atomic.LongAdder backPressureEvents = new java.util.concurrent.atomic.LongAdder();
    private final ThreadLocal<UnsafeBuffer> sendBuffer = ThreadLocal.withInitial(() -> new UnsafeBuffer(new byte[0]));
    private Subscription subscription;
    private Poller poller;
    private volatile Poller ownPoller;
    private String boundKey;
    private Endpoint boundEndpoint;

    AeronTransport(final AeronSettings settings) {
        this.settings = settings;
        this.aeron = SharedMediaDriver.acquire(settings);
        this.drive = SharedMediaDriver.ownerDrive();
    }

    /** A publication to one peer and when it was added, for the bounded first-connect wait. */
    private record Peer(Publication publication, long addedNs) {
    }

    @Override
    public synchronized Endpoint bind(final Endpoint local, final MessageHandler handler) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(handler, "handler");
        if (closed.get()) {
            throw new TransportException("aeron transport is closed; cannot bind " + local);
        }
        if (!bindCalled.compareAndSet(false, true)) {
            throw new TransportException("aeron transport is already bound; cannot bind " + local);
        }
        final String requestedKey = local.host() + ":" + local.port();
        if (local.port() != 0 && !BOUND.add(requestedKey)) {
            throw new TransportException("aeron transport: " + local + " is already bound in this JVM");
        }
        try {
            subscription = addSubscription(local);
            final Endpoint bound = resolve(local);
            boundKey = bound.host() + ":" + bound.port();
            boundEndpoint = bound;
            if (local.port() == 0 && !BOUND.add(boundKey)) {
                throw new TransportException("aeron transport: " + bound + " is already bound in this JVM");
            }
            poller = new Poller(bound, subscription, handler);
            if (drive != null) {
                ownPoller = poller;
            } else {
                SharedMediaDriver.poller().add(poller);
            }
            return bound;
        } catch (final RuntimeException e) {
            CloseHelper.quietClose(subscription);
            subscription = null;
            if (local.port() != 0) {
                BOUND.remove(requestedKey);
            }
            boundKey = null;
            boundEndpoint = null;
            throw e instanceof TransportException ? e : new TransportException("aeron transport cannot bind " + local + ": " + e.getMessage(), e);
        }
    }

    private Subscription addSubscription(final Endpoint local) {
        if (local.port() != 0) {
            awaitPortFree(local, drive);
        }
        try {
            return aeron.addSubscription(settings.subscriptionChannel(local.host(), local.port()), settings.streamId);
        } catch (final AeronException e) {
            throw new TransportException("aeron transport cannot bind " + local + ": " + e.getMessage(), e);
        }
    }

    /**
     * The driver closes a receive socket asynchronously, about a second after its subscription
     * closes (image linger and timers); a subscription added before then fails and can leave the
     * driver holding a dead channel endpoint. So close waits until the port is free, and bind
     * checks it too (another process may hold it), each for a bounded time.
     */
    private static void awaitPortFree(final Endpoint local, final OwnerDrive drive) {
        final long deadline = System.nanoTime() + BIND_RETRY_NS;
        while (true) {
            try (DatagramChannel probe = DatagramChannel.open()) {
                probe.bind(new InetSocketAddress(local.host(), local.port()));
                return;
            } catch (final IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TransportException("aeron transport cannot bind " + local + ": " + e.getMessage(), e);
                }
                // An owner-driven driver frees the port only in a duty cycle, and this may be its only owner.
                if (drive != null) {
                    drive.doWork();
                }
                LockSupport.parkNanos(2_000_000);
            }
        }
    }

    private Endpoint resolve(final Endpoint local) {
        if (local.port() != 0) {
            return local;
        }
        final long deadline = System.nanoTime() + BIND_RETRY_NS;
        List<String> addresses;
        while ((addresses = subscription.localSocketAddresses()).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TransportException("aeron transport bound " + local + " but the driver did not report the port");
            }
            LockSupport.parkNanos(100_000);
        }
        final Endpoint actual = Endpoint.parse(addresses.get(0));
        return new Endpoint(local.host(), actual.port());
    }

    @Override
    public SendStatus send(final Endpoint to, final ByteBuffer message) {
        Objects.requireNonNull(to, "to");
        final int length = message.remaining();
        if (length > settings.maxMessageSize) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the transport's max-message-size "
                + settings.maxMessageSize);
        }
        if (closed.get()) {
            return SendStatus.CLOSED;
        }
        if (to.port() == 0) {
            // Port 0 names no receiver (a peer that has not bound yet); the driver would only log an error.
            return SendStatus.NOT_CONNECTED;
        }
        final Peer peer;
        try {
            peer = peers.computeIfAbsent(to, this::addPeer);
        } catch (final RuntimeException e) {
            if (closed.get()) {
                return SendStatus.CLOSED;
            }
            LOG.log(System.Logger.Level.DEBUG, "aeron transport: no publication to " + to, e);
            return SendStatus.NOT_CONNECTED;
        }
        final UnsafeBuffer buffer = sendBuffer.get();
        final int offset;
        if (message.hasArray()) {
            buffer.wrap(message.array(), message.arrayOffset() + message.position(), length);
        } else if (message.isDirect()) {
            buffer.wrap(message, message.position(), length);
        } else {
            final byte[] copy = new byte[length];
            message.get(message.position(), copy);
            buffer.wrap(copy);
        }
        offset = 0;
        return offer(to, peer, buffer, offset, length);
    }

    private SendStatus offer(final Endpoint to, final Peer peer, final UnsafeBuffer buffer, final int offset, final int length) {
        final Publication publication = peer.publication();
        long backPressureDeadline = 0;
        int attempts = 0;
        while (true) {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0) {
                return SendStatus.SENT;
            }
            if (closed.get()) {
                return SendStatus.CLOSED;
            }
            final long now = System.nanoTime();
            if (result == Publication.NOT_CONNECTED) {
                if (now - peer.addedNs() > settings.connectTimeoutNs) {
                    return SendStatus.NOT_CONNECTED;
                }
                waitForDriver(50_000);
            } else if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION) {
                if (backPressureDeadline == 0) {
                    backPressureEvents.increment();
                    backPressureDeadline = now + settings.backPressureTimeoutNs;
                } else if (now - backPressureDeadline > 0) {
                    return SendStatus.BACK_PRESSURED;
                }
                if (drive != null && drive.doWork() > 0) {
                    // the owner's own driver cycle moved data: try again at once
                    continue;
                }
                if (++attempts < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            } else {
                // CLOSED or MAX_POSITION_EXCEEDED: this publication is finished; the next send adds a fresh one.
                if (peers.remove(to, peer)) {
                    CloseHelper.quietClose(publication);
                }
                return result == Publication.MAX_POSITION_EXCEEDED ? SendStatus.BACK_PRESSURED : SendStatus.NOT_CONNECTED;
            }
        }
    }

    private Peer addPeer(final Endpoint to) {
        final Publication publication = aeron.addPublication(settings.publicationChannel(to.host(), to.port()), settings.streamId);
        if (publication.maxMessageLength() < settings.maxMessageSize) {
            publication.close();
            throw new TransportException("aeron publication to " + to + " carries only " + publication.maxMessageLength()
                + " bytes per message; another transport in this JVM opened it with a smaller term length");
        }
        return new Peer(publication, System.nanoTime());
    }

    /**
     * Waits for the driver to make progress: an owner-driven driver moves only when someone
     * drives it, and the waiter may be its only owner (a node's loop sending to a new peer).
     */
    private void waitForDriver(final long parkNs) {
        if (drive != null && drive.doWork() > 0) {
            return;
        }
        LockSupport.parkNanos(parkNs);
    }

    @Override
    public int doWork() {
        if (drive == null || closed.get()) {
            return 0;
        }
        int work = drive.doWork();
        final Poller own = ownPoller;
        if (own != null) {
            synchronized (pollLock) {
                if (!closed.get()) {
                    work += own.poll();
                }
            }
        }
        return work;
    }

    @Override
    public boolean ownerDriven() {
        return drive != null;
    }

    @Override
    public TransportStats stats() {
        return new TransportStats(backPressureEvents.sum());
    }

    @Override
    public int maxMessageSize() {
        return settings.maxMessageSize;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (pollLock) {
            // closed is set: a poll that started before has ended, no later one calls the handler
            ownPoller = null;
        }
        synchronized (this) {
            if (poller != null && drive == null) {
                SharedMediaDriver.poller().remove(poller);
            }
            CloseHelper.quietClose(subscription);
            for (final Peer peer : peers.values()) {
                CloseHelper.quietClose(peer.publication());
            }
            peers.clear();
            SharedMediaDriver.release();
            if (boundEndpoint != null) {
                try {
                    awaitPortFree(boundEndpoint, drive);
                } catch (final TransportException e) {
                    LOG.log(System.Logger.Level.WARNING, "aeron transport closed but its port is still in use", e);
                }
                BOUND.remove(boundKey);
            }
        }
    }

    @Override
    public String toString() {
        return "AeronTransport[" + boundKey + "]";
    }

    /** Polls the subscription and hands each reassembled message to the handler as a ByteBuffer view. */
    private static final class Poller implements ReceivePoller.Source {
        private final String name;
        private final Subscription subscription;
        private final MessageHandler handler;
        private final FragmentAssembler assembler;
        private Object viewSource;
        private ByteBuffer view;

        Poller(final Endpoint endpoint, final Subscription subscription, final MessageHandler handler) {
            this.name = "armature-aeron-" + endpoint;
            this.subscription = subscription;
            this.handler = handler;
            this.assembler = new FragmentAssembler(this::onMessage);
        }

        @Override
        public int poll() {
            return subscription.poll(assembler, FRAGMENT_LIMIT);
        }

        private void onMessage(final DirectBuffer buffer, final int offset, final int length, final Header header) {
            final ByteBuffer byteBuffer = buffer.byteBuffer();
            final byte[] array = buffer.byteArray();
            final Object source = byteBuffer != null ? byteBuffer : array;
            // Reuse one view per backing buffer: the term buffers and the assembler's buffer rarely
            // change. Read-only, so a handler cannot scribble on the driver's log.
            if (source != viewSource) {
                viewSource = source;
                view = (byteBuffer != null ? byteBuffer : ByteBuffer.wrap(array)).asReadOnlyBuffer();
            }
            final int start = buffer.wrapAdjustment() + offset;
            view.clear();
            view.limit(start + length).position(start);
            handler.onMessage(view);
        }

        @Override
        public String name() {
            return name;
        }
    }
}
