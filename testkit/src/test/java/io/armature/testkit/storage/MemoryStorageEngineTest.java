package io.armature.testkit.storage;

import io.armature.spi.PluginRegistry;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;

import java.nio.file.Path;

/**
 * The kit against the built-in {@code memory} engine, found through {@link java.util.ServiceLoader}
 * as production finds it. It keeps nothing across close, so the reopen group is skipped.
 */
class MemoryStorageEngineTest extends StorageEngineContract {
    @Override
    protected StorageEngine open(final Path directory) {
        return PluginRegistry.storage().get("memory").open(StorageConfig.builder().directory(directory).build());
    }

    @Override
    protected boolean supportsReopen() {
        return false;
    }
}
