package io.armature.samples.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a Prometheus registry at {@code GET /metrics} in the Prometheus text format (0.0.4), on the JDK's own
 * HTTP server (one daemon thread: a scrape is cheap and rare). Other paths answer 404.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsHttpServer(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param address where to listen (port 0 picks a free port)
     * @param registry the meters to serve
     * @return the started server
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static MetricsHttpServer start(final InetSocketAddress address, final PrometheusMeterRegistry registry) {
        final HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + address + ": " + e.getMessage(), e);
        }
        final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "armature-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, registry));
        server.start();
        return new MetricsHttpServer(server, executor);
    }

    /**
     * @return the port the server listens on
     */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(final HttpExchange exchange, final PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            final String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (!"/metrics".equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            final byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", NodeMeters.CONTENT_TYPE);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
