package io.armature.samples.cli;

import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.config.StoreSettings;
import io.armature.samples.testing.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** put, get and delete through the engine's remote client against a real (in-JVM) cluster. */
class EmbeddedClusterCommandsTest {
    private static final StoreSettings SETTINGS = StoreSettings.builder()
        .requestTimeout(Duration.ofMillis(800)).replicaTimeout(Duration.ofMillis(300)).build();
    private static EmbeddedCluster cluster;
    private static RemoteConnector connector;
    private static String seeds;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder().nodes(3).settings(SETTINGS).start();
        connector = new RemoteConnector("local", Map.of("local.network", cluster.network().name()), SETTINGS);
        seeds = cluster.endpoint(0) + "," + cluster.endpoint(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static CliRun run(final String... args) {
        return CliRun.run(connector, args);
    }

    @Test
    void putGetDeleteRoundTrip() {
        final CliRun put = run("put", "--cluster", seeds, "fruit", "apple");
        assertEquals(0, put.exitCode(), put.toString());
        final String token = put.out().strip();
        final CliRun get = run("get", "--cluster", seeds, "fruit");
        assertEquals(List.of("value: apple", "context: " + token), get.out().lines().toList(), get.toString());

        final CliRun blind = run("put", "--cluster", seeds, "fruit", "pear");
        assertEquals(0, blind.exitCode(), blind.toString());
        final CliRun json = run("get", "--cluster", seeds, "--json", "fruit");
        assertTrue(json.out().startsWith("{\"command\":\"get\",\"found\":true,\"encoding\":\"utf8\",\"values\":[") && json.out().contains("\"apple\"") && json.out().contains("\"pear\""),
            "a blind write is a sibling: " + json);

        final String both = run("get", "--cluster", seeds, "fruit").out().lines().filter(l -> l.startsWith("context: "))
            .findFirst().orElseThrow().substring(9);
        final CliRun delete = run("delete", "--cluster", seeds, "fruit", "--context", both);
        assertEquals(0, delete.exitCode(), delete.toString());
        final CliRun after = run("get", "--cluster", seeds, "fruit");
        assertEquals(1, after.out().lines().count(), "deleted: only the context line: " + after);
        assertEquals(ExitCodes.NOT_FOUND, after.exitCode(), after.toString());
    }

    @Test
    void anUnreachableClusterExitsWithFour() {
        final CliRun r = run("get", "--cluster", "nobody-here:9", "k");
        assertEquals(ExitCodes.UNREACHABLE, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
    }

    @Test
    void aMissedQuorumExitsWithThree() {
        try (EmbeddedCluster small = EmbeddedCluster.builder().nodes(3).settings(SETTINGS).start()) {
            final RemoteConnector c = new RemoteConnector("local", Map.of("local.network", small.network().name()), SETTINGS);
            small.stop(1);
            small.stop(2);
            final CliRun r = CliRun.run(c, "put", "--cluster", small.endpoint(0).toString(), "k", "v");
            assertEquals(ExitCodes.QUORUM_NOT_REACHED, r.exitCode(), r.toString());
            assertTrue(r.err().contains("quorum not reached"), r.err());
            assertEquals(1, r.err().lines().count(), r.toString());
        }
    }

    @Test
    void perCallQuorumsReachTheCluster() {
        assertEquals(0, run("put", "--cluster", seeds, "q", "v", "--w", "3").exitCode());
        final CliRun all = run("get", "--cluster", seeds, "--r", "3", "q");
        assertEquals(0, all.exitCode(), all.toString());
        assertEquals("value: v", all.out().lines().findFirst().orElseThrow());
        final CliRun tooMany = run("put", "--cluster", seeds, "q", "v", "--w", "4");
        assertEquals(ExitCodes.USAGE, tooMany.exitCode(), "W above N is an invalid request: " + tooMany);
        assertTrue(tooMany.err().contains("w must be in 1..n"), tooMany.err());
    }

    @Test
    void aSecuredClusterAnswersOnlyClientsWithItsSecret(@TempDir final Path dir) throws Exception {
        final byte[] secret = "correct horse".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedCluster secured = EmbeddedCluster.builder().nodes(3).settings(SETTINGS).secret(secret).start()) {
            final RemoteConnector c = new RemoteConnector("local", Map.of("local.network", secured.network().name()), SETTINGS);
            final String at = secured.endpoint(0).toString();
            final Path good = ClientCommandsTest.secret(dir.resolve("good"), "correct horse\n", "rw-------");
            final Path bad = ClientCommandsTest.secret(dir.resolve("bad"), "battery staple\n", "rw-------");
            final CliRun put = CliRun.run(c, "put", "--cluster", at, "--secret-file", good.toString(), "k", "v");
            assertEquals(0, put.exitCode(), put.toString());
            final CliRun get = CliRun.run(c, "get", "--cluster", at, "--secret-file", good.toString(), "k");
            assertEquals("value: v", get.out().lines().findFirst().orElseThrow(), get.toString());
            for (final CliRun refused : List.of(CliRun.run(c, "get", "--cluster", at, "k"),
                CliRun.run(c, "get", "--cluster", at, "--secret-file", bad.toString(), "k"))) {
                assertEquals(ExitCodes.UNREACHABLE, refused.exitCode(), "frames without the right tag are dropped: " + refused);
                assertEquals(1, refused.err().lines().count(), refused.toString());
            }
        }
    }

    @Test
    void anOversizedKeyIsAUsageError() {
        final CliRun r = run("put", "--cluster", seeds, "k".repeat(5000), "v");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    }
}
