package io.armature.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's two structural rules, checked on its sources: it never imports a plugin (it finds
 * them through ServiceLoader), and its logic takes time, sleep, threads and randomness only
 * through the spi (Clock, Scheduler, a seeded RandomGenerator) so the simulator can replay it.
 * Production wiring (the event-loop runtime, the local transport's delivery thread) is exempt.
 */
class EngineBoundaryTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern NONDETERMINISM = Pattern.compile(
        "System\\.(currentTimeMillis|nanoTime)\\s*\\(|Thread\\.sleep\\s*\\(|new\\s+Random\\s*\\(\\s*\\)|ThreadLocalRandom"
            + "|new\\s+Thread\\s*\\(|Instant\\.now\\s*\\(|LockSupport\\.park"
            + "|Executors\\.|CompletableFuture\\.\\w+Async\\s*\\(|\\.\\w+Async\\s*\\(|SecureRandom|UUID\\.randomUUID");
    /**
     * Exempt: threads and wall time are their job. The remote client belongs here too: it runs
     * in the client's process on its own loop over a real transport, never under the simulator,
     * and its request ids must differ across client processes (a node drops a write whose id it
     * saw recently), which a seeded random would not give.
     */
    private static final List<String> PRODUCTION_WIRING = List.of(
        "io/armature/engine/runtime/", "io/armature/engine/transport/local/", "io/armature/engine/cluster/",
        "io/armature/engine/client/");

    private static List<Path> sources() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the engine module directory");
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void theEngineNeverImportsAPluginOrItsLibrary() throws IOException {
        final List<String> offending = new ArrayList<>();
        for (final Path f : sources()) {
            final Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                final String imported = m.group(1);
                if (imported.startsWith("io.aeron") || imported.startsWith("com.sleepycat")
                    || imported.startsWith("io.armature.storage.") || imported.startsWith("io.armature.transport.")
                    || imported.startsWith("io.armature.testkit")) {
                    offending.add(f + ": " + imported);
                }
            }
        }
        assertEquals(List.of(), offending);
    }

    @Test
    void engineLogicTakesTimeAndRandomnessOnlyThroughTheSpi() throws IOException {
        final List<String> offending = new ArrayList<>();
        for (final Path f : sources()) {
            final String rel = SOURCES.relativize(f).toString().replace('\\', '/');
            if (PRODUCTION_WIRING.stream().anyMatch(rel::startsWith)) {
                continue;
            }
            final List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (NONDETERMINISM.matcher(lines.get(i)).find()) {
                    offending.add(rel + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), offending);
    }
}
