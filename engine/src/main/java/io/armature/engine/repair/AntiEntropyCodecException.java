package io.armature.engine.repair;

/**
 * An anti-entropy message body is malformed: the message says what and at which offset.
 */
public final class AntiEntropyCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, and where
     */
    public AntiEntropyCodecException(final String message) {
        super(message);
    }
}
