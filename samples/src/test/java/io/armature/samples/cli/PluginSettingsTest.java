package io.armature.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.faults.FaultInjection;
import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginSettingsTest {
    @Test
    void keysGoToThePluginTheirPrefixNames() {
        final PluginSettings s = PluginSettings.route(Map.of("bdb.durability", "no-sync", "aeron.idle-yields", "10",
            "node.record-cache", "8m"), "bdb", "aeron");
        assertEquals(Map.of("bdb.durability", "no-sync"), s.storage);
        assertEquals(Map.of("aeron.idle-yields", "10"), s.transport);
        assertEquals(8L << 20, s.recordCacheBytes);
        assertNull(PluginSettings.route(null, "bdb", "aeron").recordCacheBytes, "no --set keeps the node's default");
    }

    @Test
    void aKeyNoOneTakesIsRefusedByName() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PluginSettings.route(Map.of("rocks.block-size", "4k"), "bdb", "aeron"));
        assertTrue(e.getMessage().contains("rocks.block-size") && e.getMessage().contains("'bdb'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PluginSettings.route(Map.of("node.record-cache", "lots"), "bdb", "aeron"));
        assertThrows(IllegalArgumentException.class, () -> PluginSettings.route(Map.of("node.record-cache", "-1"), "bdb", "aeron"));
        assertThrows(IllegalArgumentException.class,
            () -> PluginSettings.route(Map.of("node.record-cache", "9999999999999g"), "bdb", "aeron"));
    }

    @Test
    void hiddenNodeSettingsSetTheClockOffsetAndTheDeliberateFaults() {
        final PluginSettings s = PluginSettings.route(Map.of("node.clock-offset", "-30s", "node.faults", "last_write_wins,skip-read-repair"),
            "bdb", "aeron");
        assertEquals(-30_000L, s.clockOffsetMillis);
        assertTrue(s.faults.has(FaultInjection.Fault.LAST_WRITE_WINS) && s.faults.has(FaultInjection.Fault.SKIP_READ_REPAIR), s.faults.toString());
        assertEquals(1500L, PluginSettings.route(Map.of("node.clock-offset", "1500ms"), "bdb", "aeron").clockOffsetMillis);
        assertEquals(0L, PluginSettings.route(Map.of("node.clock-offset", "0"), "bdb", "aeron").clockOffsetMillis);
        final PluginSettings none = PluginSettings.route(null, "bdb", "aeron");
        assertNull(none.clockOffsetMillis, "without the setting the system clock runs as it is, with no control endpoint");
        assertEquals(FaultInjection.NONE, none.faults);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PluginSettings.route(Map.of("node.faults", "EAT_DATA"), "bdb", "aeron"));
        assertTrue(e.getMessage().contains("EAT_DATA") && e.getMessage().contains("LAST_WRITE_WINS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PluginSettings.route(Map.of("node.clock-offset", "soon"), "bdb", "aeron"));
    }

    @Test
    void benchPassesSettingsToTheEmbeddedClusterAndItsPluginsCheckThem() {
        final CliRun bad = CliRun.run(new FakeConnector(), "bench", "--embedded", "3", "--storage", "memory", "--transport", "local",
            "--records", "10", "--operations", "10", "--warmup", "0s", "--set", "local.no-such-setting=1");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("no-such-setting"), bad.err());
        final CliRun ok = CliRun.run(new FakeConnector(), "bench", "--embedded", "3", "--storage", "memory", "--transport", "local",
            "--records", "10", "--operations", "10", "--warmup", "0s", "--set", "node.record-cache=0");
        assertEquals(0, ok.exitCode(), ok.toString());
        final CliRun remote = CliRun.run(new FakeConnector(), "bench", "--cluster", "10.1.1.1:7000", "--set", "node.record-cache=0");
        assertEquals(ExitCodes.USAGE, remote.exitCode(), remote.toString());
    }
}
