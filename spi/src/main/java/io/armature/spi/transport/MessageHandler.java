package io.armature.spi.transport;

import java.nio.ByteBuffer;

/**
 * Receives the messages that arrive at a bound {@link Transport}.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Called on a transport thread, never concurrently for one transport. Must not block: hand
     * the message to another thread (copying it) if work is needed.
     *
     * @param message one whole message as it was sent, between its position and limit; valid
     *     only during this call
     */
    void onMessage(ByteBuffer message);
}
