package io.armature.samples.cli;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.RequestTimeoutException;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node process wiring of {@code armature node --secret-file}, on Aeron in this JVM. */
class NodeProcessSecretTest {
    private static final StoreSettings ONE = StoreSettings.builder().n(1).r(1).w(1)
        .requestTimeout(Duration.ofMillis(700)).build();

    @Test
    void aNodeWithASecretAnswersOnlyClientsThatSignWithIt(@TempDir final Path dir) throws Exception {
        final int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        final Endpoint listen = new Endpoint("127.0.0.1", port);
        final byte[] secret = ClusterOptions.readSecret(ClientCommandsTest.secret(dir.resolve("s"), "tiger\n", "rw-------"));
        final NodeConfig config = NodeConfig.builder(new NodeId("n1"), listen).seeds(List.of(listen)).store(ONE).secret(secret).build();
        try (NodeProcess node = NodeProcess.start(config, "memory", dir.resolve("data"), "aeron", null, PluginSettings.route(null, "memory", "aeron"))) {
            final RemoteConnector connector = new RemoteConnector("aeron", Map.of(), ONE);
            final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
            try (KvClient signed = connector.connect(List.of(node.endpoint()), secret)) {
                signed.blocking().put(key, "v".getBytes(StandardCharsets.UTF_8), Context.empty());
                assertEquals("v", new String(signed.blocking().get(key).values().get(0), StandardCharsets.UTF_8));
            }
            try (KvClient unsigned = connector.connect(List.of(node.endpoint()), null)) {
                final CompletionException e = assertThrows(CompletionException.class,
                    () -> unsigned.get(key, Consistency.defaults()).join());
                assertTrue(e.getCause() instanceof RequestTimeoutException, e.getCause().toString());
            }
            assertTrue(node.meters().find("armature.frames.rejected").counters().stream().anyMatch(c -> c.count() > 0),
                "the unsigned request was counted as rejected");
        }
    }

    @Test
    void withASecretStatusAndClusterRequestsMustBeSignedAndHealthAndReadyStayOpen(@TempDir final Path dir) throws Exception {
        final int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        final Endpoint listen = new Endpoint("127.0.0.1", port);
        final byte[] secret = ClusterOptions.readSecret(ClientCommandsTest.secret(dir.resolve("s"), "tiger\n", "rw-------"));
        final NodeConfig config = NodeConfig.builder(new NodeId("n1"), listen).seeds(List.of(listen)).store(ONE).secret(secret).build();
        try (NodeProcess node = NodeProcess.start(config, "memory", dir.resolve("data"), "aeron", null, PluginSettings.route(null, "memory", "aeron"))) {
            final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            final java.util.function.BiFunction<String, java.util.Map<String, String>, java.net.http.HttpResponse<String>> get = (path, headers) -> {
                final java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + listen + path)).timeout(Duration.ofSeconds(5));
                headers.forEach(b::header);
                try {
                    return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (final java.io.IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            };
            assertEquals(200, get.apply("/health", Map.of()).statusCode());
            assertEquals(200, get.apply("/ready", Map.of()).statusCode(), "the first node holds a ring naming it and pulls nothing");
            final java.net.http.HttpResponse<String> unsigned = get.apply("/status", Map.of());
            assertEquals(401, unsigned.statusCode(), unsigned.body());
            final long now = System.currentTimeMillis();
            assertEquals(401, get.apply("/status", Map.of(StatusAuth.TIME, Long.toString(now),
                StatusAuth.SIGNATURE, StatusAuth.sign("other".getBytes(StandardCharsets.UTF_8), "GET", "/status", now))).statusCode(),
                "signed with another secret");
            final long old = now - StatusAuth.MAX_SKEW_MILLIS - 60_000;
            assertEquals(401, get.apply("/status", Map.of(StatusAuth.TIME, Long.toString(old),
                StatusAuth.SIGNATURE, StatusAuth.sign(secret, "GET", "/status", old))).statusCode(), "signed too long ago");
            assertEquals(401, get.apply("/status?metrics", Map.of(StatusAuth.TIME, Long.toString(now),
                StatusAuth.SIGNATURE, StatusAuth.sign(secret, "GET", "/status", now))).statusCode(), "the signature covers the query");
            assertEquals(200, get.apply("/status", Map.of(StatusAuth.TIME, Long.toString(now),
                StatusAuth.SIGNATURE, StatusAuth.sign(secret, "GET", "/status", now))).statusCode());
            assertEquals(listen, node.endpoint());

            final RemoteConnector connector = new RemoteConnector("aeron", Map.of(), ONE);
            final ClusterStatus status = connector.status(List.of(listen), secret, false);
            assertEquals("n1", status.reportedBy());
            assertEquals(List.of(), status.problems(true), "one node, up, on its own ring: healthy");
            assertTrue(status.loads().get("n1").ready());
            assertThrows(io.armature.api.ClusterUnavailableException.class, () -> connector.status(List.of(listen), null, false),
                "without the secret the status is refused");
            final io.armature.api.InvalidRequestException refused = assertThrows(io.armature.api.InvalidRequestException.class,
                () -> connector.admin(List.of(listen), null, "POST", "/cluster/stage?op=leave&node=n1"));
            assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
            final io.armature.api.InvalidRequestException last = assertThrows(io.armature.api.InvalidRequestException.class,
                () -> connector.admin(List.of(listen), secret, "POST", "/cluster/stage?op=leave&node=n1"));
            assertTrue(last.getMessage().contains("last member"), "signed, the request is judged on its merits: " + last.getMessage());
        }
    }
}
