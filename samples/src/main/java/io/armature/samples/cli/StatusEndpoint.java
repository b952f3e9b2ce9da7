package io.armature.samples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.armature.engine.membership.Membership;
import io.armature.engine.node.Node;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.runtime.OffsetClock;
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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code armature status}: HTTP on TCP at the node's own listen address (the transport
 * uses UDP, so the port number is free for TCP), {@code GET /status} and {@code GET
 * /status?metrics} in {@link StatusText}'s format. The engine's wire has no membership query, so
 * the node process that owns the node answers for it. What it reports is this node's view: the
 * ring it routes by and which peers its failure detector currently trusts.
 */
final class StatusEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private StatusEndpoint(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static StatusEndpoint start(final Endpoint listen, final Node node, final MeterRegistry meters) {
        return start(listen, node, meters, null);
    }

    /**
     * @param clock the node's clock when {@code node.clock-offset} is set: then {@code POST
     *     /control/clock-offset?millis=N} moves it (the chaos harness's clock jump), else null and no such path
     */
    static StatusEndpoint start(final Endpoint listen, final Node node, final MeterRegistry meters, final OffsetClock clock) {
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
        if (clock != null) {
            server.createContext("/control/clock-offset", exchange -> clockOffset(exchange, clock));
        }
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

    private static void clockOffset(final HttpExchange exchange, final OffsetClock clock) throws IOException {
        try (exchange) {
            final String query = exchange.getRequestURI().getQuery();
            if (!"POST".equals(exchange.getRequestMethod()) || query == null || !query.startsWith("millis=")) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            final long millis;
            try {
                millis = Long.parseLong(query.substring("millis=".length()));
            } catch (final NumberFormatException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            clock.offsetMillis(millis);
            final byte[] body = ("clock-offset " + millis + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
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
