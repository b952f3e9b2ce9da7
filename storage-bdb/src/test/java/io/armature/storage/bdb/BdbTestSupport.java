package io.armature.storage.bdb;

import com.sleepycat.je.EnvironmentConfig;
import io.armature.spi.storage.StorageConfig;

/**
 * Gives test code outside this package (the benchmark's raw-JE baseline) the exact JE
 * environment configuration the plugin derives from a {@link StorageConfig}, so the baseline
 * differs from the plugin only by the Armature layer.
 */
public final class BdbTestSupport {
    private BdbTestSupport() {
    }

    /**
     * @param config a storage configuration with {@code bdb.*} settings
     * @return the JE environment configuration the plugin would open with
     */
    public static EnvironmentConfig environmentConfig(final StorageConfig config) {
        return BdbStorageProvider.environmentConfig(BdbSettings.of(config));
    }
}
