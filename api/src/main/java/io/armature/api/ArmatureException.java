package io.armature.api;

/**
 * Base type of every exception Armature reports to clients. Unchecked, so that the futures of
 * {@link KvClient} complete exceptionally with it and the {@link BlockingKvClient} view throws it.
 */
public class ArmatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in words an operator understands
     */
    public ArmatureException(final String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public ArmatureException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
