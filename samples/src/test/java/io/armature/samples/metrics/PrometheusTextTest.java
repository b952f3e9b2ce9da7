package io.armature.samples.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextTest {
    /** Micrometer holds a gauge's object weakly: keep it here. */
    private final AtomicInteger pending = new AtomicInteger(7);

    private SimpleMeterRegistry registry() {
        final SimpleMeterRegistry r = new SimpleMeterRegistry();
        Counter.builder("armature.read.repairs").tag("node", "n\"1").register(r).increment(3);
        Counter.builder("armature.read.repairs").tag("node", "n2").register(r).increment();
        final Timer t = Timer.builder("armature.requests").tag("op", "get").publishPercentiles(0.5, 0.99).register(r);
        t.record(2, TimeUnit.MILLISECONDS);
        t.record(4, TimeUnit.MILLISECONDS);
        Gauge.builder("armature.hints.pending", pending, AtomicInteger::get).register(r);
        return r;
    }

    @Test
    void writesEachMeasurementOnceWithOneTypeLinePerName() {
        final String text = PrometheusText.scrape(registry());
        final List<String> lines = text.lines().toList();
        assertTrue(lines.contains("# TYPE armature_read_repairs_total counter"), text);
        assertTrue(lines.contains("armature_read_repairs_total{node=\"n\\\"1\"} 3"), text);
        assertTrue(lines.contains("armature_read_repairs_total{node=\"n2\"} 1"), text);
        assertEquals(1, lines.stream().filter(l -> l.equals("# TYPE armature_read_repairs_total counter")).count());
        assertTrue(lines.contains("armature_requests_count{op=\"get\"} 2"), text);
        assertTrue(lines.contains("armature_requests_seconds_sum{op=\"get\"} 0.006"), text);
        assertTrue(lines.contains("# TYPE armature_requests_seconds summary"), text);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("armature_requests_seconds{op=\"get\",quantile=\"0.99\"} ")), text);
        assertTrue(lines.contains("# TYPE armature_hints_pending gauge"), text);
        assertTrue(lines.contains("armature_hints_pending 7"), text);
        for (final String l : lines) {
            assertTrue(l.startsWith("# TYPE ") || l.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? \\S+"), "well-formed: " + l);
        }
    }

    @Test
    void sanitizesNames() {
        assertEquals("armature_requests", PrometheusText.sanitize("armature.requests"));
        assertEquals("_9lives", PrometheusText.sanitize("9lives"));
        assertEquals("a_b_c", PrometheusText.sanitize("a-b c"));
    }

    @Test
    void servesTheRegistryOverHttp() throws Exception {
        try (MetricsHttpServer server = MetricsHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry())) {
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            final HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals(PrometheusText.CONTENT_TYPE, ok.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(ok.body().contains("armature_hints_pending 7"), ok.body());
            final HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/other"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }
}
