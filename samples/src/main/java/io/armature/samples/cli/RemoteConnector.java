package io.armature.samples.cli;

import io.armature.api.ClusterUnavailableException;
import io.armature.api.InvalidRequestException;
import io.armature.api.KvClient;
import io.armature.engine.client.RemoteKvClient;
import io.armature.engine.config.StoreSettings;
import io.armature.spi.PluginRegistry;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reaches a cluster over a transport plugin with the engine's {@link RemoteKvClient}: Aeron for a
 * real cluster, or the in-JVM {@code local} transport in tests.
 */
public final class RemoteConnector implements ClusterConnector {
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    private final String transportId;
    private final Map<String, String> transportProperties;
    private final StoreSettings limits;

    /**
     * A connector over Aeron with the store's default settings.
     */
    public RemoteConnector() {
        this("aeron", Map.of(), StoreSettings.defaults());
    }

    /**
     * @param transportId the transport plugin the cluster speaks
     * @param transportProperties its settings
     * @param limits the cluster's store settings (N, R, W, timeouts, size limits) the client checks requests against
     */
    public RemoteConnector(final String transportId, final Map<String, String> transportProperties, final StoreSettings limits) {
        this.transportId = Objects.requireNonNull(transportId, "transportId");
        this.transportProperties = new TreeMap<>(transportProperties);
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public KvClient connect(final List<Endpoint> seeds, final byte[] secret) {
        // The client's loop drives its transport: no busy media driver threads beside the bench.
        final TransportConfig.Builder config = TransportConfig.builder().ownerDriven(true);
        transportProperties.forEach(config::property);
        final Transport transport = PluginRegistry.transport().get(transportId).create(config.build());
        try {
            return RemoteKvClient.connect(transport, new Endpoint(replyHost(seeds), 0), seeds, limits, secret);
        } catch (final RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /**
     * Asks the seeds in turn for their view ({@link StatusEndpoint}, HTTP on TCP at a node's
     * listen address), then every other member for its own load (and, with metrics, its meters);
     * a member that does not answer has no load in the result.
     */
    @Override
    public ClusterStatus status(final List<Endpoint> seeds, final byte[] secret, final boolean withMetrics) {
        return status(seeds, secret, withMetrics, null);
    }

    @Override
    public ClusterStatus status(final List<Endpoint> seeds, final byte[] secret, final boolean withMetrics, final Duration given) {
        final Duration timeout = given == null ? STATUS_TIMEOUT : given;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        final List<String> failures = new ArrayList<>();
        for (final Endpoint seed : seeds) {
            final ClusterStatus view;
            try {
                view = fetch(http, seed.toString(), secret, withMetrics, timeout);
            } catch (final IOException | IllegalArgumentException e) {
                failures.add(seed + " (" + e.getMessage() + ")");
                continue;
            }
            final Map<String, List<ClusterStatus.MeterSample>> meters = new TreeMap<>(view.meters());
            final Map<String, ClusterStatus.Load> loads = new TreeMap<>(view.loads());
            for (final ClusterStatus.Member m : view.members()) {
                if (loads.containsKey(m.nodeId()) || m.address().equals("?") || m.state().equals("left") && !m.inRing()) {
                    continue;
                }
                try {
                    final ClusterStatus theirs = fetch(http, m.address(), secret, withMetrics, timeout);
                    if (theirs.reportedBy().equals(m.nodeId())) {
                        meters.putAll(theirs.meters());
                        loads.putAll(theirs.loads());
                    }
                } catch (final IOException | IllegalArgumentException e) {
                    if (withMetrics) {
                        meters.put(m.nodeId(), List.of());
                    }
                }
            }
            return new ClusterStatus(view.reportedBy(), view.ringEpoch(), view.partitions(), view.members(), meters, loads);
        }
        throw new ClusterUnavailableException("status: no node answered: " + String.join(", ", failures));
    }

    @Override
    public String admin(final List<Endpoint> seeds, final byte[] secret, final String method, final String pathAndQuery) {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(STATUS_TIMEOUT).build();
        final List<String> failures = new ArrayList<>();
        for (final Endpoint seed : seeds) {
            final HttpResponse<String> response;
            try {
                response = send(http, seed.toString(), secret, method, pathAndQuery, ADMIN_TIMEOUT);
            } catch (final IOException e) {
                failures.add(seed + " (" + e.getMessage() + ")");
                continue;
            }
            if (response.statusCode() == 200) {
                return response.body();
            }
            throw new InvalidRequestException(seed + " refused: " + response.body().strip() + " (HTTP " + response.statusCode() + ")");
        }
        throw new ClusterUnavailableException("no node answered: " + String.join(", ", failures));
    }

    private static ClusterStatus fetch(final HttpClient http, final String address, final byte[] secret, final boolean withMetrics,
                                       final Duration timeout)
        throws IOException {
        final HttpResponse<String> response = send(http, address, secret, "GET", "/status" + (withMetrics ? "?metrics" : ""),
            timeout);
        if (response.statusCode() != 200) {
            throw new IOException("answered HTTP " + response.statusCode() + ": " + response.body().strip());
        }
        return StatusText.parse(response.body());
    }

    private static HttpResponse<String> send(final HttpClient http, final String address, final byte[] secret, final String method,
                                             final String pathAndQuery, final Duration timeout) throws IOException {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + address + pathAndQuery)).timeout(timeout)
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (secret != null) {
            final long now = System.currentTimeMillis();
            b.header(StatusAuth.TIME, Long.toString(now)).header(StatusAuth.SIGNATURE, StatusAuth.sign(secret, method, pathAndQuery, now));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Where replies should come back to: for a network transport, the local address the route to
     * the first seed leaves from (so a node on another machine can answer); for the in-JVM
     * transport, just a name.
     */
    private String replyHost(final List<Endpoint> seeds) {
        if (!"aeron".equals(transportId) || seeds.isEmpty()) {
            return "armature-cli";
        }
        final Endpoint seed = seeds.get(0);
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(seed.host(), seed.port()));
            final InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local.getHostAddress();
            }
        } catch (final IOException | IllegalArgumentException e) {
            throw new ClusterUnavailableException("cannot route to " + seed + ": " + e.getMessage());
        }
        return InetAddress.getLoopbackAddress().getHostAddress();
    }
}
