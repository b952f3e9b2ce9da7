package io.armature.engine.coordinator;

import io.armature.api.ArmatureException;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.api.RequestTimeoutException;
import io.armature.engine.wire.Message;
import java.time.Duration;
import java.util.List;

/**
 * Maps request outcomes to {@link Message.ClientReply} and back, so that a remote client or a
 * forwarding node sees the same api exception the coordinator raised.
 */
public final class Replies {
    private Replies() {
    }

    /**
     * @param result a successful result
     * @return the reply
     */
    public static Message.ClientReply ok(final ReadResult<byte[]> result) {
        return new Message.ClientReply(Message.Status.OK, result.values(), result.context().toBytes(), "", 0, 0, "");
    }

    /**
     * @param operation "get", "put" or "delete"
     * @param failure what the request failed with
     * @return the reply
     */
    /** Leads the message of a refusal by a node that is not a replica: nothing was stored, another node may be asked. */
    public static final String NOT_A_REPLICA = "not a replica";

    public static Message.ClientReply error(final String operation, final Throwable failure) {
        final Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        final String message = String.valueOf(t.getMessage());
        if (t instanceof QuorumNotReachedException q) {
            return new Message.ClientReply(Message.Status.QUORUM_NOT_REACHED, List.of(), new byte[0], q.operation(),
                Math.min(255, q.required()), Math.min(255, q.achieved()), message);
        }
        final Message.Status status = t instanceof InvalidRequestException ? Message.Status.INVALID_REQUEST
            : t instanceof RequestTimeoutException ? Message.Status.TIMEOUT
            : t instanceof ClusterUnavailableException ? Message.Status.UNAVAILABLE
            : Message.Status.INTERNAL;
        return new Message.ClientReply(status, List.of(), new byte[0], operation, 0, 0, message);
    }

    /**
     * @param reply a reply
     * @param timeout the request's timeout, for a timeout message
     * @return the result
     * @throws ArmatureException the api exception the reply carries
     */
    public static ReadResult<byte[]> toResult(final Message.ClientReply reply, final Duration timeout) {
        switch (reply.status()) {
            case OK:
                try {
                    return ReadResult.of(reply.values(), reply.context().length == 0 ? Context.empty()
                        : Context.fromBytes(reply.context()));
                } catch (final InvalidRequestException e) {
                    throw new ArmatureException("malformed reply: " + e.getMessage(), e);
                }
            case INVALID_REQUEST:
                throw new InvalidRequestException(reply.message());
            case QUORUM_NOT_REACHED:
                throw new QuorumNotReachedException(reply.operation(), reply.required(), reply.achieved());
            case TIMEOUT:
                throw new RequestTimeoutException(reply.operation(), timeout);
            case UNAVAILABLE:
                throw new ClusterUnavailableException(reply.message());
            default:
                throw new ArmatureException(reply.operation() + ": failed at the node: " + reply.message());
        }
    }
}
