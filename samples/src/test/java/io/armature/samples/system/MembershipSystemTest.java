package io.armature.samples.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.engine.config.StoreSettings;
import io.armature.samples.cli.ArmatureCli;
import io.armature.samples.cli.ClusterStatus;
import io.armature.samples.cli.RemoteConnector;
import io.armature.spi.transport.Endpoint;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Five {@code armature node} processes on 127.0.0.1 (BerkeleyDB JE, Aeron) go through every
 * membership command while a writer keeps writing: n4 leaves ({@code cluster leave}, {@code plan},
 * {@code commit}), n3 is killed and removed ({@code cluster remove}), n2 is killed and replaced by
 * a new n5 ({@code cluster replace}); {@code status --json}, {@code /health} and {@code /ready}
 * are checked on the way. At the end three members remain (N=3) and every acknowledged write is
 * read back with R=3. About two minutes on two shared cores: it runs with {@code -Psystem}.
 */
@Tag("system")
class MembershipSystemTest {
    private static final String MAIN = "io.armature.samples.cli.ArmatureCli";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int NODES = 6;
    private static final int MAX_WRITES = 20_000;

    private final Process[] processes = new Process[NODES];
    private final Endpoint[] endpoints = new Endpoint[NODES];
    private final RemoteConnector connector = new RemoteConnector("aeron", Map.of(), StoreSettings.builder().build());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicInteger attempted = new AtomicInteger();
    private Thread writer;

    @TempDir
    Path dir;

    @AfterEach
    void destroyEveryProcess() throws InterruptedException {
        writing.set(false);
        if (writer != null) {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        for (final Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (final Process p : processes) {
            if (p != null) {
                NodeProcesses.deleteAeronDirectory(p.pid());
            }
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void leaveRemoveAndReplaceWithWritesRunningLoseNoAcknowledgedWrite() throws Exception {
        for (int i = 0; i < NODES; i++) {
            endpoints[i] = new Endpoint("127.0.0.1", NodeProcesses.freePort());
        }
        for (int i = 0; i < 5; i++) {
            processes[i] = startNode(i);
        }
        await("all five in one ring, every node ready", () -> {
            final ClusterStatus s = status(0);
            return s != null && s.members().stream().filter(ClusterStatus.Member::inRing).count() == 5 && allReady(s, 5);
        });
        assertEquals(0, cli("status", "--cluster", endpoints[0].toString()).exit, "a settled cluster is healthy");
        startWriter();
        awaitWrites(50);

        assertEquals(0, cli("cluster", "leave", "n1", "--cluster", endpoints[0].toString()).exit);
        final Run cleared = cli("cluster", "clear", "--cluster", endpoints[0].toString());
        assertEquals("cleared 1 staged change\n", cleared.out, cleared.toString());
        assertEquals("no changes staged\n", cli("cluster", "plan", "--cluster", endpoints[0].toString()).out);

        // Leave: staged, planned, committed; n4 streams its partitions away and gossips LEFT.
        final Run staged = cli("cluster", "leave", "n4", "--cluster", endpoints[0].toString());
        assertEquals(0, staged.exit, staged.toString());
        assertTrue(staged.out.startsWith("staged: leave n4"), staged.out);
        final Run plan = cli("cluster", "plan", "--cluster", endpoints[0].toString());
        assertEquals(0, plan.exit, plan.toString());
        assertTrue(plan.out.contains("ring epoch ") && plan.out.contains("n4 releases "), plan.out);
        final Run commit = cli("cluster", "commit", "--cluster", endpoints[0].toString());
        assertEquals(0, commit.exit, commit.toString());
        assertTrue(commit.out.startsWith("committed: leave n4 -> ring epoch "), commit.out);
        await("n4 left and every member is ready", () -> {
            final ClusterStatus s = status(0);
            return s != null && state(s, "n4").equals("left") && allReady(s, 4);
        });
        kill(4);
        awaitWrites(acknowledged.size() + 50);

        // Remove: n3 dies for good; its partitions are rebuilt from the other replicas.
        kill(3);
        await("n0 suspects n3", () -> {
            final ClusterStatus s = status(0);
            return s != null && state(s, "n3").equals("suspected");
        });
        assertEquals(5, cli("status", "--cluster", endpoints[0].toString()).exit, "a member down: unhealthy");
        assertEquals(2, cli("cluster", "leave", "n3", "--cluster", endpoints[0].toString()).exit,
            "a dead node cannot leave (it cannot stream): remove it");
        assertEquals(0, cli("cluster", "remove", "n3", "--cluster", endpoints[0].toString()).exit);
        assertEquals(0, cli("cluster", "commit", "--cluster", endpoints[0].toString()).exit);
        await("n3 out of the ring and every member ready", () -> {
            final ClusterStatus s = status(0);
            return s != null && !inRing(s, "n3") && allReady(s, 3);
        });
        awaitWrites(acknowledged.size() + 50);

        // Replace: n2 dies; n5 takes exactly its partitions.
        kill(2);
        assertEquals(0, cli("cluster", "replace", "n2", "n5", "--cluster", endpoints[0].toString()).exit);
        final Run replaced = cli("cluster", "commit", "--cluster", endpoints[0].toString());
        assertTrue(replaced.out.startsWith("committed: replace n2 by n5 -> ring epoch "), replaced.toString());
        processes[5] = startNode(5);
        await("n5 in the ring, n2 not, every member ready", () -> {
            final ClusterStatus s = status(0);
            return s != null && inRing(s, "n5") && !inRing(s, "n2") && allReady(s, 3);
        });
        assertTrue(Files.readString(dir.resolve("n5.log")).contains(" INFO "),
            "n5 runs on the README's file, whose log-level WARNING the --log-level INFO flag overrides");
        awaitWrites(acknowledged.size() + 50);
        writing.set(false);
        writer.join(TimeUnit.SECONDS.toMillis(30));

        final Run json = cli("status", "--json", "--cluster", endpoints[0].toString());
        assertEquals(0, json.exit, "three members, all up, one ring: healthy: " + json);
        assertTrue(json.out.startsWith("{\"schema\":1,\"reportedBy\":\"n0\",\"healthy\":true,"), json.out);
        assertEquals(200, httpGet(endpoints[5], "/ready"));
        assertEquals(200, httpGet(endpoints[0], "/ready"));
        assertEquals(200, httpGet(endpoints[1], "/health"));

        try (KvClient client = connector.connect(List.of(endpoints[0], endpoints[1], endpoints[5]), null)) {
            for (final Map.Entry<String, String> e : acknowledged.entrySet()) {
                final ReadResult<byte[]> r = client.blocking().get(e.getKey().getBytes(StandardCharsets.UTF_8),
                    Consistency.defaults().withR(3));
                assertTrue(r.values().stream().anyMatch(v -> new String(v, StandardCharsets.UTF_8).equals(e.getValue())),
                    "acknowledged write " + e.getKey() + " read back with R=3");
            }
        }
        for (final String shown : readmeOperations()) {
            assertTrue(ran.contains(shown), "the README's '" + shown + "' was run by this test; it ran " + ran);
        }
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO, "membership system test: " + acknowledged.size()
            + " acknowledged writes of " + attempted.get() + " read back");
    }

    /** @return the command lines of the README's operations block, comments dropped */
    static List<String> readmeOperations() throws IOException {
        final List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        final int begin = lines.indexOf("<!-- operations: begin -->");
        final int end = lines.indexOf("<!-- operations: end -->");
        assertTrue(begin >= 0 && end > begin, "the README has an operations block");
        final List<String> out = new ArrayList<>();
        for (final String l : lines.subList(begin + 1, end)) {
            if (l.startsWith("bin/armature ") || l.startsWith("curl ")) {
                final int hash = l.indexOf(" #");
                out.add((hash < 0 ? l : l.substring(0, hash)).strip());
            }
        }
        assertTrue(out.size() >= 8, "the operations block shows its commands: " + out);
        return out;
    }

    private void startWriter() {
        writer = new Thread(() -> {
            try (KvClient client = connector.connect(List.of(endpoints[0], endpoints[1]), null)) {
                for (int i = 0; writing.get() && i < MAX_WRITES; i++) {
                    attempted.incrementAndGet();
                    final String key = "w-" + i;
                    final String value = "v-" + i;
                    try {
                        client.blocking().put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                            Context.empty(), Consistency.defaults().withW(2));
                        acknowledged.put(key, value);
                    } catch (final RuntimeException e) {
                        // Not acknowledged: nothing to read back.
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }, "membership-test-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private void awaitWrites(final int atLeast) {
        await(atLeast + " acknowledged writes", () -> acknowledged.size() >= atLeast);
    }

    private void kill(final int i) throws InterruptedException {
        processes[i].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        NodeProcesses.deleteAeronDirectory(processes[i].pid());
    }

    private ClusterStatus status(final int i) {
        try {
            return connector.status(List.of(endpoints[i]), null, false);
        } catch (final RuntimeException e) {
            return null;
        }
    }

    private static String state(final ClusterStatus s, final String id) {
        return s.members().stream().filter(m -> m.nodeId().equals(id)).map(ClusterStatus.Member::state).findFirst().orElse("?");
    }

    private static boolean inRing(final ClusterStatus s, final String id) {
        return s.members().stream().anyMatch(m -> m.nodeId().equals(id) && m.inRing());
    }

    /** Every ring member reported itself ready, all on the reporter's ring, and nothing moves any more. */
    private static boolean allReady(final ClusterStatus s, final int members) {
        int ready = 0;
        for (final ClusterStatus.Member m : s.members()) {
            final ClusterStatus.Load l = s.loads().get(m.nodeId());
            if (m.inRing()) {
                if (l == null || !l.ready() || l.ringEpoch() != s.ringEpoch() || l.transfersOut() > 0 || l.releasing() > 0) {
                    return false;
                }
                ready++;
            }
        }
        return ready == members;
    }

    private int httpGet(final Endpoint e, final String path) throws IOException, InterruptedException {
        ran.add(asInReadme("curl http://" + e + path));
        return http.send(HttpRequest.newBuilder(URI.create("http://" + e + path)).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private record Run(int exit, String out, String err) {
    }

    /** Every command line run, with the nodes' addresses as the README writes them (n0 at 127.0.0.1:7001...). */
    private final java.util.Set<String> ran = ConcurrentHashMap.newKeySet();

    private String asInReadme(final String line) {
        String s = line;
        for (int i = 0; i < NODES; i++) {
            s = s.replace(endpoints[i].toString(), "127.0.0.1:" + (7001 + i));
        }
        return s;
    }

    private Run cli(final String... args) {
        ran.add(asInReadme("bin/armature " + String.join(" ", args)));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cl = ArmatureCli.commandLine(connector);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        final int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * The README's {@code n5.yaml}, with this run's addresses and data directory: the replacement
     * starts from the very file the README shows.
     */
    private Path readmeConfig(final Path data) throws IOException {
        final List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        final int begin = lines.indexOf("<!-- operations: begin -->");
        final int yaml = lines.subList(begin, lines.size()).indexOf("```yaml") + begin;
        final int end = lines.subList(yaml, lines.size()).indexOf("```") + yaml;
        assertTrue(yaml > begin && end > yaml, "the operations block shows a config file");
        String text = String.join("\n", lines.subList(yaml + 1, end)) + "\n";
        for (int i = 0; i < NODES; i++) {
            text = text.replace("127.0.0.1:" + (7001 + i), endpoints[i].toString());
        }
        text = text.replace("/var/lib/armature/n5", data.toString());
        final Path file = dir.resolve("n5.yaml");
        Files.writeString(file, text);
        return file;
    }

    private Process startNode(final int i) throws IOException {
        final Path data = dir.resolve("n" + i);
        Files.createDirectories(data);
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx192m", "-cp", System.getProperty("java.class.path"), MAIN, "node"));
        if (i == 5) {
            cmd.addAll(List.of("--config", readmeConfig(data).toString(), "--log-level", "INFO"));
            ran.add("bin/armature node --config n5.yaml --log-level INFO");
        } else {
            cmd.addAll(List.of("--id", "n" + i, "--listen", endpoints[i].toString(), "--seeds", endpoints[0].toString(),
                "--data-dir", data.toString(), "--storage", "bdb", "--transport", "aeron", "--partitions", "32"));
        }
        final File log = dir.resolve("n" + i + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    private void await(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                final StringBuilder logs = new StringBuilder();
                for (int i = 0; i < NODES; i++) {
                    logs.append("\n--- n").append(i).append(": ").append(tail(i));
                }
                fail("timed out waiting for " + what + "; status: " + cli("status", "--cluster", endpoints[0].toString()).out + logs);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        }
    }

    private String tail(final int i) {
        try {
            final Path log = dir.resolve("n" + i + ".log");
            if (!Files.exists(log)) {
                return "(not started)";
            }
            final List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (final IOException e) {
            return e.toString();
        }
    }
}
