package io.armature.samples.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.engine.config.StoreSettings;
import io.armature.samples.cli.RemoteConnector;
import io.armature.spi.transport.Endpoint;
import io.armature.testkit.transport.Await;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process stopped with SIGSTOP for longer than the failure detector's threshold (and
 * longer than Aeron's default driver and client liveness timeouts, 10 s) must serve again once
 * it gets SIGCONT: a paused VM (GC, a hypervisor's steal, a debugger) is a fault Dynamo rides out.
 */
class NodePauseTest {
    /** Longer than the phi detector needs to suspect a silent node and than Aeron's 10 s liveness timeouts. */
    private static final Duration PAUSE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void kill() throws InterruptedException, IOException {
        if (process != null) {
            new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aNodePausedLongerThanTheDetectorsThresholdServesAgainAfterResume() throws Exception {
        final Endpoint self = new Endpoint("127.0.0.1", freePort());
        final List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx192m", "-cp", System.getProperty("java.class.path"), "io.armature.samples.cli.ArmatureCli", "node",
            "--id", "n1", "--listen", self.toString(), "--seeds", self.toString(), "--data-dir", dir.resolve("n1").toString(),
            "--partitions", "16", "--n", "1", "--r", "1", "--w", "1");
        Files.createDirectories(dir.resolve("n1"));
        final Path log = dir.resolve("n1.log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final StoreSettings limits = StoreSettings.builder().n(1).r(1).w(1).build();
        try (KvClient kv = new RemoteConnector("aeron", Map.of(), limits).connect(List.of(self), null)) {
            Await.until(Duration.ofSeconds(60), () -> put(kv, "before"), () -> "the node never served: " + read(log));

            signal("STOP");
            final long resumeAt = System.nanoTime() + PAUSE.toNanos();
            while (System.nanoTime() - resumeAt < 0) {
                LockSupport.parkNanos(resumeAt - System.nanoTime());
            }
            signal("CONT");

            Await.until(Duration.ofSeconds(20), () -> put(kv, "after"),
                () -> "the node did not serve within 20 s of SIGCONT after a " + PAUSE.toSeconds() + " s pause; alive="
                    + process.isAlive() + "; its log:\n" + read(log));
            assertTrue(process.isAlive(), "the node process survived its pause");
        }
    }

    private static boolean put(final KvClient kv, final String key) {
        try {
            kv.put(key.getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8), Context.empty(),
                Consistency.defaults().withTimeout(Duration.ofSeconds(1))).get(3, TimeUnit.SECONDS);
            return true;
        } catch (final Exception e) {
            return false;
        }
    }

    private void signal(final String sig) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "kill -" + sig + " worked");
    }

    private static String read(final Path log) {
        try {
            return Files.readString(log);
        } catch (final IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0)) {
                final int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port)) {
                    return tcp.getLocalPort();
                } catch (final IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }
}
