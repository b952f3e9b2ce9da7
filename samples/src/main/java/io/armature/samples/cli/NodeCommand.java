package io.armature.samples.cli;

import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code armature node}: runs one node in the foreground until SIGTERM (or Ctrl-C), then stops
 * it cleanly. Restarted on the same data directory it keeps its data and incarnation.
 */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs one node in the foreground until SIGTERM; restarts from the data it finds in --data-dir.",
        "The first node of a cluster names itself as its only seed and creates the ring; every other node joins through its seeds."})
final class NodeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
        description = "YAML file of these same options (listen: HOST:PORT, seeds: [..], set: {bdb.durability: sync}); flags given here win.")
    Path config;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "Node id: 1..64 of [A-Za-z0-9._-].")
    String id;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", converter = Converters.EndpointConverter.class,
        description = "Where the node listens for peers and clients.")
    Endpoint listen;

    @Option(names = "--advertise", paramLabel = "HOST:PORT", converter = Converters.EndpointConverter.class,
        description = "Where peers and clients reach the node, when not at --listen (a wildcard bind such as 0.0.0.0, NAT, a container);"
            + " gossip, the ring and status carry it. Port 0 means the --listen port.")
    Endpoint advertise;

    @Option(names = "--zone", defaultValue = "", paramLabel = "ZONE",
        description = "The node's zone (rack, availability zone): replicas of a key go to distinct zones while there are enough zones."
            + " Empty or 1..64 of [A-Za-z0-9._-]; empty for none (default).")
    String zone;

    @Option(names = "--seeds", required = true, split = ",", paramLabel = "HOST:PORT", converter = Converters.EndpointConverter.class,
        description = "Nodes to join through, comma separated.")
    List<Endpoint> seeds;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the storage keeps its files.")
    Path dataDir;

    @Option(names = "--storage", defaultValue = "bdb", paramLabel = "bdb|memory|ID", description = "Storage plugin (default: ${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--transport", defaultValue = "aeron", paramLabel = "aeron|ID", description = "Transport plugin (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--partitions", defaultValue = "256", paramLabel = "Q", description = "Ring partitions, a power of two (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--n", defaultValue = "3", description = "Replicas per key (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--r", defaultValue = "2", description = "Read quorum (default: ${DEFAULT-VALUE}).")
    int r;

    @Option(names = "--w", defaultValue = "2", description = "Write quorum (default: ${DEFAULT-VALUE}).")
    int w;

    @Option(names = "--secret-file", paramLabel = "PATH",
        description = "File holding the cluster secret (owner-only permissions): every frame is signed and checked.")
    Path secretFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "A plugin or node setting, repeatable: bdb.durability=no-sync, aeron.idle-yields=100, node.record-cache=256m.")
    java.util.Map<String, String> settings;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve the node's meters at http://HOST:PORT/metrics (Prometheus text).")
    Integer metricsPort;

    @Option(names = "--log-level", defaultValue = "INFO", paramLabel = "LEVEL",
        description = "java.util.logging level of the node's log on standard error (default: ${DEFAULT-VALUE}): SEVERE, WARNING, INFO, FINE...")
    String logLevel;

    @Option(names = "--log-file", paramLabel = "PATH", description = "Also append the log to this file.")
    Path logFile;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        final CommandLine cl = spec.commandLine();
        final java.util.logging.Level level;
        try {
            level = java.util.logging.Level.parse(logLevel.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--log-level must be one of SEVERE, WARNING, INFO, CONFIG, FINE, FINER, FINEST, ALL, OFF; was " + logLevel);
        }
        NodeLogging.configure(level, logFile);
        final byte[] secret = ClusterOptions.readSecret(secretFile);
        final NodeConfig config;
        final PluginSettings routed;
        try {
            routed = PluginSettings.route(settings, storage, transport);
            final NodeConfig.Builder b = NodeConfig.builder(new NodeId(id), listen).advertise(advertise).zone(zone).seeds(seeds)
                .partitions(partitions)
                .store(StoreSettings.builder().n(n).r(r).w(w).build()).secret(secret).faults(routed.faults);
            if (routed.recordCacheBytes != null) {
                b.recordCacheBytes(routed.recordCacheBytes);
            }
            config = b.build();
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            throw new CommandLine.ParameterException(cl, "--metrics-port must be in 0..65535, was " + metricsPort);
        }
        final NodeProcess process = NodeProcess.start(config, storage, dataDir, transport, metricsPort, routed);
        final PrintWriter out = cl.getOut();
        // On SIGTERM the JVM runs this hook; the node stops answering, then its storage closes cleanly.
        final Thread hook = new Thread(() -> {
            try {
                process.close();
                out.printf("node %s stopped%n", id);
                out.flush();
            } finally {
                stopped.countDown();
            }
        }, "armature-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("node %s listening on %s%s%s (storage %s in %s, transport %s, N=%d R=%d W=%d, %d partitions, %s)%n", id,
            process.node().boundEndpoint(), advertise == null ? "" : ", advertised as " + process.endpoint(),
            zone.isEmpty() ? "" : ", zone " + zone, storage, dataDir, transport, n, r, w, partitions, secret == null ? "no cluster secret" : "cluster secret set");
        if (process.metricsPort() >= 0) {
            out.printf("metrics at http://%s:%d/metrics%n", process.endpoint().host(), process.metricsPort());
        }
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
