package io.armature.samples.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code armature node} as an operator runs it: a real process on BerkeleyDB JE and Aeron, reached
 * by {@code armature put/get} processes, scraped over HTTP, stopped with SIGTERM and restarted on
 * its data.
 */
class NodeProcessTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final String LAUNCHER = MODULE.getParent().resolve("bin/armature").toString();

    record Result(int exit, String out, String err) {
    }

    private static Result cli(final String... args) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>(List.of(LAUNCHER));
        cmd.addAll(List.of(args));
        final Path out = Files.createTempFile("cli-out", ".txt");
        final Path err = Files.createTempFile("cli-err", ".txt");
        try {
            final Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A node process whose standard output is read line by line. */
    private static final class NodeRun implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        NodeRun(final String... args) throws IOException {
            final List<String> cmd = new ArrayList<>(List.of(LAUNCHER, "node"));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (final IOException e) {
                    lines.add("read failed: " + e);
                }
            }, "node-output");
            reader.setDaemon(true);
            reader.start();
        }

        String await(final String prefix) throws InterruptedException {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            final StringBuilder seen = new StringBuilder();
            while (System.nanoTime() < deadline) {
                final String l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null) {
                    seen.append(l).append('\n');
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                } else if (!process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("no line starting with '" + prefix + "'; output:\n" + seen);
        }

        int terminate() throws InterruptedException {
            // Through the handle: Process.destroy would also close our end of its output, losing the last lines.
            process.toHandle().destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the node did not stop on SIGTERM");
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * {@code armature node --config FILE} on BerkeleyDB JE and Aeron: a file that sets a value other
     * than the default in every section (the node's own options, the storage, transport and node
     * settings under {@code set}, metrics and logging), each seen in what the running node does;
     * and a flag given on the command line wins over the file's key.
     */
    @Test
    @Timeout(180)
    void aNodeRunsOnItsConfigFileAndFlagsOverrideIt(@TempDir final Path dir) throws Exception {
        final int port = freeUdpPort();
        final int metricsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        final String advertised = "127.0.0.1:" + port;
        final Path aeronDir = dir.resolve("aeron");
        final Path log = dir.resolve("n1.log");
        final Path config = dir.resolve("armature.yaml");
        Files.writeString(config, String.join("\n",
            "id: n1",
            "listen: 0.0.0.0:" + port,
            "advertise: " + advertised,
            "zone: from-file",
            "seeds: [" + advertised + "]",
            "data-dir: " + dir.resolve("n1"),
            "storage: bdb",
            "transport: aeron",
            "partitions: 64",
            "n: 1",
            "r: 1",
            "w: 1",
            "metrics-port: " + metricsPort,
            "log-level: WARNING",
            "log-file: " + log,
            "set:",
            "  bdb.cache-size: 48m",
            "  aeron.dir: " + aeronDir,
            "  node.record-cache: 1m",
            ""));
        try (NodeRun node = new NodeRun("--config", config.toString(), "--zone", "from-flag")) {
            final String listening = node.await("node n1 listening on");
            assertTrue(listening.contains("0.0.0.0:" + port) && listening.contains("advertised as " + advertised)
                && listening.contains("zone from-flag") && listening.contains("storage bdb") && listening.contains("64 partitions"), listening);
            assertTrue(Files.exists(aeronDir.resolve("cnc.dat")), "aeron.dir from the file: " + aeronDir);

            final Result status = cli("status", "--cluster", advertised, "--json");
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.out().contains("\"ring\":{\"epoch\":1,\"partitions\":64}"), "partitions from the file: " + status.out());
            assertTrue(status.out().contains("{\"node\":\"n1\",\"address\":\"" + advertised + "\",\"zone\":\"from-flag\","),
                "the advertised address from the file, the zone from the flag: " + status.out());

            assertEquals(0, cli("put", "--cluster", advertised, "--w", "1", "k", "v").exit());
            final Result tooMany = cli("put", "--cluster", advertised, "--w", "2", "k", "v2");
            assertEquals(2, tooMany.exit(), "n: 1 from the file, so W=2 is refused: " + tooMany);

            final HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode(), "metrics-port from the file");
            final var families = io.armature.samples.testing.PrometheusTextParser.parse(scrape.body());
            assertEquals(48L << 20, (long) families.get("armature_storage_cache_size_bytes").samples().get(0).value(),
                "bdb.cache-size from the file's set: section reached JE");

            assertEquals(143, node.terminate(), "SIGTERM");
        }
        assertTrue(Files.readAllLines(log).stream().noneMatch(l -> l.contains(" INFO ")),
            "log-level WARNING from the file: no INFO line in " + log);
    }

    @Test
    @Timeout(180)
    void aNodeServesClientsAndMetricsStopsOnSigtermAndRestartsFromItsData(@TempDir final Path dir) throws Exception {
        final String address = "127.0.0.1:" + freeUdpPort();
        final String[] args = {"--id", "n1", "--listen", address, "--seeds", address, "--data-dir", dir.resolve("n1").toString(),
            "--n", "1", "--r", "1", "--w", "1", "--metrics-port", "0", "--log-file", dir.resolve("n1.log").toString()};
        try (NodeRun node = new NodeRun(args)) {
            assertTrue(node.await("node n1 listening on").contains("storage bdb"));
            assertTrue(Files.readAllLines(dir.resolve("n1.log")).stream()
                .anyMatch(l -> l.matches("\\S+Z INFO io\\.armature\\.spi\\.PluginRegistry using storage plugin 'bdb' .*")),
                "INFO by default, one line per event, also in --log-file");
            final Matcher m = Pattern.compile("metrics at (http://\\S+)").matcher(node.await("metrics at "));
            assertTrue(m.find());

            final Result put = cli("put", "--cluster", address, "colour", "blue", "--w", "1");
            assertEquals(0, put.exit(), put.toString());
            assertEquals("", put.err(), "nothing but the answer: " + put);
            final Result get = cli("get", "--cluster", address, "--json", "--r", "1", "colour");
            assertEquals("{\"command\":\"get\",\"found\":true,\"encoding\":\"utf8\",\"values\":[\"blue\"],\"context\":\"" + put.out().strip() + "\"}", get.out().strip(), get.toString());
            final Result tooMany = cli("put", "--cluster", address, "colour", "red", "--w", "2");
            assertEquals(2, tooMany.exit(), "W=2 exceeds this node's N=1: " + tooMany);

            final HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            final var families = io.armature.samples.testing.PrometheusTextParser.parse(scrape.body());
            assertTrue(families.get("armature_requests_seconds").samples().stream().anyMatch(s -> s.name().equals("armature_requests_seconds_count")
                && "put".equals(s.labels().get("op")) && s.value() == 1), scrape.body());
            // What the plugins report through the SPI (JE, Aeron) and the repair gauges, on a real node.
            assertTrue(families.get("armature_storage_disk_bytes").samples().get(0).value() > 0, "JE's log holds the put");
            for (final String family : List.of("armature_storage_cache_size_bytes", "armature_storage_cache_used_bytes",
                "armature_storage_cleaner_backlog_bytes", "armature_transport_back_pressure_total", "armature_sends_failed_total",
                "armature_transfers_pending", "armature_transfers_releasing", "armature_hints_pending", "armature_read_repairs_total",
                "armature_antientropy_keys_repaired_total")) {
                assertTrue(families.containsKey(family), family + " in " + families.keySet());
            }

            for (final String probe : List.of("/health", "/ready")) {
                final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + address + probe))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), probe + ": " + answer.body());
                assertEquals(probe.equals("/health") ? "ok\n" : "ready\n", answer.body(), probe);
            }

            final Result status = cli("status", "--cluster", address);
            assertEquals(0, status.exit(), status.toString());
            final List<String> lines = status.out().lines().toList();
            assertEquals("ring epoch 1, 256 partitions, 1 members (as seen by n1)", lines.get(0), status.out());
            // NODE ADDRESS STATE EPOCH OWNED ... PARTITIONS (the status table of 'armature cluster')
            assertTrue(lines.get(2).matches("n1\\s+" + Pattern.quote(address) + "\\s+up\\s+1\\s+256\\s.*\\s0-255"), status.out());
            final Result withMeters = cli("status", "--cluster", "127.0.0.1:1," + address, "--metrics");
            assertEquals(0, withMeters.exit(), "the first seed does not answer, the second does: " + withMeters);
            assertTrue(withMeters.out().contains("meters of n1:"), withMeters.out());
            assertTrue(withMeters.out().contains("  armature.requests{node=n1, op=put} count 1"), withMeters.out());

            assertEquals(143, node.terminate(), "SIGTERM");
            node.await("node n1 stopped");
        }
        try (NodeRun again = new NodeRun(args)) {
            again.await("node n1 listening on");
            final Result get = cli("get", "--cluster", address, "--r", "1", "colour");
            assertEquals(0, get.exit(), get.toString());
            assertTrue(get.out().startsWith("value: blue\n"), "restarted from its data: " + get);
            again.terminate();
        }
        final Result gone = cli("get", "--cluster", address, "--r", "1", "colour");
        assertEquals(4, gone.exit(), "no node answers: " + gone);
        assertEquals(1, gone.err().lines().count(), gone.toString());
        final Result noStatus = cli("status", "--cluster", address);
        assertEquals(4, noStatus.exit(), noStatus.toString());
        assertEquals(1, noStatus.err().lines().count(), noStatus.toString());
    }
}
