package io.armature.api;

import java.time.Duration;

/**
 * No answer arrived within the request's timeout, for example because the node a remote client
 * spoke to stopped answering. Unlike {@link QuorumNotReachedException} the client does not know
 * how many replicas were reached.
 */
public class RequestTimeoutException extends ArmatureException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final Duration timeout;

    /**
     * @param operation the operation that timed out
     * @param timeout the timeout that passed
     */
    public RequestTimeoutException(final String operation, final Duration timeout) {
        this(operation, timeout, null);
    }

    /**
     * @param operation the operation that timed out
     * @param timeout the timeout that passed
     * @param detail whom the request went to and what the others answered, or null
     */
    public RequestTimeoutException(final String operation, final Duration timeout, final String detail) {
        super(operation + ": no answer within " + timeout.toMillis() + " ms" + (detail == null ? "" : " (" + detail + ")"));
        this.operation = operation;
        this.timeout = timeout;
    }

    /**
     * @return the operation that timed out, for example {@code "get"}
     */
    public String operation() {
        return operation;
    }

    /**
     * @return the timeout that passed
     */
    public Duration timeout() {
        return timeout;
    }
}
