package io.armature.samples.system;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the system tests of {@code armature node} processes share: ports, and cleaning up after a killed node. */
final class NodeProcesses {
    private NodeProcesses() {
    }

    /** @return a port free for both UDP and TCP: a node takes it for Aeron (UDP) and its HTTP endpoint (TCP) */
    static int freePort() throws IOException {
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

    /** Deletes the Aeron directory a node process of that pid left (a killed driver cannot). */
    static void deleteAeronDirectory(final long pid) {
        for (final Path base : List.of(Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir")))) {
            final Path d = base.resolve("armature-aeron-" + pid);
            if (Files.isDirectory(d)) {
                try (Stream<Path> paths = Files.walk(d)) {
                    for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                } catch (final IOException e) {
                    // Best effort: a leftover directory of a killed driver does no harm to the test.
                }
            }
        }
    }
}
