package io.armature.engine.versioning;

/**
 * The bytes given to {@link VersionSet#decode(byte[])} are not a well-formed version set: they
 * are truncated, corrupt, of an unknown format version, or not in canonical form.
 */
public final class VersionCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the bytes, and where
     */
    public VersionCodecException(final String message) {
        super(message);
    }
}
