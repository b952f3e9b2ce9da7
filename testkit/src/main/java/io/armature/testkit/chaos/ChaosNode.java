package io.armature.testkit.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node process in its namespace: started with the launcher's command line plus
 * {@code node --id nK --listen 10.77.0.K:PORT ...}, killed, paused and resumed by signal,
 * wiped while down. Its output is appended to {@code nK.log} across restarts.
 */
final class ChaosNode {
    /** UDP for Aeron and TCP for the status endpoint: one port on every node's own address. */
    static final int PORT = 7000;
    static final String CLOCK_OFFSET = "node.clock-offset";

    private final int k;
    private final ChaosConfig config;
    private final Path dataDir;
    private final Path log;
    private Process process;
    private boolean paused;
    private int starts;

    ChaosNode(final int k, final ChaosConfig config, final Path runDir) {
        this.k = k;
        this.config = config;
        this.dataDir = runDir.resolve("data").resolve(name());
        this.log = runDir.resolve(name() + ".log");
    }

    String name() {
        return "n" + k;
    }

    int number() {
        return k;
    }

    String endpoint() {
        return Hosts.address(k) + ":" + PORT;
    }

    Path dataDir() {
        return dataDir;
    }

    Path log() {
        return log;
    }

    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Starts the node. The very first start of n1 names itself as seed and creates the ring; every
     * other start (a restart of n1 too, which finds its ring in its data) joins through the others.
     */
    synchronized void start(final Map<String, String> extraSettings) {
        if (running()) {
            throw new IllegalStateException(name() + " is already running");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final List<String> seeds = new ArrayList<>();
        if (k == 1 && starts == 0) {
            seeds.add(endpoint());
        } else {
            for (int i = 1; i <= config.nodes(); i++) {
                if (i != k) {
                    seeds.add(Hosts.address(i) + ":" + PORT);
                }
            }
        }
        final List<String> cmd = new ArrayList<>(config.launcher());
        cmd.addAll(List.of("node", "--id", name(), "--listen", endpoint(), "--seeds", String.join(",", seeds),
            "--data-dir", dataDir.toString(), "--storage", "bdb", "--transport", "aeron",
            "--partitions", Integer.toString(config.partitions()),
            "--n", Integer.toString(config.n()), "--r", Integer.toString(config.r()), "--w", Integer.toString(config.w())));
        // node.clock-offset (even 0) opens the node's control endpoint that the clock-jump nemesis uses.
        final Map<String, String> settings = new java.util.TreeMap<>(Map.of(CLOCK_OFFSET, "0"));
        settings.putAll(config.nodeSettings());
        settings.putAll(extraSettings);
        settings.forEach((key, v) -> cmd.addAll(List.of("--set", key + "=" + v)));
        try {
            Files.writeString(log, "=== start " + (starts + 1) + " at " + java.time.Instant.now() + ": " + String.join(" ", cmd) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(Hosts.inNamespace(k, cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + name(), e);
        }
        paused = false;
        starts++;
    }

    // A stopped (SIGSTOP) process takes neither SIGTERM's clean stop nor a prompt exit: resume it first.
    private void resumeIfPaused() {
        if (paused) {
            signal("CONT");
            paused = false;
        }
    }

    /** SIGKILL, then waits for the process to be gone. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        resumeIfPaused();
        final long pid = process.pid();
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteAeronDirectory(pid);
    }

    /** SIGTERM: the node stops cleanly and closes its storage; SIGKILL if it does not within the limit. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        resumeIfPaused();
        final long pid = process.pid();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteAeronDirectory(pid);
    }

    synchronized void pause() {
        if (running() && !paused) {
            signal("STOP");
            paused = true;
        }
    }

    synchronized void resume() {
        if (running() && paused) {
            signal("CONT");
            paused = false;
        }
    }

    /** Deletes the data directory; only while the node is down. */
    synchronized void wipe() {
        if (running()) {
            throw new IllegalStateException(name() + " must be down to be wiped");
        }
        Hosts.deleteTree(dataDir);
    }

    private void signal(final String sig) {
        try {
            final Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteAeronDirectory(final long pid) {
        for (final Path base : List.of(Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir")))) {
            final Path d = base.resolve("armature-aeron-" + pid);
            if (Files.isDirectory(d)) {
                try {
                    Hosts.deleteTree(d);
                } catch (final UncheckedIOException e) {
                    // a leftover directory of a killed driver harms nothing
                }
            }
        }
    }
}
