package io.armature.spi.transport;

/**
 * The outcome of {@link Transport#send}. Only {@link #SENT} means the message left; the engine
 * treats every other outcome, like a lost message, by its own timeouts and retries.
 */
public enum SendStatus {
    /** Handed to the network; delivery is still not guaranteed. */
    SENT,
    /** The peer is not connected or not reachable now; the message was dropped. */
    NOT_CONNECTED,
    /** The link stayed full for the transport's bounded wait; the message was dropped. */
    BACK_PRESSURED,
    /** The transport is closed. */
    CLOSED
}
