package io.armature.samples.cli;

import io.armature.api.ClusterUnavailableException;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.RequestTimeoutException;
import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import io.armature.spi.transport.Endpoint;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client commands' output formats and exit codes, over a fake cluster. */
class ClientCommandsTest {
    private final FakeConnector cluster = new FakeConnector();

    private CliRun run(final String... args) {
        return CliRun.run(cluster, args);
    }

    @Test
    void putPrintsTheNewContextTokenAndGetPrintsSiblingsAndContext() {
        final CliRun put = run("put", "--cluster", "10.0.0.1:7000,10.0.0.2:7000", "k", "v1");
        assertEquals(0, put.exitCode(), put.toString());
        final String token = put.out().strip();
        assertEquals(1, Context.fromToken(token).size(), "one line: the token");
        assertEquals(List.of(new Endpoint("10.0.0.1", 7000), new Endpoint("10.0.0.2", 7000)), cluster.seedsSeen().get(0));

        assertEquals(0, run("put", "--cluster", "h:1", "k", "v2").exitCode(), "a blind write");
        final CliRun get = run("get", "--cluster", "h:1", "k");
        assertEquals(0, get.exitCode(), get.toString());
        final List<String> lines = get.out().lines().toList();
        assertEquals(3, lines.size(), get.out());
        assertEquals(List.of("value: v1", "value: v2"), lines.subList(0, 2).stream().sorted().toList());
        assertTrue(lines.get(2).startsWith("context: "));

        final String context = lines.get(2).substring("context: ".length());
        final CliRun merged = run("put", "--cluster", "h:1", "k", "v3", "--context", context);
        assertEquals(0, merged.exitCode(), merged.toString());
        assertEquals("value: v3", run("get", "--cluster", "h:1", "k").out().lines().findFirst().orElseThrow());
        assertEquals(2, run("get", "--cluster", "h:1", "k").out().lines().count(), "the context superseded both siblings");
    }

    @Test
    void getJsonEscapesStrings() {
        run("put", "--cluster", "h:1", "k", "a \"quoted\" \\ line\nbreak\u0001 é");
        final CliRun get = run("get", "--cluster", "h:1", "--json", "k");
        assertEquals(0, get.exitCode(), get.toString());
        final String expectedToken = Context.fromToken(run("get", "--cluster", "h:1", "k").out().lines()
            .filter(l -> l.startsWith("context: ")).findFirst().orElseThrow().substring(9)).toToken();
        assertEquals("{\"command\":\"get\",\"found\":true,\"encoding\":\"utf8\",\"values\":[\"a \\\"quoted\\\" \\\\ line\\nbreak\\u0001 é\"],\"context\":\"" + expectedToken + "\"}",
            get.out().strip());
    }

    @Test
    void aMissingKeyPrintsOnlyTheContextAndExitsWithNotFound() {
        final CliRun get = run("get", "--cluster", "h:1", "nothing");
        assertEquals(ExitCodes.NOT_FOUND, get.exitCode(), get.toString());
        assertEquals("", get.err(), "not found is an answer, not a failure");
        assertEquals("context: " + Context.empty().toToken(), get.out().strip());
        final CliRun json = run("get", "--cluster", "h:1", "--json", "nothing");
        assertEquals(ExitCodes.NOT_FOUND, json.exitCode());
        assertEquals("{\"command\":\"get\",\"found\":false,\"encoding\":\"utf8\",\"values\":[],\"context\":\""
            + Context.empty().toToken() + "\"}", json.out().strip());
    }

    @Test
    void deleteWithTheReadsContextRemovesTheValueAndPrintsTheTombstonesContext() {
        final String token = run("put", "--cluster", "h:1", "k", "v").out().strip();
        final CliRun delete = run("delete", "--cluster", "h:1", "k", "--context", token);
        assertEquals(0, delete.exitCode(), delete.toString());
        assertEquals(1, Context.fromToken(delete.out().strip()).size());
        assertEquals(1, run("get", "--cluster", "h:1", "k").out().lines().count(), "no value line left");
    }

    @Test
    void usageErrorsExitWithTwoAndOneLineOnStandardError() {
        for (final String[] args : List.of(
            new String[] {"put", "--cluster", "h:1", "k"},
            new String[] {"put", "k", "v"},
            new String[] {"get", "--cluster", "nope", "k"},
            new String[] {"put", "--cluster", "h:1", "k", "v", "--context", "!!not-a-token"},
            new String[] {"delete", "--cluster", "h:1", "k"},
            new String[] {"frobnicate"},
            new String[] {})) {
            final CliRun r = run(args);
            assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", args) + "\n" + r);
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(r.err().startsWith("armature"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void clusterFailuresMapToTheirExitCodes() {
        final Map<RuntimeException, Integer> cases = Map.of(
            new QuorumNotReachedException("put", 2, 1), ExitCodes.QUORUM_NOT_REACHED,
            new ClusterUnavailableException("no seed answered: h:1"), ExitCodes.UNREACHABLE,
            new RequestTimeoutException("get", Duration.ofSeconds(2)), ExitCodes.UNREACHABLE,
            new InvalidRequestException("value too large"), ExitCodes.USAGE,
            new IllegalStateException("bug"), ExitCodes.FAILURE);
        for (final Map.Entry<RuntimeException, Integer> c : cases.entrySet()) {
            cluster.kv().failWith(c.getKey());
            for (final String[] args : List.of(new String[] {"put", "--cluster", "h:1", "k", "v"},
                new String[] {"get", "--cluster", "h:1", "k"},
                new String[] {"delete", "--cluster", "h:1", "k", "--context", Context.empty().toToken()})) {
                final CliRun r = run(args);
                assertEquals(c.getValue(), r.exitCode(), c.getKey() + " " + r);
                assertEquals(1, r.err().lines().count(), r.toString());
                assertTrue(r.err().contains(c.getKey().getMessage()), r.err());
            }
        }
    }

    @Test
    void aSecretFileMustBeNonEmptyAndReadableByItsOwnerOnly(final @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        final Path empty = secret(dir.resolve("empty"), "\n", "rw-------");
        final CliRun r = run("get", "--cluster", "h:1", "--secret-file", empty.toString(), "k");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("is empty"), r.err());
        final Path open = secret(dir.resolve("open"), "s3cret\n", "rw-r--r--");
        final CliRun loose = run("get", "--cluster", "h:1", "--secret-file", open.toString(), "k");
        assertEquals(ExitCodes.USAGE, loose.exitCode(), loose.toString());
        assertTrue(loose.err().contains("chmod 600"), loose.err());
        final Path good = secret(dir.resolve("secret"), "s3cret\n", "rw-------");
        assertEquals(ExitCodes.NOT_FOUND, run("get", "--cluster", "h:1", "--secret-file", good.toString(), "k").exitCode(),
            "the secret was accepted and the (fake) cluster answered");
    }

    static Path secret(final Path file, final String content, final String permissions) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}
