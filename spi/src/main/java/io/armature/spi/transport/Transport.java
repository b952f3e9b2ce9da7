package io.armature.spi.transport;

import java.nio.ByteBuffer;

/**
 * Carries whole messages between endpoints, unreliably: a message may be lost, but is never
 * corrupted, truncated or split; messages from one sender to one receiver are not reordered on a
 * healthy link. The engine owns timeouts, retries and framing (its header names the sender).
 *
 * <h2>Threading</h2>
 * {@link #send} may be called from any thread, concurrently. Inbound messages reach the
 * {@link MessageHandler} given to {@link #bind} on a transport thread, one at a time.
 *
 * <h2>Resources</h2>
 * {@link #close()} releases every port, thread and file, so that a new transport can bind the
 * same endpoint at once.
 *
 * <h2>Owner-driven transports</h2>
 * A transport created with {@link TransportConfig#ownerDriven()} may run no thread of its own:
 * its owner (a node's event loop) calls {@link #doWork()} in its duty cycle, and inbound messages
 * then reach the handler on the owner's thread, inside {@code doWork}. On a machine with few
 * cores this saves the busy agent threads and their wake-ups. Such a transport reports
 * {@link #ownerDriven()} true; its owner must call {@code doWork} at least every few
 * milliseconds, also when idle, since no one else notices arriving messages.
 */
public interface Transport extends AutoCloseable {
    /**
     * Starts listening. Called at most once per transport.
     *
     * @param local where to listen; port 0 picks a free port
     * @param handler receives inbound messages
     * @return the endpoint actually bound (with the chosen port)
     * @throws TransportException naming the endpoint if it cannot be bound
     */
    Endpoint bind(Endpoint local, MessageHandler handler);

    /**
     * Sends one message. Never blocks longer than the transport's bounded back-pressure wait,
     * and never reports {@link SendStatus#SENT} for a message it dropped. A transport need not
     * be bound to send.
     *
     * @param to the receiver
     * @param message the bytes between position and limit; the transport copies them before
     *     returning and does not change the buffer's position
     * @return what happened to the message
     * @throws IllegalArgumentException if the message is larger than {@link #maxMessageSize()}
     */
    SendStatus send(Endpoint to, ByteBuffer message);

    /**
     * @return the largest message, in bytes, this transport carries
     */
    int maxMessageSize();

    /**
     * One duty cycle of an {@link #ownerDriven()} transport: moves outbound and inbound messages
     * and calls the handler for the messages that arrived. Called by the owner's thread only,
     * never from inside the handler. Transports with threads of their own do nothing here.
     *
     * @return how much work was done (0 when nothing happened), for the owner's idle strategy
     */
    default int doWork() {
        return 0;
    }

    /**
     * @return true when this transport moves messages only while its owner calls {@link #doWork()}
     */
    default boolean ownerDriven() {
        return false;
    }

    /**
     * What the transport reports of itself for gauges. Called from any thread, on every metrics
     * scrape: it must be cheap and thread-safe. The default measures nothing.
     *
     * @return a snapshot; {@link TransportStats#UNKNOWN} for what it does not measure
     */
    default TransportStats stats() {
        return TransportStats.NONE;
    }

    /**
     * Stops listening and releases every resource. Idempotent.
     */
    @Override
    void close();
}
