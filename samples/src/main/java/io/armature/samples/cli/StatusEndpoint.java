package io.armature.samples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.armature.engine.membership.Membership;
import io.armature.engine.node.Node;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code armature status}: HTTP on TCP at the node's own listen address (the transport
 * uses UDP, so the port number is free for TCP), {@code GET /status} and {@code GET
 * /status?metrics} in {@link StatusText}'s format. The engine's wire has no membership query, so
 * the node process that owns the node answers for it. What it reports is this node's view: the
 * ring it routes by and which peers its failure detector currently trusts.
 */
final class StatusEndpoint implements AutoCloseable {
    /** A probe answers within this; the manifests and the Containerfile give probes 3 s. */
    static final long PROBE_TIMEOUT_MILLIS = 2_000;

    private final HttpServer server;
    private final ExecutorService executor;

    private StatusEndpoint(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static StatusEndpoint start(final Endpoint listen, final Node node, final MeterRegistry meters) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 16);
        } catch (final IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot answer status on TCP " + listen + ": " + e.getMessage(),
                e instanceof IOException io ? io : new IOException(e));
        }
        final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "armature-status-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/status", exchange -> handle(exchange, node, meters));
        server.createContext("/health", exchange -> probe(exchange, node, false));
        server.createContext("/ready", exchange -> probe(exchange, node, true));
        server.start();
        return new StatusEndpoint(server, executor);
    }

    private static void handle(final HttpExchange exchange, final Node node, final MeterRegistry meters) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final String query = exchange.getRequestURI().getQuery();
            final boolean withMetrics = query != null && List.of(query.split("&")).contains("metrics");
            final byte[] body;
            try {
                body = StatusText.format(snapshot(node, meters, withMetrics)).getBytes(StandardCharsets.UTF_8);
            } catch (final RuntimeException e) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * The probes of a container runtime or Kubernetes. {@code /health}: 200 when the node's event
     * loop runs a task within {@link #PROBE_TIMEOUT_MILLIS} (liveness: a restart would help
     * otherwise). {@code /ready}: 200 when, in addition, the ring names this node and it has no
     * partition left to pull (readiness: it can coordinate and hold its share). Otherwise 503 with
     * the reason as the body.
     */
    private static void probe(final HttpExchange exchange, final Node node, final boolean ready) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final CompletableFuture<String> verdict = new CompletableFuture<>();
            try {
                node.context().scheduler().execute(() -> {
                    if (!node.isRunning()) {
                        verdict.complete("stopped");
                    } else if (!ready) {
                        verdict.complete("");
                    } else if (!node.membership().ring().members().contains(node.id())) {
                        verdict.complete("not in the ring yet");
                    } else {
                        final int pulling = node.streaming().pending();
                        verdict.complete(pulling == 0 ? "" : pulling + " partitions still to pull");
                    }
                });
            } catch (final RuntimeException e) {
                verdict.complete("event loop refused the probe: " + e.getMessage());
            }
            String reason;
            try {
                reason = verdict.get(PROBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (final TimeoutException e) {
                reason = "event loop did not answer in " + PROBE_TIMEOUT_MILLIS + " ms";
            } catch (final ExecutionException e) {
                reason = String.valueOf(e.getCause());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                reason = "interrupted";
            }
            final byte[] body = (reason.isEmpty() ? "ok" : reason).concat("\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            final boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(reason.isEmpty() ? 200 : 503, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Reads the node's view on its own event loop: the engine's state is single-threaded. */
    private static ClusterStatus snapshot(final Node node, final MeterRegistry meters, final boolean withMetrics) {
        final CompletableFuture<ClusterStatus> f = new CompletableFuture<>();
        node.context().scheduler().execute(() -> {
            try {
                final Membership membership = node.membership();
                final Ring ring = membership.ring();
                final List<ClusterStatus.Member> members = new ArrayList<>();
                for (final NodeId id : ring.members()) {
                    final Endpoint e = id.equals(node.id()) ? node.endpoint() : membership.endpointOf(id);
                    final String state = id.equals(node.id()) ? "up" : node.failureDetector().isAvailable(id) ? "up" : "suspected";
                    final List<Integer> owned = new ArrayList<>();
                    for (final int p : ring.partitionsOwnedBy(id)) {
                        owned.add(p);
                    }
                    members.add(new ClusterStatus.Member(id.value(), e == null ? "?" : e.toString(), state, owned));
                }
                f.complete(new ClusterStatus(node.id().value(), ring.epoch(), ring.partitionCount(), members, Map.of()));
            } catch (final RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        final ClusterStatus view = f.orTimeout(5, TimeUnit.SECONDS).join();
        // Meters are thread-safe: read them here, not on the event loop.
        return withMetrics
            ? new ClusterStatus(view.reportedBy(), view.ringEpoch(), view.partitions(), view.members(),
                Map.of(view.reportedBy(), StatusText.samples(meters)))
            : view;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
