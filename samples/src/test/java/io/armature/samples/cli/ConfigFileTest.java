package io.armature.samples.cli;

import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code armature node --config FILE}: the file's keys are the node's options; flags win. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path config(final String yaml) throws Exception {
        final Path f = dir.resolve("armature.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static void usage(final CliRun r, final String expected) {
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().contains(expected), r.err());
    }

    private String base() {
        return "id: n1\nlisten: 127.0.0.1:7001\nseeds: [127.0.0.1:7001]\ndata-dir: " + dir.resolve("data") + "\n";
    }

    @Test
    void theFilesValuesAreCheckedAsTheFlagsAreAndNameTheKey() throws Exception {
        usage(CliRun.run(new FakeConnector(), "node", "--config", config(base() + "partitions: 100\n").toString()),
            "node.partitions must be a power of two");
        usage(CliRun.run(new FakeConnector(), "node", "--config", config(base() + "zonee: a\n").toString()),
            "unknown key 'zonee'");
        usage(CliRun.run(new FakeConnector(), "node", "--config", config(base() + "n: [1, 2]\n").toString()),
            "key 'n' takes one value");
        usage(CliRun.run(new FakeConnector(), "node", "--config", config(base() + "set: 3\n").toString()),
            "key 'set' must be a map");
        usage(CliRun.run(new FakeConnector(), "node", "--config", config("id: [unclosed\n").toString()),
            "not valid YAML");
        usage(CliRun.run(new FakeConnector(), "node", "--config", dir.resolve("missing.yaml").toString()),
            "cannot read it");
        assertTrue(Files.notExists(dir.resolve("data")), "nothing was opened");
    }

    @Test
    void aFlagOnTheCommandLineWinsOverTheFile() throws Exception {
        // The file's r=4 is refused (above n) unless the flag overrides it; the file's bad
        // partitions, not overridden, is then what gets refused: both the override and the file apply.
        final Path f = config(base() + "n: 3\nr: 4\npartitions: 100\n");
        usage(CliRun.run(new FakeConnector(), "node", "--config", f.toString(), "--partitions", "64"), "store.r");
        usage(CliRun.run(new FakeConnector(), "node", "--config", f.toString(), "--r", "2"), "node.partitions");
    }

    @Test
    void listsAndPluginSettingsBecomeTheirFlags() throws Exception {
        final CommandLine cl = ArmatureCli.commandLine(new FakeConnector());
        final CommandLine node = cl.getSubcommands().get("node");
        final Path f = config(base() + "seeds: [127.0.0.1:7001, 127.0.0.1:7002]\nset:\n  bdb.durability: sync\n");
        final List<String> args = ConfigFile.expand(node.getCommandSpec(), List.of("--config", f.toString(), "--n", "1"));
        cl.parseArgs(withNode(args));
        final NodeCommand parsed = node.getCommand();
        assertEquals(2, parsed.seeds.size(), args.toString());
        assertEquals("sync", parsed.settings.get("bdb.durability"));
        assertEquals(1, parsed.n);
    }

    @Test
    void theShippedExampleNamesOnlyRealOptions() throws Exception {
        // conf/armature.yaml is all comments; uncommented, every key it shows must be an option.
        final String example = Files.readAllLines(Path.of("..", "conf", "armature.yaml")).stream()
            .filter(l -> l.matches("#\\s{1,3}[a-z.-]+:.*") && !l.startsWith("# Every") && !l.startsWith("# Each"))
            .map(l -> l.substring(2).replaceAll("\\s+#.*$", ""))
            .collect(Collectors.joining("\n"));
        final CommandLine cl = ArmatureCli.commandLine(new FakeConnector());
        final CommandLine node = cl.getSubcommands().get("node");
        final List<String> args = ConfigFile.expand(node.getCommandSpec(), List.of("--config", config(example).toString()));
        assertTrue(args.containsAll(List.of("--id", "n1", "--seeds", "10.0.0.1:7000,10.0.0.2:7000", "--set", "bdb.durability=write-no-sync")),
            args.toString());
        cl.parseArgs(withNode(args));
    }

    private static String[] withNode(final List<String> args) {
        final java.util.ArrayList<String> all = new java.util.ArrayList<>(List.of("node"));
        all.addAll(args);
        return all.toArray(String[]::new);
    }
}
