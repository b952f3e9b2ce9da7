package io.armature.testkit.sim;

import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.armature.spi.transport.TransportException;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A node's {@link Transport} on a {@link SimNetwork}. Inbound messages reach the handler on the
 * simulation thread, as events of the loop; after {@link #close()} (a stop or a crash) nothing is
 * delivered to it any more.
 */
public final class SimTransport implements Transport {
    private final SimNetwork network;
    private final String node;
    private MessageHandler handler;
    private Endpoint local;
    private boolean closed;

    SimTransport(final SimNetwork network, final String node) {
        this.network = network;
        this.node = node;
    }

    /**
     * @return the node this transport belongs to
     */
    public String node() {
        return node;
    }

    @Override
    public Endpoint bind(final Endpoint endpoint, final MessageHandler messageHandler) {
        if (closed) {
            throw new TransportException("simulated transport of node " + node + " is closed; cannot bind " + endpoint);
        }
        if (handler != null) {
            throw new TransportException("simulated transport of node " + node + " is already bound to " + local);
        }
        this.local = network.bind(this, Objects.requireNonNull(endpoint, "endpoint"));
        this.handler = Objects.requireNonNull(messageHandler, "handler");
        return local;
    }

    @Override
    public SendStatus send(final Endpoint to, final ByteBuffer message) {
        if (message.remaining() > maxMessageSize()) {
            throw new IllegalArgumentException("message of " + message.remaining() + " bytes exceeds " + maxMessageSize());
        }
        if (closed) {
            return SendStatus.CLOSED;
        }
        return network.send(this, to, message);
    }

    @Override
    public int maxMessageSize() {
        return TransportConfig.DEFAULT_MAX_MESSAGE_SIZE;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            network.unbind(this);
        }
    }

    boolean isOpen() {
        return !closed && handler != null;
    }

    void deliver(final ByteBuffer message) {
        handler.onMessage(message);
    }

    @Override
    public String toString() {
        return "SimTransport[" + node + (local == null ? "" : " " + local) + (closed ? ", closed" : "") + "]";
    }
}
