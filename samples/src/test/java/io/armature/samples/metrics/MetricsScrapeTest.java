package io.armature.samples.metrics;

import io.armature.engine.metrics.EngineMetrics;
import io.armature.samples.testing.PrometheusTextParser;
import io.armature.samples.testing.PrometheusTextParser.Family;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /metrics} of a node's registry, read over HTTP and parsed strictly. */
class MetricsScrapeTest {
    @Test
    void theScrapeParsesWithHelpAndTypeForEveryFamilyHistogramsAndJvmMeters() throws Exception {
        final PrometheusMeterRegistry registry = NodeMeters.create();
        final EngineMetrics engine = new EngineMetrics(registry, "n1");
        engine.timer("put").record(Duration.ofMillis(3));
        engine.timer("put").record(Duration.ofMillis(40));
        engine.timer("get").record(Duration.ofMillis(1));
        try (MetricsHttpServer server = MetricsHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry)) {
            final HttpClient http = HttpClient.newHttpClient();
            final HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals(NodeMeters.CONTENT_TYPE, ok.headers().firstValue("Content-Type").orElseThrow());
            final Map<String, Family> families = PrometheusTextParser.parse(ok.body());

            final Family requests = families.get("armature_requests_seconds");
            assertEquals("histogram", requests.type(), "buckets, so percentiles aggregate across nodes: " + families.keySet());
            assertTrue(requests.samples().stream().anyMatch(s -> s.name().equals("armature_requests_seconds_count")
                && s.labels().get("op").equals("put") && s.labels().get("node").equals("n1") && s.value() == 2), requests.toString());
            assertTrue(requests.samples().stream().noneMatch(s -> s.labels().containsKey("quantile")), "no per-node quantiles");
            for (final String jvm : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds", "jvm_classes_loaded_classes"}) {
                assertTrue(families.containsKey(jvm), jvm + " in " + families.keySet());
            }
            assertFalse(families.containsKey("armature_requests_count"), "the old hand-written name is gone");

            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/other")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    @Test
    void theParserRefusesWhatPrometheusWould() {
        for (final String bad : new String[] {
            "# TYPE a counter\na 1\n",
            "# HELP a x\na 1\n",
            "# HELP a x\n# TYPE a gauge\na{l=unquoted} 1\n",
            "# HELP a x\n# TYPE a gauge\na one\n",
            "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n",
            "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 1\n",
            "# HELP a x\n# TYPE a gauge\na 1"}) {
            boolean refused = false;
            try {
                PrometheusTextParser.parse(bad);
            } catch (final AssertionError expected) {
                refused = true;
            }
            assertTrue(refused, "accepted: " + bad);
        }
        assertEquals(1, PrometheusTextParser.parse("# HELP a x\n# TYPE a gauge\na{l=\"q\\\"\\n\"} 1.5e3 1700000000\n").size());
    }
}
