package io.armature.samples.cli;

import io.armature.api.QuorumNotReachedException;
import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    @Test
    void benchAgainstAnEmbeddedClusterPrintsBothPhasesAndWritesJsonAndHdrLog(@TempDir final Path dir) throws Exception {
        final Path json = dir.resolve("r.json");
        final Path hlog = dir.resolve("r.hlog");
        final CliRun r = CliRun.run(new FakeConnector(), "bench", "--embedded", "3", "--storage", "memory", "--transport", "local",
            "--workload", "a", "--distribution", "uniform", "--records", "200", "--operations", "600", "--threads", "2",
            "--value-size", "100", "--warmup", "300ms", "--n", "3", "--r", "2", "--w", "2", "--json", json.toString(), "--hdr-log", hlog.toString());
        // On a saturated machine a replica can miss the 500 ms replica timeout; then the bench must say so.
        assertEquals(r.err().contains("operations failed") ? ExitCodes.OPERATIONS_FAILED : ExitCodes.OK, r.exitCode(), r.toString());
        assertTrue(r.out().contains("embedded 3-node cluster (memory, local, N=3 R=2 W=2)"), r.out());
        assertTrue(r.out().contains("load phase: 200 operations"), r.out());
        assertTrue(r.out().contains("run phase: 600 operations"), r.out());
        assertTrue(r.out().matches("(?s).*warmup: [1-9][0-9]* operations in 0\\.[0-9] s, not counted.*"), r.out());
        assertTrue(r.err().contains("[warmup "), "warm-up progress goes to standard error: " + r.err());
        assertTrue(r.out().contains("read") && r.out().contains("update") && r.out().contains("p99.9 ms"), r.out());
        assertTrue(r.err().contains("[run "), "progress goes to standard error: " + r.err());

        final String text = Files.readString(json);
        assertTrue(text.startsWith("{\"workload\":\"a\",\"distribution\":\"uniform\",\"records\":200"), text);
        assertTrue(text.contains("\"phase\":\"run\"") && text.contains("\"update\":{\"count\":"), text);

        final Set<String> tags = new HashSet<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
                tags.add(h.getTag());
            }
        }
        assertTrue(tags.containsAll(Set.of("load.insert", "run.read", "run.update")), tags.toString());
    }

    @Test
    void benchAgainstARunningClusterUsesTheConnector() {
        final FakeConnector cluster = new FakeConnector();
        final CliRun r = CliRun.run(cluster, "bench", "--cluster", "10.1.1.1:7000", "--workload", "w", "--records", "50",
            "--operations", "200", "--warmup", "0s");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("run phase: 200 operations"), r.out());
        assertEquals(250, cluster.kv().requests(), "50 inserts, 200 writes and no reads");
    }

    @Test
    void badBenchOptionsAreUsageErrors() {
        for (final String[] args : new String[][] {
            {"bench"},
            {"bench", "--embedded", "3", "--cluster", "h:1"},
            {"bench", "--cluster", "h:1", "--workload", "z"},
            {"bench", "--cluster", "h:1", "--distribution", "latest"},
            {"bench", "--cluster", "h:1", "--threads", "0"},
            {"bench", "--cluster", "h:1", "--duration", "soon"},
            {"bench", "--cluster", "h:1", "--n", "3"}}) {
            final CliRun r = CliRun.run(new FakeConnector(), args);
            assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", args) + " " + r);
            assertEquals(1, r.err().lines().count(), r.toString());
        }
    }

    @Test
    void aFailedOperationMakesTheBenchExitWithItsOwnCode() {
        final FakeConnector cluster = new FakeConnector();
        cluster.kv().failWith(new QuorumNotReachedException("put", 2, 1));
        final CliRun r = CliRun.run(cluster, "bench", "--cluster", "10.1.1.1:7000", "--workload", "c", "--records", "20",
            "--operations", "50", "--warmup", "0s");
        assertEquals(ExitCodes.OPERATIONS_FAILED, r.exitCode(), r.toString());
        assertTrue(r.err().contains("bench: 70 operations failed"), r.err());
        assertTrue(r.out().contains("run phase: 0 operations"), "the figures still print: " + r.out());
    }

    @Test
    void cpuOfNamedProcessesGoesIntoTheJsonAndTheRow(@TempDir final Path dir) throws Exception {
        final Path json = dir.resolve("r.json");
        final long self = ProcessHandle.current().pid();
        final CliRun r = CliRun.run(new FakeConnector(), "bench", "--cluster", "10.1.1.1:7000", "--workload", "a", "--records", "20",
            "--operations", "2000", "--warmup", "0s", "--target", "4000", "--cpu-pid", self + "," + self, "--row",
            "--row-label", "fake", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("open loop at 4000 ops/s"), r.out());
        final String text = Files.readString(json);
        assertTrue(text.contains("\"target_ops\":4000.0"), text);
        assertTrue(text.matches("(?s).*\"run_cpu\":\\{\"wall_seconds\":[0-9.]+,\"client_cpu_seconds\":[0-9.]+,\"processes\":\\["
            + "\\{\"pid\":" + self + ",\"cpu_seconds\":[0-9.]+,\"rss_bytes\":[1-9][0-9]*\\},.*"), text);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\| fake \\| [0-9,]+ \\| [0-9.]+ ms \\| [0-9.]+ ms \\| nodes [0-9.]+ cores "
            + "\\([0-9.]+/[0-9.]+\\), client [0-9.]+; per op: nodes [0-9]+ us, client [0-9]+ us \\| [0-9.]+/[0-9.]+ GB \\|")), r.out());
    }

    @Test
    void aBadTargetIsAUsageError() {
        final CliRun r = CliRun.run(new FakeConnector(), "bench", "--cluster", "h:1", "--target", "-5");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    }
}
