package io.armature.engine.repair;

/**
 * A repair record or message (anti-entropy body, hint key) is malformed: the message says what and at which offset.
 */
public final class RepairCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, and where
     */
    public RepairCodecException(final String message) {
        super(message);
    }
}
