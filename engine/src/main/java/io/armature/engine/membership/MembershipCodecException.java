package io.armature.engine.membership;

/**
 * A membership view's bytes are malformed: the message says what and at which offset.
 */
public final class MembershipCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, and where
     */
    public MembershipCodecException(final String message) {
        super(message);
    }
}
