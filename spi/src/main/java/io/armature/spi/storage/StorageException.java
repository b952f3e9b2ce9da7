package io.armature.spi.storage;

/**
 * A storage engine failed: it cannot open its directory, its files are corrupt, the disk is
 * full, or it was used after close. The message names the path or operation involved.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the path or operation
     */
    public StorageException(final String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause the underlying failure
     */
    public StorageException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
