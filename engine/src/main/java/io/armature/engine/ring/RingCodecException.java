package io.armature.engine.ring;

/** Thrown by {@link Ring#decode(byte[])} when the bytes are not a well-formed encoded ring. */
public final class RingCodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is malformed, and where
     */
    public RingCodecException(String message) {
        super(message);
    }
}
