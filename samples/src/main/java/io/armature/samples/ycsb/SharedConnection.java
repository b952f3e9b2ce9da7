package io.armature.samples.ycsb;

import io.armature.api.Consistency;
import io.armature.api.InvalidRequestException;
import io.armature.api.KvClient;
import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.config.SecretFile;
import io.armature.engine.config.StoreSettings;
import io.armature.samples.cli.RemoteConnector;
import io.armature.samples.cli.TempDirs;
import io.armature.spi.transport.Endpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The one connection (or embedded cluster) every YCSB client thread of a run shares: opened by
 * the first {@link #acquire}, closed when the last lease is closed.
 */
final class SharedConnection {
    /** Comma-separated {@code HOST:PORT} of a running cluster. */
    static final String CLUSTER = "armature.cluster";
    /** Node count of a cluster to start in this JVM. */
    static final String EMBEDDED = "armature.embedded";
    /** Storage plugin of the embedded cluster (default {@code memory}). */
    static final String STORAGE = "armature.storage";
    /** Transport plugin: of the embedded cluster (default {@code local}) or to reach a running one (default {@code aeron}). */
    static final String TRANSPORT = "armature.transport";
    /** File holding the cluster secret, if the cluster has one. */
    static final String SECRET_FILE = "armature.secret-file";
    /** Per-call read quorum. */
    static final String R = "armature.r";
    /** Per-call write quorum. */
    static final String W = "armature.w";

    private static Shared shared;

    private SharedConnection() {
    }

    /** A handle on the shared connection. */
    static final class Lease implements AutoCloseable {
        private final Shared of;
        private boolean closed;

        private Lease(final Shared of) {
            this.of = of;
        }

        KvClient client() {
            return of.client;
        }

        Consistency consistency() {
            return of.consistency;
        }

        @Override
        public void close() {
            synchronized (SharedConnection.class) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--of.leases == 0) {
                    shared = null;
                    of.close();
                }
            }
        }
    }

    static synchronized Lease acquire(final Properties p) {
        if (shared == null) {
            shared = open(p);
        }
        shared.leases++;
        return new Lease(shared);
    }

    private static Shared open(final Properties p) {
        final String cluster = p.getProperty(CLUSTER);
        final String embedded = p.getProperty(EMBEDDED);
        if ((cluster == null) == (embedded == null)) {
            throw new InvalidRequestException("set exactly one of " + CLUSTER + "=HOST:PORT,... and " + EMBEDDED + "=S");
        }
        Consistency consistency = Consistency.defaults();
        if (p.getProperty(R) != null) {
            consistency = consistency.withR(integer(p, R));
        }
        if (p.getProperty(W) != null) {
            consistency = consistency.withW(integer(p, W));
        }
        if (cluster != null) {
            final List<Endpoint> seeds = new ArrayList<>();
            for (final String s : cluster.split(",")) {
                seeds.add(Endpoint.parse(s));
            }
            final String secretFile = p.getProperty(SECRET_FILE);
            final byte[] secret = secretFile == null ? null : SecretFile.read(Path.of(secretFile));
            final KvClient client = new RemoteConnector(p.getProperty(TRANSPORT, "aeron"), Map.of(), StoreSettings.defaults())
                .connect(seeds, secret);
            return new Shared(client, consistency, null, null);
        }
        final Path dir = TempDirs.create("armature-ycsb-");
        try {
            final EmbeddedCluster c = EmbeddedCluster.builder().nodes(integer(p, EMBEDDED)).storage(p.getProperty(STORAGE, "memory"))
                .transport(p.getProperty(TRANSPORT, "local")).dataDirectory(dir).start();
            return new Shared(c.client(), consistency, c, dir);
        } catch (final RuntimeException e) {
            TempDirs.delete(dir);
            throw e;
        }
    }

    private static int integer(final Properties p, final String key) {
        try {
            return Integer.parseInt(p.getProperty(key).trim());
        } catch (final NumberFormatException e) {
            throw new InvalidRequestException(key + " must be a number, was '" + p.getProperty(key) + "'");
        }
    }

    /** The open connection and what to close with it. */
    private static final class Shared {
        final KvClient client;
        final Consistency consistency;
        final EmbeddedCluster cluster;
        final Path directory;
        int leases;

        Shared(final KvClient client, final Consistency consistency, final EmbeddedCluster cluster, final Path directory) {
            this.client = client;
            this.consistency = consistency;
            this.cluster = cluster;
            this.directory = directory;
        }

        void close() {
            try {
                if (cluster != null) {
                    cluster.close();
                } else {
                    client.close();
                }
            } finally {
                TempDirs.delete(directory);
            }
        }
    }
}
