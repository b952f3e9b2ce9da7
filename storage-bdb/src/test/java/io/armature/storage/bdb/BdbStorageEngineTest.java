package io.armature.storage.bdb;

import io.armature.spi.PluginRegistry;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.testkit.storage.StorageEngineContract;

import java.nio.file.Path;

/**
 * The storage conformance kit against {@code bdb}, loaded through {@link java.util.ServiceLoader}
 * as a node loads it, with a small cache so the run stays light.
 */
class BdbStorageEngineTest extends StorageEngineContract {
    @Override
    protected StorageEngine open(final Path directory) {
        return PluginRegistry.storage().get("bdb").open(StorageConfig.builder()
            .directory(directory)
            .property("bdb.cache-size", "16m")
            .property("bdb.free-disk", "0")
            .build());
    }
}
