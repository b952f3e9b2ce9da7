package io.armature.api;

import java.time.Duration;

/**
 * No answer arrived within the request's timeout, for example because the node a remote client
 * spoke to stopped answering. Unlike {@link QuorumNotReachedException} the client does not know
 * how many replicas were reached.
 */
public class RequestTimeoutException extends ArmatureException {
    private static final long serialVersionUID = 1L;

    /**
     * @param operation the operation that timed out
     * @param timeout the timeout that passed
     */
    public RequestTimeoutException(final String operation, final Duration timeout) {
        super(operation + ": no answer within " + timeout.toMillis() + " ms");
    }
}
