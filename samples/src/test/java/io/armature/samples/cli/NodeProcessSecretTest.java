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
}
