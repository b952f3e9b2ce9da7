package io.armature.samples.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/bench-cluster at a tiny size: three node processes come up, the bench prints its table
 * row, and the script leaves no process and no data behind. Runs after 'package' (it needs
 * target/armature.jar).
 */
class BenchClusterScriptTest {
    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("bin/bench-cluster");

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void threeNodesAreMeasuredIntoOneRowAndNothingIsLeftBehind(@TempDir final Path dir) throws Exception {
        final Path out = dir.resolve("out.txt");
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(java.util.Map.of("RECORDS", "200", "SECS", "3", "WARM", "1", "IDLE_SECS", "1",
            "TMPDIR", tmp.toString(), "JSON_DIR", dir.resolve("json").toString(), "LABEL", "tiny"));
        final Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("bench-cluster did not finish in 3 minutes: " + Files.readString(out));
        }
        final String text = Files.readString(out);
        // On a saturated machine some requests miss their deadline: then the run must say so (exit 6).
        assertEquals(text.contains("operations failed") ? 6 : 0, p.exitValue(), text);
        assertTrue(text.matches("(?s).*idle: [0-9.]+ cores per node over 1 s \\(load average [0-9. ]+\\).*"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\| tiny \\| [0-9,]+ \\| [0-9.]+ ms \\| [0-9.]+ ms \\| nodes [0-9.]+ cores "
            + "\\([0-9.]+/[0-9.]+/[0-9.]+\\), client [0-9.]+; per op: .* \\| [0-9.]+/[0-9.]+/[0-9.]+ GB \\|")), text);
        final String json = Files.readString(dir.resolve("json/bench1.json"));
        assertTrue(json.contains("\"run_cpu\":{") && json.contains("\"processes\":[{\"pid\":"), json);

        final Matcher m = Pattern.compile("nodes: ([0-9 ]+) on ").matcher(text);
        assertTrue(m.find(), text);
        for (final String pid : m.group(1).trim().split(" ")) {
            assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), "node " + pid + " still runs");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            final List<Path> files = left.toList();
            assertTrue(files.isEmpty(), "the script deletes its data: " + files);
        }
    }
}
