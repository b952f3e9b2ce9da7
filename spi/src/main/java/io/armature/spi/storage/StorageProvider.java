package io.armature.spi.storage;

import io.armature.spi.Provider;

/**
 * Opens storage engines of one kind. Registered through {@link java.util.ServiceLoader} under
 * {@code META-INF/services/io.armature.spi.storage.StorageProvider} and found by {@link #id()}.
 * Built in: {@code "memory"} (armature-engine); default durable plugin: {@code "bdb"}.
 */
public interface StorageProvider extends Provider {
    /**
     * Opens (creating if needed) the engine for one node.
     *
     * <p>Must never silently recreate over existing data: a directory holding data it cannot
     * read, or that is not writable, is a {@link StorageException} that names the path.
     *
     * @param config where and how to store
     * @return an open engine; the caller closes it
     * @throws StorageException if the engine cannot be opened
     */
    StorageEngine open(StorageConfig config);
}
