package io.armature.samples.cli;

import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys and values of any bytes, --timeout and the JSON answers of the client commands. */
class BinaryClientCommandsTest {
    /** Fresh for every try of a property: a blind write to a key written before would add a sibling. */
    private FakeConnector cluster = new FakeConnector();

    private CliRun run(final String... args) {
        return CliRun.run(cluster, args);
    }

    private static Map<?, ?> parseJson(final String text) {
        // JSON is YAML 1.1's flow style: snakeyaml, already on the class path, parses it.
        return (Map<?, ?>) new Yaml().load(text);
    }

    private byte[] onlyValue(final String keyHex) {
        final CliRun get = run("get", "--cluster", "h:1", "--key-encoding", "hex", "--value-encoding", "base64", keyHex);
        assertEquals(0, get.exitCode(), get.toString());
        final List<String> values = get.out().lines().filter(l -> l.startsWith("value: ")).toList();
        assertEquals(1, values.size(), get.toString());
        return Base64.getDecoder().decode(values.get(0).substring("value: ".length()));
    }

    @Property(tries = 50)
    void anyKeyAndValueRoundTripThroughHexAndBase64(@ForAll final byte[] key, @ForAll final byte[] value) {
        if (key.length == 0) {
            return;
        }
        cluster = new FakeConnector();
        final String keyHex = HexFormat.of().formatHex(key);
        final CliRun put = run("put", "--cluster", "h:1", "--key-encoding", "hex", "--value-encoding", "base64", keyHex,
            Base64.getEncoder().encodeToString(value));
        assertEquals(0, put.exitCode(), put.toString());
        assertArrayEquals(value, onlyValue(keyHex));
        final CliRun hex = run("get", "--cluster", "h:1", "--key-encoding", "base64", "--value-encoding", "hex",
            Base64.getEncoder().encodeToString(key));
        assertEquals("value: " + HexFormat.of().formatHex(value), hex.out().lines().findFirst().orElseThrow(), hex.toString());
    }

    @Test
    void aValueFileIsWrittenAsItsBytes(@TempDir final Path dir) throws Exception {
        final byte[] bytes = {0, (byte) 0xff, '\n', (byte) 0xc3, 0x28};
        final Path file = Files.write(dir.resolve("v.bin"), bytes);
        final CliRun put = run("put", "--cluster", "h:1", "--key-encoding", "hex", "0001", "--value-file", file.toString());
        assertEquals(0, put.exitCode(), put.toString());
        assertArrayEquals(bytes, onlyValue("0001"));
    }

    @Test
    void aValueFileOfDashIsStandardInput() {
        final byte[] bytes = {1, 2, 3, 0, (byte) 0x80};
        final StringWriter out = new StringWriter();
        final CommandLine cl = ArmatureCli.commandLine(cluster, new ByteArrayInputStream(bytes));
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("put", "--cluster", "h:1", "--key-encoding", "hex", "ab", "--value-file", "-"));
        assertArrayEquals(bytes, onlyValue("ab"));
    }

    @Test
    void badInputIsAUsageErrorNamingWhatIsWrongAndSendsNothing(@TempDir final Path dir) {
        for (final String[] args : List.of(
            new String[] {"put", "--cluster", "h:1", "--key-encoding", "hex", "abc", "v"},
            new String[] {"put", "--cluster", "h:1", "--value-encoding", "base64", "k", "!!!"},
            new String[] {"put", "--cluster", "h:1", "k"},
            new String[] {"put", "--cluster", "h:1", "k", "v", "--value-file", "-"},
            new String[] {"put", "--cluster", "h:1", "k", "--value-file", dir.resolve("missing").toString()},
            new String[] {"get", "--cluster", "h:1", "--key-encoding", "rot13", "k"},
            new String[] {"get", "--cluster", "h:1", "--timeout", "0s", "k"},
            new String[] {"status", "--cluster", "h:1", "--timeout", "soon"})) {
            final CliRun r = run(args);
            assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", args) + "\n" + r);
            assertEquals(1, r.err().lines().count(), r.toString());
        }
        assertTrue(run("put", "--cluster", "h:1", "--key-encoding", "hex", "abc", "v").err().contains("KEY is not valid hex"));
        assertEquals(0, cluster.kv().requests(), "nothing reached the cluster");
    }

    @Test
    void timeoutIsTheDeadlineOfEveryRequest() {
        run("put", "--cluster", "h:1", "--timeout", "750ms", "k", "v");
        assertEquals(Duration.ofMillis(750), cluster.kv().lastConsistency().timeout());
        run("get", "--cluster", "h:1", "--timeout", "3", "k");
        assertEquals(Duration.ofSeconds(3), cluster.kv().lastConsistency().timeout());
        run("delete", "--cluster", "h:1", "--timeout", "1m", "k", "--context", io.armature.api.Context.empty().toToken());
        assertEquals(Duration.ofMinutes(1), cluster.kv().lastConsistency().timeout());
        run("get", "--cluster", "h:1", "k");
        assertEquals(null, cluster.kv().lastConsistency().timeout(), "without --timeout the cluster's applies");
    }

    @Test
    void putDeleteAndGetAnswerTheDocumentedJson() {
        final Map<?, ?> put = parseJson(run("put", "--cluster", "h:1", "--json", "k", "v").out());
        assertEquals("put", put.get("command"));
        final String token = (String) put.get("context");
        final Map<?, ?> get = parseJson(run("get", "--cluster", "h:1", "--json", "--value-encoding", "hex", "k").out());
        assertEquals(Map.of("command", "get", "found", true, "encoding", "hex", "values", List.of("76"), "context", token), get);
        final Map<?, ?> delete = parseJson(run("delete", "--cluster", "h:1", "--json", "k", "--context", token).out());
        assertEquals("delete", delete.get("command"));
        assertTrue(((String) delete.get("context")).length() > 0);
    }

    @Test
    void pluginsAnswerTheDocumentedJson() {
        final CliRun plugins = run("plugins", "--json");
        assertEquals(0, plugins.exitCode(), plugins.toString());
        final Map<?, ?> p = parseJson(plugins.out());
        assertEquals("plugins", p.get("command"));
        final List<?> storage = (List<?>) p.get("storage");
        assertTrue(storage.stream().map(m -> ((Map<?, ?>) m).get("id")).toList().containsAll(List.of("bdb", "memory")), plugins.out());
        for (final Object o : storage) {
            assertEquals(java.util.Set.of("id", "description", "class", "origin"), ((Map<?, ?>) o).keySet());
        }
        assertTrue(((List<?>) p.get("transport")).stream().map(m -> ((Map<?, ?>) m).get("id")).toList().contains("local"), plugins.out());
    }
}
