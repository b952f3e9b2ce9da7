package io.armature.samples.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks target/armature.jar and bin/armature as an operator uses them; runs after 'package'
 * (the packaging-test execution in samples/pom.xml).
 */
class ShadedJarTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path JAR = MODULE.resolve("target/armature.jar");
    private static final Path LAUNCHER = MODULE.getParent().resolve("bin/armature");

    record Result(int exit, String out, String err) {
    }

    private static Result run(final Map<String, String> env, final String... command) throws IOException, InterruptedException {
        final ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        final Path out = Files.createTempFile("armature-out", ".txt");
        final Path err = Files.createTempFile("armature-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            final Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theJarNamesTheCommandLineAsItsMainClassAndHoldsNoYcsb() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            final Manifest m = jar.getManifest();
            assertEquals("io.armature.samples.cli.ArmatureCli", m.getMainAttributes().getValue("Main-Class"));
            assertTrue(jar.getEntry("picocli/CommandLine.class") != null);
            assertTrue(jar.getEntry("org/HdrHistogram/Histogram.class") != null);
            assertTrue(jar.getEntry("site/ycsb/DB.class") == null, "YCSB is provided by YCSB itself");
        }
    }

    @Test
    void everyPluginIsFoundFromTheShadedJar() throws Exception {
        final Result r = run(Map.of(), LAUNCHER.toString(), "plugins");
        assertEquals(0, r.exit(), r.toString());
        final List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("storage: "), r.out());
        final List<String> storage = List.of(lines.get(0).substring("storage: ".length()).split(" "));
        final List<String> transport = List.of(lines.get(1).substring("transport: ".length()).split(" "));
        assertTrue(storage.containsAll(List.of("bdb", "memory")), "merged META-INF/services: " + r.out());
        assertTrue(transport.containsAll(List.of("aeron", "local")), "merged META-INF/services: " + r.out());
    }

    @Test
    void theLauncherRunsTheJarWithTheVersionAndPassesJavaOptions() throws Exception {
        final Result version = run(Map.of(), LAUNCHER.toString(), "--version");
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.out().startsWith("armature "), version.out());
        final Result usage = run(Map.of(), LAUNCHER.toString(), "get");
        assertEquals(2, usage.exit(), "usage errors keep their exit code through the launcher: " + usage);
        final Result badOption = run(Map.of("ARMATURE_JAVA_OPTS", "-XX:+NoSuchArmatureOption"), LAUNCHER.toString(), "--version");
        assertNotEquals(0, badOption.exit());
        assertTrue(badOption.err().contains("NoSuchArmatureOption"), "ARMATURE_JAVA_OPTS reaches java: " + badOption.err());
    }

    @Test
    void theLauncherAsksToBuildFirstWhenTheJarIsMissing(@TempDir final Path dir) throws Exception {
        final Path bin = Files.createDirectories(dir.resolve("bin"));
        final Path copy = bin.resolve("armature");
        Files.copy(LAUNCHER, copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        final List<String> cmd = new ArrayList<>(List.of(copy.toString(), "--version"));
        final Result r = run(Map.of(), cmd.toArray(String[]::new));
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("not found; build it first") && r.err().contains("mvn"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(new String(Files.readAllBytes(LAUNCHER), StandardCharsets.UTF_8).contains("--add-opens java.base/sun.nio.ch=ALL-UNNAMED"));
    }
}
