package io.armature.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tarball as a user gets it: unpacked in a directory outside the repository, run from
 * another directory, it prints its version and commit and runs a node that serves a put and a get.
 */
class TarballTest {
    private static final Path TARBALL = Path.of(System.getProperty("armature.tarball"));
    private static final String VERSION = System.getProperty("armature.version");
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    record Result(int exit, String out, String err) {
    }

    private static Result run(final Path cwd, final String... command) throws IOException, InterruptedException {
        final Path out = Files.createTempFile("dist-out", ".txt");
        final Path err = Files.createTempFile("dist-err", ".txt");
        try {
            final Process p = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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

    private static Path unpack(final Path dir) throws IOException, InterruptedException {
        assertFalse(dir.toAbsolutePath().startsWith(REPOSITORY), "unpack outside the repository: " + dir);
        final Result untar = run(dir, "tar", "-xzf", TARBALL.toString());
        assertEquals(0, untar.exit(), untar.toString());
        final Path home = dir.resolve("armature-" + VERSION);
        assertTrue(Files.isDirectory(home), "the tarball unpacks into armature-VERSION/");
        return home;
    }

    @Test
    void theTarballHoldsTheLauncherEveryJarTheConfigAndTheLicence(@TempDir final Path dir) throws Exception {
        final Path home = unpack(dir);
        assertTrue(Files.isExecutable(home.resolve("bin/armature")));
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            final List<String> jars = lib.map(p -> p.getFileName().toString()).toList();
            for (final String artifact : List.of("armature-api-", "armature-spi-", "armature-engine-", "armature-storage-bdb-",
                "armature-transport-aeron-", "armature-samples-", "picocli-", "aeron-driver-", "je-")) {
                assertTrue(jars.stream().anyMatch(j -> j.startsWith(artifact) && j.endsWith(".jar")), artifact + " in lib/: " + jars);
            }
            assertTrue(jars.stream().noneMatch(j -> j.startsWith("core-0") || j.contains("junit")), "no YCSB, no test jars: " + jars);
        }
        assertTrue(Files.readString(home.resolve("LICENSE")).contains("Apache License"));
        assertTrue(Files.readString(home.resolve("LICENSE")).contains("Version 2.0, January 2004"));
        assertTrue(Files.size(home.resolve("NOTICE")) > 0);
        assertTrue(Files.readString(home.resolve("conf/logging.properties")).contains(".level"));
        assertTrue(Files.isRegularFile(home.resolve("conf/armature.yaml")));
    }

    @Test
    void versionPrintsTheVersionAndTheCommitFromAnyDirectoryAndThroughASymlink(@TempDir final Path dir) throws Exception {
        final Path home = unpack(dir);
        final Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        final Path link = Files.createSymbolicLink(elsewhere.resolve("armature"), home.resolve("bin/armature"));
        for (final String launcher : List.of(home.resolve("bin/armature").toString(), link.toString())) {
            final Result r = run(elsewhere, launcher, "--version");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().strip().matches("armature " + VERSION.replace(".", "\\.") + " \\(commit ([0-9a-f]{12}|unknown)\\)"),
                r.out());
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(180)
    void aNodeRunFromTheTarballServesAPutAndAGet(@TempDir final Path dir) throws Exception {
        final Path home = unpack(dir);
        final String launcher = home.resolve("bin/armature").toString();
        final String address = "127.0.0.1:" + freeUdpPort();
        final Process node = new ProcessBuilder(launcher, "node", "--id", "n1", "--listen", address, "--seeds", address,
            "--data-dir", dir.resolve("data").toString(), "--n", "1", "--r", "1", "--w", "1")
            .directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (final IOException e) {
                    lines.add("read failed: " + e);
                }
            }, "node-output");
            reader.setDaemon(true);
            reader.start();
            awaitLine(node, lines, "node n1 listening on");

            final Result put = run(dir, launcher, "put", "--cluster", address, "colour", "blue");
            assertEquals(0, put.exit(), put.toString());
            final Result get = run(dir, launcher, "get", "--cluster", address, "colour");
            assertEquals(0, get.exit(), get.toString());
            assertTrue(get.out().startsWith("value: blue\n"), get.toString());

            node.toHandle().destroy();
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node stops on SIGTERM");
            assertEquals(143, node.exitValue());
        } finally {
            node.destroyForcibly();
        }
    }

    private static void awaitLine(final Process p, final BlockingQueue<String> lines, final String prefix) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            final String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null) {
                seen.add(l);
                if (l.startsWith(prefix)) {
                    return;
                }
            } else if (!p.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "': " + seen);
    }
}
