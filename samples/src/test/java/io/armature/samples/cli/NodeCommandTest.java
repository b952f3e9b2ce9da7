package io.armature.samples.cli;

import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code armature node} rejects before it opens anything (running nodes: NodeProcessTest). */
class NodeCommandTest {
    @TempDir
    Path dir;

    private CliRun node(final String... extra) {
        final List<String> args = new ArrayList<>(List.of("node", "--id", "n1", "--listen", "127.0.0.1:7001",
            "--seeds", "127.0.0.1:7001", "--data-dir", dir.resolve("data").toString()));
        args.addAll(List.of(extra));
        return CliRun.run(new FakeConnector(), args.toArray(String[]::new));
    }

    private static void usage(final CliRun r, final String expected) {
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void rejectsBadSettingsNamingThem() throws Exception {
        usage(CliRun.run(new FakeConnector(), "node", "--id", "n1"), "Missing required options");
        usage(node("--partitions", "100"), "node.partitions must be a power of two");
        usage(node("--n", "3", "--r", "4"), "store.r");
        usage(node("--metrics-port", "70000"), "--metrics-port");
        usage(node("--log-level", "LOUD"), "--log-level must be one of");
        usage(CliRun.run(new FakeConnector(), "node", "--id", "bad id!", "--listen", "h:1", "--seeds", "h:1", "--data-dir", "d"), "id");
        final Path secret = ClientCommandsTest.secret(dir.resolve("secret"), "s3cret", "rw-rw----");
        usage(node("--secret-file", secret.toString()), "chmod 600");
        assertTrue(Files.notExists(dir.resolve("data")), "nothing was opened");
    }

    @Test
    void aLogEventIsOneLineWithItsCause() {
        final java.util.logging.LogRecord r = new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "two\nlines {0}");
        r.setLoggerName("io.armature.x");
        r.setParameters(new Object[] {"p"});
        r.setThrown(new IllegalStateException("outer", new java.io.IOException("inner\ndetail")));
        final String line = new NodeLogging.OneLine().format(r);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.matches("\\S+Z WARNING io\\.armature\\.x two\\\\nlines p \\| java.lang.IllegalStateException: outer"
            + " \\| caused by java.io.IOException: inner\\\\ndetail\\R"), line);
    }
}
