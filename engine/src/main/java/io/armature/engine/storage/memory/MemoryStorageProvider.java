package io.armature.engine.storage.memory;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageException;
import io.armature.spi.storage.StorageProvider;

/**
 * The built-in {@code memory} storage: sorted in-memory maps, nothing on disk, durability
 * {@link Durability#NONE}. Used by the simulator, the tests and the conformance kit's self-test.
 */
public final class MemoryStorageProvider implements StorageProvider {
    /** The provider id. */
    public static final String ID = "memory";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "in-memory sorted maps, durability none (built in)";
    }

    @Override
    public StorageEngine open(final StorageConfig config) {
        // Asking a RAM-only engine for a durable level is a configuration mistake that would
        // otherwise surface as lost data after a restart.
        if (config.durability() != null && config.durability() != Durability.NONE) {
            throw new StorageException("memory storage keeps nothing on disk; durability '" + config.durability().id()
                + "' cannot be honoured (use durability none, or a durable provider such as bdb)");
        }
        for (final String key : config.properties().keySet()) {
            if (key.startsWith(ID + ".")) {
                throw new StorageException("memory storage: unknown setting '" + key + "'; it has no settings");
            }
        }
        return new MemoryStorageEngine(config.maxRecordSize());
    }
}
