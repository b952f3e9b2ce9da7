package io.armature.samples.cli;

import io.armature.api.InvalidRequestException;
import io.armature.api.KvClient;
import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.cluster.EmbeddedClusterBuilder;
import io.armature.engine.config.StoreSettings;

import java.nio.file.Path;

/**
 * An in-JVM cluster for {@code armature bench --embedded S}: its data lives in a temporary
 * directory that is deleted on close.
 */
final class EmbeddedBench implements BenchTarget {
    private final EmbeddedCluster cluster;
    private final Path directory;
    private final String description;

    private EmbeddedBench(final EmbeddedCluster cluster, final Path directory, final String description) {
        this.cluster = cluster;
        this.directory = directory;
        this.description = description;
    }

    static BenchTarget start(final int nodes, final String storage, final String transport, final Integer n,
                             final Integer r, final Integer w, final PluginSettings plugins) {
        final StoreSettings.Builder settings = StoreSettings.defaults().toBuilder();
        if (n != null) {
            settings.n(n);
        }
        if (r != null) {
            settings.r(r);
        }
        if (w != null) {
            settings.w(w);
        }
        final StoreSettings built;
        try {
            built = settings.build();
        } catch (final IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        final Path dir = TempDirs.create("armature-bench-");
        try {
            final EmbeddedClusterBuilder b = EmbeddedCluster.builder().nodes(nodes).storage(storage).transport(transport)
                .dataDirectory(dir).settings(built);
            plugins.storage.forEach(b::storageProperty);
            plugins.transport.forEach(b::transportProperty);
            if (plugins.recordCacheBytes != null) {
                b.recordCacheBytes(plugins.recordCacheBytes);
            }
            final EmbeddedCluster cluster = b.start();
            final String description = "embedded " + nodes + "-node cluster (" + storage + ", " + transport + ", N=" + built.n()
                + " R=" + built.r() + " W=" + built.w() + ")";
            return new EmbeddedBench(cluster, dir, description);
        } catch (final IllegalArgumentException e) {
            // a plugin refused a setting: a usage error, like a bad option
            TempDirs.delete(dir);
            throw new InvalidRequestException(e.getMessage());
        } catch (final RuntimeException e) {
            TempDirs.delete(dir);
            throw e;
        }
    }

    @Override
    public KvClient client() {
        return cluster.client();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            TempDirs.delete(directory);
        }
    }
}
