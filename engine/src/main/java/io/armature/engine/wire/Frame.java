package io.armature.engine.wire;

import io.armature.spi.transport.Endpoint;

/**
 * A decoded frame: the header fields and the body.
 *
 * @param flags the header flags
 * @param requestId correlates a reply with its request
 * @param sender the sending node's id, or "" for a client outside the membership
 * @param replyTo where to send the reply
 * @param message the body
 */
public record Frame(int flags, long requestId, String sender, Endpoint replyTo, Message message) {
}
