package io.armature.api;

/**
 * A request was rejected before anything was sent or stored: an empty or oversized key or value,
 * an R or W outside {@code 1..N}, a malformed context, or a write that would take a key past its
 * hard sibling limit. Retrying the same request fails the same way.
 */
public class InvalidRequestException extends ArmatureException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which input was wrong and what is allowed
     */
    public InvalidRequestException(final String message) {
        super(message);
    }
}
