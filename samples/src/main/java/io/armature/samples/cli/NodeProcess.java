package io.armature.samples.cli;

import io.armature.api.ArmatureException;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.membership.Membership;
import io.armature.engine.membership.RingDistribution;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.node.Node;
import io.armature.engine.node.NodeContext;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.runtime.NodeRuntime;
import io.armature.engine.runtime.OffsetClock;
import io.armature.samples.metrics.MetricsHttpServer;
import io.armature.spi.PluginRegistry;
import io.armature.spi.runtime.Clock;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.armature.samples.metrics.NodeMeters;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One node of a cluster in this process, as {@code armature node} runs it: storage opened from
 * the data directory, a transport, the node on its own event loop, optionally its meters over
 * HTTP. Production wiring, so it owns threads and seeds its random source from the OS.
 */
final class NodeProcess implements AutoCloseable {
    private static final long WAIT_SECONDS = 30;

    private final StorageEngine storage;
    private final NodeRuntime runtime;
    private final Node node;
    private final MeterRegistry meters;
    private final MetricsHttpServer metrics;
    private final StatusEndpoint status;
    private boolean closed;

    private NodeProcess(final StorageEngine storage, final NodeRuntime runtime, final Node node, final MeterRegistry meters,
                        final MetricsHttpServer metrics, final StatusEndpoint status) {
        this.storage = storage;
        this.runtime = runtime;
        this.node = node;
        this.meters = meters;
        this.metrics = metrics;
        this.status = status;
    }

    /**
     * @param config the node's settings
     * @param storageId storage plugin
     * @param dataDir where the storage keeps its files
     * @param transportId transport plugin
     * @param metricsPort HTTP port for the meters, or null for none
     * @param settings the plugins' settings ({@code --set})
     * @return the running node
     */
    static NodeProcess start(final NodeConfig config, final String storageId, final Path dataDir, final String transportId,
                             final Integer metricsPort, final PluginSettings settings) {
        final Membership membership = membership(config);
        final PrometheusMeterRegistry meters = NodeMeters.create();
        final StorageEngine storage = PluginRegistry.storage().get(storageId)
            .open(withProperties(StorageConfig.builder().directory(dataDir), settings.storage).build());
        NodeRuntime runtime = null;
        MetricsHttpServer metrics = null;
        StatusEndpoint status = null;
        Node started = null;
        try {
            // The node's event loop drives the transport (no media driver threads of its own):
            // on a machine of few cores a process then has one busy thread, not three.
            final TransportConfig.Builder tc = TransportConfig.builder().ownerDriven(true);
            settings.transport.forEach(tc::property);
            final Transport transport = PluginRegistry.transport().get(transportId).create(tc.build());
            runtime = new NodeRuntime(config.nodeId().value(), transport);
            final OffsetClock clock = settings.clockOffsetMillis == null ? null : new OffsetClock(Clock.system(), settings.clockOffsetMillis);
            final Node node = new Node(new NodeContext(config, storage, transport, clock == null ? Clock.system() : clock, runtime,
                new SplittableRandom(new SecureRandom().nextLong()), meters, membership, null));
            runtime.runAndWait(node::start, WAIT_SECONDS);
            started = node;
            // TCP on the address the node bound (a wildcard, perhaps); clients find it at the advertised one.
            status = StatusEndpoint.start(node.boundEndpoint(), node, meters, clock);
            if (metricsPort != null) {
                metrics = MetricsHttpServer.start(new InetSocketAddress(metricsPort), meters);
            }
            return new NodeProcess(storage, runtime, node, meters, metrics, status);
        } catch (final RuntimeException e) {
            if (status != null) {
                status.close();
            }
            if (started != null) {
                runtime.runAndWait(started::stop, WAIT_SECONDS);
            }
            if (runtime != null) {
                runtime.close();
            }
            storage.close();
            throw e;
        }
    }

    private static StorageConfig.Builder withProperties(final StorageConfig.Builder b, final java.util.Map<String, String> properties) {
        properties.forEach(b::property);
        return b;
    }

    /**
     * The membership the node starts from. The first node names itself as its only seed and creates
     * the ring; any other node (or a restarted one) joins through its seeds: it holds no ring until
     * the claimant adds it (docs/repair.md, "Ring distribution and join"). A ring persisted in the
     * data directory always wins over this starting point.
     */
    private static Membership membership(final NodeConfig config) {
        final NodeId self = config.nodeId();
        final Endpoint advertise = config.advertise();
        final Endpoint reachable = advertise == null ? config.listen()
            : advertise.port() == 0 ? new Endpoint(advertise.host(), config.listen().port()) : advertise;
        final boolean first = config.seeds().isEmpty()
            || config.seeds().stream().allMatch(s -> s.equals(config.listen()) || s.equals(reachable));
        if (!first) {
            return new RingDistribution.Joining(self, reachable, config.partitions(), config.zone());
        }
        return new StaticMembership(Ring.create(config.partitions(), Map.of(self, config.zone())), Map.of(self, reachable));
    }

    Node node() {
        return node;
    }

    Endpoint endpoint() {
        return node.endpoint();
    }

    MeterRegistry meters() {
        return meters;
    }

    /**
     * @return the metrics HTTP port, or -1 without one
     */
    int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /**
     * Stops the node, then closes its transport, event loop, storage and metrics server.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (metrics != null) {
                metrics.close();
            }
            status.close();
            runtime.runAndWait(node::stop, WAIT_SECONDS);
        } finally {
            runtime.close();
            storage.close();
        }
    }
}
