package io.armature.storage.bdb;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kill -9 in the middle of a stream of sync writes: every write the child acknowledged is there
 * after reopening, every batch is all or nothing, and JE recovers without manual repair.
 */
class BdbCrashTest {
    private static final int ACKS_BEFORE_KILL = 300;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyWriteAcknowledgedUnderSyncSurvivesSigkill(@TempDir final Path tmp) throws Exception {
        final Path dir = tmp.resolve("node");
        final Path stderr = tmp.resolve("child.err");
        final Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m", "-cp", System.getProperty("java.class.path"),
            CrashWriter.class.getName(), dir.toString())
            .redirectError(stderr.toFile())
            .start();
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (final IOException closedByKill) {
                // The stream ends when the child dies.
            }
        }, "crash-test-reader");
        reader.setDaemon(true);
        reader.start();
        int lastPut = -1;
        int lastPair = -1;
        int acks = 0;
        try {
            final long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (acks < ACKS_BEFORE_KILL) {
                final String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("child acknowledged only " + acks + " writes before the deadline; stderr: " + Files.readString(stderr));
                }
                if (line.startsWith("put ")) {
                    lastPut = Integer.parseInt(line.substring(4));
                    acks++;
                } else if (line.startsWith("pair ")) {
                    lastPair = Integer.parseInt(line.substring(5));
                    acks++;
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        }
        assertEquals(137, child.exitValue(), "child must have died of SIGKILL (128 + 9)");
        // Acks printed between our last read and the kill are not counted: we only check what we saw.
        try (StorageEngine engine = new BdbStorageProvider().open(StorageConfig.builder()
            .directory(dir).durability(Durability.SYNC).property("bdb.free-disk", "0").build())) {
            for (int i = 0; i <= lastPut; i++) {
                assertArrayEquals(CrashWriter.value(i), engine.get(CrashWriter.SINGLES, CrashWriter.key(i)), "acknowledged put " + i);
            }
            for (int i = 0; i <= lastPair; i++) {
                assertNotNull(engine.get(CrashWriter.PAIRS, CrashWriter.key(2 * i)), "acknowledged batch " + i);
                assertNotNull(engine.get(CrashWriter.PAIRS, CrashWriter.key(2 * i + 1)), "acknowledged batch " + i);
            }
            final int[] halves = {0, 0};
            engine.scan(CrashWriter.PAIRS, null, null, (k, v) -> {
                halves[0]++;
                return true;
            });
            assertEquals(0, halves[0] % 2, "a batch was half applied: " + halves[0] + " records in the pairs partition");
        }
    }
}
