package io.armature.engine.cluster;

import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.config.StoreSettings;
import io.armature.spi.PluginRegistry;
import io.armature.spi.storage.StorageProvider;
import io.armature.spi.transport.TransportProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds an {@link EmbeddedCluster}. Defaults: 3 nodes, storage {@code memory}, transport
 * {@code local}, {@link StoreSettings#defaults()}, 256 partitions, a simple meter registry.
 */
public final class EmbeddedClusterBuilder {
    int nodes = 3;
    String storageId = "memory";
    StorageProvider storage;
    String transportId = "local";
    TransportProvider transport;
    Path dataDirectory;
    StoreSettings settings = StoreSettings.defaults();
    int partitions = NodeConfig.DEFAULT_PARTITIONS;
    long seed = 0x5EED_A57A_7E11L;
    MeterRegistry meters;
    String host = "127.0.0.1";
    int suspectAfterTimeouts = NodeConfig.DEFAULT_SUSPECT_AFTER_TIMEOUTS;
    Duration suspectRetry = NodeConfig.DEFAULT_SUSPECT_RETRY;
    RepairSettings repair = RepairSettings.defaults();
    long recordCacheBytes = NodeConfig.DEFAULT_RECORD_CACHE_BYTES;
    byte[] secret;
    final Map<String, String> storageProperties = new TreeMap<>();
    final Map<String, String> transportProperties = new TreeMap<>();

    EmbeddedClusterBuilder() {
    }

    /** @param count nodes, 1..64 @return this */
    public EmbeddedClusterBuilder nodes(final int count) {
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("embedded cluster nodes must be in 1..64, was " + count);
        }
        this.nodes = count;
        return this;
    }

    /** @param id a storage plugin id, found through {@link PluginRegistry#storage()} @return this */
    public EmbeddedClusterBuilder storage(final String id) {
        this.storageId = Objects.requireNonNull(id, "storage id");
        this.storage = null;
        return this;
    }

    /** @param provider a storage provider instance @return this */
    public EmbeddedClusterBuilder storage(final StorageProvider provider) {
        this.storage = Objects.requireNonNull(provider, "storage provider");
        return this;
    }

    /** @param id a transport plugin id, found through {@link PluginRegistry#transport()} @return this */
    public EmbeddedClusterBuilder transport(final String id) {
        this.transportId = Objects.requireNonNull(id, "transport id");
        this.transport = null;
        return this;
    }

    /** @param provider a transport provider instance @return this */
    public EmbeddedClusterBuilder transport(final TransportProvider provider) {
        this.transport = Objects.requireNonNull(provider, "transport provider");
        return this;
    }

    /** @param directory where durable storage keeps one sub-directory per node @return this */
    public EmbeddedClusterBuilder dataDirectory(final Path directory) {
        this.dataDirectory = directory;
        return this;
    }

    /** @param settings the store settings of every node @return this */
    public EmbeddedClusterBuilder settings(final StoreSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** @param q ring partitions, a power of two in 8..65536 @return this */
    public EmbeddedClusterBuilder partitions(final int q) {
        this.partitions = q;
        return this;
    }

    /** @param seed seeds every node's random source (incarnations, request ids) @return this */
    public EmbeddedClusterBuilder seed(final long seed) {
        this.seed = seed;
        return this;
    }

    /** @param registry where the nodes' meters go @return this */
    public EmbeddedClusterBuilder meters(final MeterRegistry registry) {
        this.meters = Objects.requireNonNull(registry, "meters");
        return this;
    }

    /** @param host the host network transports bind to @return this */
    public EmbeddedClusterBuilder host(final String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** @param count consecutive replica timeouts before a peer is suspected @return this */
    public EmbeddedClusterBuilder suspectAfterTimeouts(final int count) {
        this.suspectAfterTimeouts = count;
        return this;
    }

    /** @param retry how long a suspect is skipped before it is tried again @return this */
    public EmbeddedClusterBuilder suspectRetry(final Duration retry) {
        this.suspectRetry = Objects.requireNonNull(retry, "suspect-retry");
        return this;
    }

    /**
     * @param repair hinted handoff and anti-entropy periods and rates for every node
     * @return this builder
     */
    public EmbeddedClusterBuilder repair(final RepairSettings repair) {
        this.repair = Objects.requireNonNull(repair, "repair");
        return this;
    }

    /**
     * @param secret the cluster secret every node tags its frames with and requires of every frame
     *               it accepts (see {@link io.armature.engine.config.SecretFile}); null for none. Copied
     * @return this
     */
    public EmbeddedClusterBuilder secret(final byte[] secret) {
        if (secret != null && secret.length == 0) {
            throw new IllegalArgumentException("embedded cluster secret must not be empty (use null for none)");
        }
        this.secret = secret == null ? null : secret.clone();
        return this;
    }

    /**
     * @param bytes each node's record cache ({@link NodeConfig.Builder#recordCacheBytes}); 0 for none
     * @return this
     */
    public EmbeddedClusterBuilder recordCacheBytes(final long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("embedded cluster record cache must be >= 0 bytes, was " + bytes);
        }
        this.recordCacheBytes = bytes;
        return this;
    }

    /** @param key a storage property, prefixed by the plugin id @param value its value @return this */
    public EmbeddedClusterBuilder storageProperty(final String key, final String value) {
        storageProperties.put(key, value);
        return this;
    }

    /** @param key a transport property, prefixed by the plugin id @param value its value @return this */
    public EmbeddedClusterBuilder transportProperty(final String key, final String value) {
        transportProperties.put(key, value);
        return this;
    }

    /**
     * Starts every node and waits until each has bound its transport.
     *
     * @return the running cluster
     */
    public EmbeddedCluster start() {
        if (storage == null) {
            storage = PluginRegistry.storage().get(storageId);
        }
        if (transport == null) {
            transport = PluginRegistry.transport().get(transportId);
        }
        if (meters == null) {
            meters = new SimpleMeterRegistry();
        }
        return new EmbeddedCluster(this).startAll();
    }
}
