package io.armature.engine.transport.local;

import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.jctools.queues.MpscArrayQueue;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-JVM transport: a send copies the message into the receiver's bounded inbound queue,
 * which one delivery thread drains into the handler.
 *
 * <p>Production wiring, not engine logic: it owns a thread and parks when idle. The queue is
 * bounded by count and by bytes so that a slow receiver turns into
 * {@link SendStatus#BACK_PRESSURED} at the sender instead of growing memory.
 */
public final class LocalTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(LocalTransport.class.getName());

    private final LocalNetwork network;
    private final int maxMessageSize;
    private final int queueCapacity;
    private final long queueBytes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean bindCalled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile Endpoint local;
    private volatile MpscArrayQueue<byte[]> inbound;
    private AgentRunner runner;

    LocalTransport(final LocalNetwork network, final int maxMessageSize, final int queueCapacity, final long queueBytes) {
        this.network = network;
        this.maxMessageSize = maxMessageSize;
        this.queueCapacity = queueCapacity;
        this.queueBytes = queueBytes;
    }

    @Override
    public Endpoint bind(final Endpoint requested, final MessageHandler handler) {
        Objects.requireNonNull(requested, "local");
        Objects.requireNonNull(handler, "handler");
        if (closed.get()) {
            throw new TransportException("local transport is closed; cannot bind " + requested);
        }
        if (!bindCalled.compareAndSet(false, true)) {
            throw new TransportException("local transport is already bound to " + local + "; cannot bind " + requested);
        }
        synchronized (this) {
            inbound = new MpscArrayQueue<>(queueCapacity);
            final Endpoint endpoint = network.bind(requested, this);
            runner = new AgentRunner(
                new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(500)),
                e -> LOG.log(System.Logger.Level.WARNING, "local transport " + endpoint + ": handler failed", e),
                null,
                new Delivery(endpoint, handler));
            AgentRunner.startOnThread(runner, r -> {
                final Thread t = new Thread(r, "armature-local-" + endpoint);
                t.setDaemon(true);
                return t;
            });
            local = endpoint;
            if (closed.get()) {
                close0();
            }
            return endpoint;
        }
    }

    private final java.util.concurrent.atomic.LongAdder backPressureEvents = new java.util.concurrent.atomic.LongAdder();

    @Override
    public SendStatus send(final Endpoint to, final ByteBuffer message) {
        Objects.requireNonNull(to, "to");
        final int length = message.remaining();
        if (length > maxMessageSize) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the transport's max-message-size "
                + maxMessageSize);
        }
        if (closed.get()) {
            return SendStatus.CLOSED;
        }
        final LocalTransport receiver = network.lookup(to);
        if (receiver == null || network.drops(local, to)) {
            return SendStatus.NOT_CONNECTED;
        }
        final byte[] copy = new byte[length];
        message.get(message.position(), copy);
        final SendStatus status = receiver.offer(copy);
        if (status == SendStatus.BACK_PRESSURED) {
            backPressureEvents.increment();
        }
        return status;
    }

    /** A full receiving queue is this transport's back pressure: there is no wait, so each event is a drop. */
    @Override
    public io.armature.spi.transport.TransportStats stats() {
        return new io.armature.spi.transport.TransportStats(backPressureEvents.sum());
    }

    private SendStatus offer(final byte[] message) {
        final MpscArrayQueue<byte[]> queue = inbound;
        if (queue == null || closed.get()) {
            return SendStatus.NOT_CONNECTED;
        }
        if (queuedBytes.addAndGet(message.length) > queueBytes) {
            queuedBytes.addAndGet(-message.length);
            return SendStatus.BACK_PRESSURED;
        }
        if (!queue.offer(message)) {
            queuedBytes.addAndGet(-message.length);
            return SendStatus.BACK_PRESSURED;
        }
        return SendStatus.SENT;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                close0();
            }
        }
    }

    private void close0() {
        final Endpoint endpoint = local;
        if (endpoint != null) {
            network.unbind(endpoint, this);
        }
        if (runner != null) {
            // Closed from the handler: the delivery thread cannot join itself; it ends on its next duty cycle.
            if (runner.thread() != Thread.currentThread()) {
                runner.close();
            }
            runner = null;
        }
        final MpscArrayQueue<byte[]> queue = inbound;
        if (queue != null) {
            queue.clear();
        }
    }

    @Override
    public String toString() {
        return "LocalTransport[" + network.name() + ", " + local + "]";
    }

    /** Drains the inbound queue on the delivery thread, so the handler runs one message at a time. */
    private final class Delivery implements Agent {
        private static final int BATCH = 64;
        private final String name;
        private final MessageHandler handler;

        Delivery(final Endpoint endpoint, final MessageHandler handler) {
            this.name = "armature-local-" + endpoint;
            this.handler = handler;
        }

        @Override
        public int doWork() {
            if (closed.get()) {
                throw new AgentTerminationException();
            }
            final MpscArrayQueue<byte[]> queue = inbound;
            int work = 0;
            byte[] message;
            while (work < BATCH && !closed.get() && (message = queue.relaxedPoll()) != null) {
                queuedBytes.addAndGet(-message.length);
                work++;
                handler.onMessage(ByteBuffer.wrap(message));
            }
            return work;
        }

        @Override
        public String roleName() {
            return name;
        }
    }
}
