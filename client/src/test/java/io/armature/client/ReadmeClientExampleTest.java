package io.armature.client;

import io.armature.api.ArmatureException;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.Codec;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.api.RequestTimeoutException;
import io.armature.api.TypedKvClient;
import io.armature.engine.cluster.EmbeddedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's library-user example, run against a running 3-node cluster on Aeron (UDP on
 * loopback) with a cluster secret, and the builder's errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ReadmeClientExampleTest {
    private static final byte[] SECRET = "readme-client-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private EmbeddedCluster cluster;
    private Path secretFile;
    private String[] contactPoints;

    @BeforeAll
    void start() throws Exception {
        secretFile = dir.resolve("secret");
        Files.write(secretFile, SECRET);
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        cluster = EmbeddedCluster.builder().nodes(3).partitions(64).storage("memory").transport("aeron").secret(SECRET).start();
        contactPoints = new String[] {cluster.endpoint(0).toString(), cluster.endpoint(1).toString(), cluster.endpoint(2).toString()};
        // Aeron connects publications in the background: the first writes of a fresh cluster may
        // find a peer not connected yet. Wait for one write at W=3 before the example runs.
        eventually(() -> {
            try (KvClient kv = ArmatureClient.builder().contactPoints(contactPoints).secretFile(secretFile).build()) {
                kv.blocking().put(bytes("warm-up"), bytes("1"), Context.empty(), Consistency.defaults().withW(3));
            }
        });
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The README's example, as it is printed there (README.md, "A client of a running cluster"). */
    static List<String> readmeExample(final String a, final String b, final String c, final Path secret) throws Exception {
        try (KvClient kv = ArmatureClient.builder().contactPoints(a, b, c).secretFile(secret).build()) {
            TypedKvClient<String, String> carts = new TypedKvClient<>(kv, Codec.utf8(), Codec.utf8());
            ReadResult<String> written = carts.put("cart-7", "book", Context.empty(), Consistency.defaults().withW(3)).get();
            carts.put("cart-7", "book,lamp", written.context()).get();            // supersedes "book"
            return carts.get("cart-7", Consistency.defaults().withR(3)).get().values(); // ["book,lamp"]
        }
    }

    @Test
    void theReadmeExampleWritesAndReadsThroughTheBuilder() throws Exception {
        assertEquals(List.of("book,lamp"), readmeExample(contactPoints[0], contactPoints[1], contactPoints[2], secretFile));
        final ReadResult<byte[]> seen = cluster.client(2).blocking().get(bytes("cart-7"));
        assertEquals(List.of("book,lamp"), seen.values().stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList(),
            "the cluster itself holds the write");
    }

    @Test
    void withoutTheSecretARequestTimesOutNamingTheOperationTheTimeoutAndTheNodeAsked() throws Exception {
        try (KvClient kv = ArmatureClient.builder().contactPoints(contactPoints[1]).requestTimeout(Duration.ofMillis(300)).build()) {
            final ExecutionException e = assertThrows(ExecutionException.class, () -> kv.get(bytes("cart-7")).get());
            final RequestTimeoutException timeout = assertInstanceOf(RequestTimeoutException.class, e.getCause());
            assertEquals("get", timeout.operation());
            assertEquals(Duration.ofMillis(300), timeout.timeout());
            assertTrue(timeout.getMessage().contains("no answer within 300 ms (asked " + contactPoints[1]), timeout.getMessage());
        }
    }

    @Test
    void unreachableNodesAreEachNamedWithWhatTheirSendSaid() throws Exception {
        final String nobody = "127.0.0.1:" + freeUdpPort();
        try (KvClient kv = ArmatureClient.builder().contactPoints(nobody).secretFile(secretFile).build()) {
            final ExecutionException e = assertThrows(ExecutionException.class, () -> kv.put(bytes("k"), bytes("v"), Context.empty()).get());
            final ClusterUnavailableException down = assertInstanceOf(ClusterUnavailableException.class, e.getCause());
            assertEquals("put: no seed reachable: " + nobody + " NOT_CONNECTED", down.getMessage());
        }
    }

    @Test
    void badContactPointsAndSecretFilesAreRefusedWithTheReason() throws Exception {
        final IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
            () -> ArmatureClient.builder().contactPoints("node-1"));
        assertTrue(noPort.getMessage().contains("'node-1' is not HOST:PORT"), noPort.getMessage());
        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ArmatureClient.builder().build());
        assertTrue(none.getMessage().contains("at least one contact point"), none.getMessage());
        final Path loose = dir.resolve("loose-secret");
        Files.write(loose, SECRET);
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        final IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
            () -> ArmatureClient.builder().contactPoints(contactPoints[0]).secretFile(loose).build());
        assertTrue(open.getMessage().contains("accessible by group or others"), open.getMessage());
        final RuntimeException transport = assertThrows(RuntimeException.class,
            () -> ArmatureClient.builder().contactPoints(contactPoints[0]).transport("carrier-pigeon").build());
        assertTrue(transport.getMessage().contains("carrier-pigeon"), transport.getMessage());
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static void eventually(final Attempt attempt) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                attempt.run();
                return;
            } catch (final ArmatureException e) {
                last = e;
            } catch (final Exception e) {
                throw new AssertionError(e);
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("the cluster took no write at W=3 in " + WAIT, last);
    }
}
