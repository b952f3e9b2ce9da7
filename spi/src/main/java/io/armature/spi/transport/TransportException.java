package io.armature.spi.transport;

/**
 * A transport could not bind, set up resources, or was used after close. The message names the
 * endpoint involved.
 */
public class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the endpoint
     */
    public TransportException(final String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause the underlying failure
     */
    public TransportException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
