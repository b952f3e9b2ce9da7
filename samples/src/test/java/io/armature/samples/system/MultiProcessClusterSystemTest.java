package io.armature.samples.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.armature.engine.config.StoreSettings;
import io.armature.samples.cli.ArmatureCli;
import io.armature.samples.cli.ClusterStatus;
import io.armature.samples.cli.RemoteConnector;
import io.armature.spi.transport.Endpoint;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Three {@code armature node} processes on 127.0.0.1 (BerkeleyDB JE storage, Aeron transport):
 * the first forms the ring, the other two join through it; writes and reads go through the
 * command line's {@code put}/{@code get}; one node is killed with SIGKILL while writes go on and
 * restarted on its data directory; then every acknowledged write is read back with R=3, so every
 * replica answers. It takes about 40 s (2 shared cores), so it runs by default, not only with
 * {@code -Psystem}.
 */
class MultiProcessClusterSystemTest {
    private static final String MAIN = "io.armature.samples.cli.ArmatureCli";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How soon a node restarted on its data must serve: the chaos harness's recovery limit. */
    private static final Duration RESTART_BOUND = Duration.ofSeconds(30);
    private static final int NODES = 3;

    private final Process[] processes = new Process[NODES];
    private final Endpoint[] endpoints = new Endpoint[NODES];
    private final RemoteConnector connector = new RemoteConnector("aeron", Map.of(), StoreSettings.builder().build());

    @TempDir
    Path dir;

    @AfterEach
    void destroyEveryProcess() throws InterruptedException {
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
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void threeProcessesJoinSurviveAKilledNodeAndLoseNoAcknowledgedWrite() throws Exception {
        final long started = System.nanoTime();
        for (int i = 0; i < NODES; i++) {
            endpoints[i] = new Endpoint("127.0.0.1", NodeProcesses.freePort());
        }
        for (int i = 0; i < NODES; i++) {
            processes[i] = startNode(i);
        }
        for (int i = 0; i < NODES; i++) {
            final int node = i;
            await("node " + i + " sees all three in the ring", () -> ringSize(node) == NODES);
        }
        final Map<String, String> acknowledged = new LinkedHashMap<>();
        writeSome(acknowledged, "before", 20, 3);
        assertEquals(20, acknowledged.size(), "every write with all nodes up is acknowledged within 3 tries");

        processes[2].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        NodeProcesses.deleteAeronDirectory(processes[2].pid());
        writeSome(acknowledged, "during", 20, 1);
        assertTrue(acknowledged.size() > 20, "writes go on with one node down: " + acknowledged.size());

        final long restarted = System.nanoTime();
        processes[2] = startNode(2);
        // A restart on the same data must serve again within the chaos harness's recovery bound
        // (mostly JVM start, JE recovery and Aeron start; about 3-9 s at load average 20).
        await("the restarted node coordinates a read within " + RESTART_BOUND, RESTART_BOUND,
            () -> cliAt(2, "get", "--r", "2", "before-0").lines().anyMatch(l -> l.equals("value: v-before-0")));
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO, "the restarted node served after "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted) + " ms");
        await("the restarted node is back in the ring", () -> ringSize(2) == NODES);
        writeSome(acknowledged, "after", 10, 3);

        for (final Map.Entry<String, String> e : acknowledged.entrySet()) {
            await("acknowledged write " + e.getKey() + " read with R=3", () -> cli("get", "--r", "3", e.getKey())
                .lines().anyMatch(l -> l.equals("value: " + e.getValue())));
        }
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO, "multi-process system test ran " + seconds + " s");
    }

    /** Puts count keys, each tried up to {@code attempts} times (a retried put only adds a sibling of the same value). */
    private void writeSome(final Map<String, String> acknowledged, final String prefix, final int count, final int attempts) {
        for (int i = 0; i < count; i++) {
            final String key = prefix + "-" + i;
            final String value = "v-" + key;
            for (int a = 0; a < attempts; a++) {
                if (!cli("put", "--w", "2", key, value).isEmpty() && lastExit == 0) {
                    acknowledged.put(key, value);
                    break;
                }
            }
        }
    }

    private int lastExit;

    private String cli(final String command, final String... args) {
        return cliAt(-1, command, args);
    }

    /** Runs a command against one node only (it coordinates), or against every node for -1. */
    private String cliAt(final int node, final String command, final String... args) {
        final StringWriter out = new StringWriter();
        final CommandLine cl = ArmatureCli.commandLine(connector);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        final List<String> all = new ArrayList<>();
        all.add(command);
        all.add("--cluster");
        all.add(node < 0 ? Stream.of(endpoints).map(Endpoint::toString).collect(Collectors.joining(",")) : endpoints[node].toString());
        all.addAll(List.of(args));
        lastExit = cl.execute(all.toArray(String[]::new));
        return lastExit == 0 ? out.toString() : "";
    }

    private int ringSize(final int node) {
        try {
            final ClusterStatus s = connector.status(List.of(endpoints[node]), null, false);
            return s.reportedBy().equals("n" + node) ? s.members().size() : -1;
        } catch (final RuntimeException e) {
            return -1;
        }
    }

    private Process startNode(final int i) throws IOException {
        final Path data = dir.resolve("n" + i);
        Files.createDirectories(data);
        final List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), MAIN, "node",
            "--id", "n" + i, "--listen", endpoints[i].toString(), "--seeds", endpoints[0].toString(),
            "--data-dir", data.toString(), "--storage", "bdb", "--transport", "aeron", "--partitions", "64");
        final File log = dir.resolve("n" + i + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    private void await(final String what, final BooleanSupplier condition) {
        await(what, WAIT, condition);
    }

    private void await(final String what, final Duration limit, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            for (int i = 0; i < NODES; i++) {
                if (processes[i] != null && !processes[i].isAlive() && i != 2) {
                    fail("node n" + i + " exited while waiting for " + what + ": " + logOf(i));
                }
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private String logOf(final int i) {
        try {
            return Files.readString(dir.resolve("n" + i + ".log"));
        } catch (final IOException e) {
            return e.toString();
        }
    }
}
