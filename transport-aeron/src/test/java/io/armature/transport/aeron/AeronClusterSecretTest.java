package io.armature.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.armature.api.ArmatureException;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.RequestTimeoutException;
import io.armature.engine.client.RemoteKvClient;
import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.wire.FrameMac;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A real cluster on {@code aeron} + {@code memory} with a cluster secret: the secret holds over
 * UDP (right secret served, wrong secret dropped and counted), and a node keeps serving while
 * random datagrams hit its port (Aeron discards them) and while garbage frames that Aeron does
 * deliver reach the engine (each dropped and counted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class AeronClusterSecretTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] SECRET = "aeron-cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WRONG = "some-other-secret-0123456789ab".getBytes(StandardCharsets.UTF_8);

    private EmbeddedCluster cluster;
    private RemoteKvClient client;

    @BeforeAll
    void start() {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(64).storage("memory").transport("aeron").secret(SECRET).start();
        client = remote(SECRET);
        // Aeron publications connect in the background: retry until the first quorum write lands.
        eventually("the first write through node 0", () -> {
            client.blocking().put(bytes("warm-up"), bytes("1"), Context.empty(), Consistency.defaults().withW(3));
            return true;
        });
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClientWithTheRightSecretIsServedAndOneWithTheWrongSecretTimesOutAndIsCounted() {
        client.blocking().put(bytes("k"), bytes("v"), Context.empty());
        assertEquals("v", text(client.blocking().get(bytes("k")).values().get(0)));
        final double before = rejected(cluster.meters(), "bad-mac");
        try (RemoteKvClient wrong = remote(WRONG)) {
            // Until its publication connects the client may report the seed unreachable; once it
            // is connected its requests arrive, are dropped, and time out.
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                final RuntimeException e = assertThrowsArmature(() -> wrong.blocking().get(bytes("k"),
                    Consistency.defaults().withTimeout(Duration.ofMillis(200))));
                if (e instanceof RequestTimeoutException) {
                    break;
                }
                assertInstanceOf(ClusterUnavailableException.class, e);
                assertTrue(System.nanoTime() < deadline, "the wrong-secret client never got its request out");
            }
        }
        awaitTrue("the dropped request to be counted", () -> rejected(cluster.meters(), "bad-mac") > before);
        assertEquals("v", text(client.blocking().get(bytes("k")).values().get(0)));
    }

    @Test
    void randomDatagramsAtANodesPortNeitherStopItServingNorReachItsLogic() throws IOException {
        final Endpoint target = cluster.endpoint(0);
        final double rejectedBefore = rejected(cluster.meters(), null);
        final SplittableRandom random = new SplittableRandom(20261124);
        try (DatagramChannel garbage = DatagramChannel.open()) {
            final InetSocketAddress to = new InetSocketAddress(target.host(), target.port());
            for (int i = 0; i < 3000; i++) {
                final byte[] bytes = new byte[1 + random.nextInt(i % 10 == 0 ? 1400 : 96)];
                random.nextBytes(bytes);
                if (i % 3 == 0 && bytes.length >= 8) {
                    // Plausible Aeron headers: a fitting frame length, version 0, a real frame type.
                    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(0, bytes.length).put(4, (byte) 0).putShort(6, (short) random.nextInt(8));
                }
                garbage.send(ByteBuffer.wrap(bytes), to);
                if (i % 500 == 0) {
                    final byte[] key = bytes("during-" + i);
                    client.blocking().put(key, bytes("v" + i), Context.empty());
                    assertEquals("v" + i, text(client.blocking().get(key).values().get(0)));
                }
            }
        }
        for (int i = 0; i < 20; i++) {
            final byte[] key = bytes("after-" + i);
            client.blocking().put(key, bytes("a" + i), Context.empty(), Consistency.defaults().withW(3));
            assertEquals("a" + i, text(client.blocking().get(key, Consistency.defaults().withR(3)).values().get(0)));
        }
        // Aeron discards datagrams that are not its frames: none of them became an engine frame.
        assertEquals(rejectedBefore, rejected(cluster.meters(), null));
    }

    @Test
    void garbageFramesDeliveredByAeronAreDroppedAndCountedWhileTheNodeServes() {
        final Endpoint target = cluster.endpoint(0);
        final double before = rejected(cluster.meters(), null);
        final double badMacBefore = rejected(cluster.meters(), "bad-mac");
        final SplittableRandom random = new SplittableRandom(42);
        final Transport attacker = new AeronTransportProvider().create(TransportConfig.builder().build());
        try {
            attacker.bind(new Endpoint("127.0.0.1", 0), m -> { });
            final WireEncoder forger = new WireEncoder("node-1", new Endpoint("127.0.0.1", 9), new FrameMac(WRONG));
            final int randomFrames = 300;
            final int forgedFrames = 200;
            for (int i = 0; i < randomFrames; i++) {
                final byte[] bytes = new byte[1 + random.nextInt(200)];
                random.nextBytes(bytes);
                sendWhole(attacker, target, bytes);
            }
            for (int i = 0; i < forgedFrames; i++) {
                final byte[] key = bytes("forged-" + i);
                sendWhole(attacker, target, forger.encodeToArray(0,
                    new Message.ClientWrite(false, Message.WriteOp.PUT, key, new byte[8], new byte[0], 1, 100)));
            }
            awaitTrue("every garbage frame to be counted",
                () -> rejected(cluster.meters(), null) - before == randomFrames + forgedFrames);
            assertEquals(forgedFrames, rejected(cluster.meters(), "bad-mac") - badMacBefore);
            for (int i = 0; i < 5; i++) {
                assertTrue(client.blocking().get(bytes("forged-" + i)).isEmpty(), "a forged write landed");
            }
            client.blocking().put(bytes("still"), bytes("serving"), Context.empty());
            assertEquals("serving", text(client.blocking().get(bytes("still")).values().get(0)));
        } finally {
            attacker.close();
        }
    }

    private RemoteKvClient remote(final byte[] secret) {
        return RemoteKvClient.connect(new AeronTransportProvider().create(TransportConfig.builder().build()),
            new Endpoint("127.0.0.1", 0), List.of(cluster.endpoint(0)), cluster.settings(), secret);
    }

    private static double rejected(final MeterRegistry meters, final String reason) {
        final Search s = Search.in(meters).name("armature.frames.rejected");
        return (reason == null ? s : s.tag("reason", reason)).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static RuntimeException assertThrowsArmature(final Runnable r) {
        try {
            r.run();
        } catch (final ArmatureException e) {
            return e;
        }
        return fail("a client with the wrong secret got an answer");
    }

    private static void sendWhole(final Transport sender, final Endpoint to, final byte[] message) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (sender.send(to, ByteBuffer.wrap(message)) != SendStatus.SENT) {
            assertTrue(System.nanoTime() < deadline, "could not send to " + to);
            Thread.onSpinWait();
        }
    }

    private static void eventually(final String what, final Supplier<Boolean> attempt) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        ArmatureException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (attempt.get()) {
                    return;
                }
            } catch (final ArmatureException e) {
                last = e;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }

    private static void awaitTrue(final String what, final Supplier<Boolean> condition) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
