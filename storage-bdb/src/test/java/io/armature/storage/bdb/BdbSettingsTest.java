package io.armature.storage.bdb;

import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageException;
import io.armature.spi.storage.WriteBatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code bdb.*} settings reach JE, bad ones are rejected by name, and the on-disk layout is
 * one JE database per keyspace.
 */
class BdbSettingsTest {
    @TempDir
    Path tmp;

    private static StorageConfig.Builder config(final String... properties) {
        final StorageConfig.Builder b = StorageConfig.builder();
        for (int i = 0; i < properties.length; i += 2) {
            b.property(properties[i], properties[i + 1]);
        }
        return b;
    }

    private static void assertRejected(final StorageConfig.Builder b, final String... words) {
        final StorageException e = assertThrows(StorageException.class, () -> BdbSettings.of(b.build()));
        for (final String w : words) {
            assertTrue(e.getMessage().contains(w), () -> "'" + w + "' missing from: " + e.getMessage());
        }
    }

    @Test
    @DisplayName("the default durability is write-no-sync")
    void defaultDurability() {
        assertEquals(Durability.WRITE_NO_SYNC, BdbSettings.of(config().build()).durability);
        assertEquals(com.sleepycat.je.Durability.COMMIT_WRITE_NO_SYNC,
            BdbStorageProvider.environmentConfig(BdbSettings.of(config().build())).getDurability());
    }

    @Test
    @DisplayName("each durability level maps to the matching JE commit policy")
    void durabilityLevels() {
        assertEquals(com.sleepycat.je.Durability.COMMIT_SYNC,
            BdbStorageProvider.environmentConfig(BdbSettings.of(config("bdb.durability", "sync").build())).getDurability());
        assertEquals(com.sleepycat.je.Durability.COMMIT_NO_SYNC,
            BdbStorageProvider.environmentConfig(BdbSettings.of(config().durability(Durability.NO_SYNC).build())).getDurability());
    }

    @Test
    @DisplayName("cache, cleaner, log file and free disk settings reach the JE environment")
    void settingsReachJe() {
        final EnvironmentConfig ec = BdbStorageProvider.environmentConfig(BdbSettings.of(config(
            "bdb.cache-size", "32m", "bdb.cleaner-threads", "2", "bdb.cleaner-min-utilization", "40",
            "bdb.log-file-size", "16m", "bdb.free-disk", "2g").build()));
        assertEquals(Long.toString(32L << 20), ec.getConfigParam(EnvironmentConfig.MAX_MEMORY));
        assertEquals("2", ec.getConfigParam(EnvironmentConfig.CLEANER_THREADS));
        assertEquals("40", ec.getConfigParam(EnvironmentConfig.CLEANER_MIN_UTILIZATION));
        assertEquals(Long.toString(16L << 20), ec.getConfigParam(EnvironmentConfig.LOG_FILE_MAX));
        assertEquals(Long.toString(2L << 30), ec.getConfigParam(EnvironmentConfig.FREE_DISK));
        assertEquals(30, BdbStorageProvider.environmentConfig(BdbSettings.of(config("bdb.cache-size", "30%").build())).getCachePercent());
    }

    @Test
    @DisplayName("bdb.je.<name> passes JE's own parameters through, and JE's refusal is named")
    void jeParametersPassThrough() {
        final EnvironmentConfig ec = BdbStorageProvider.environmentConfig(BdbSettings.of(config(
            "bdb.je.checkpointer.bytesInterval", "200000000", "bdb.je.cleaner.lookAheadCacheSize", "65536").build()));
        assertEquals("200000000", ec.getConfigParam(EnvironmentConfig.CHECKPOINTER_BYTES_INTERVAL));
        assertEquals("65536", ec.getConfigParam(EnvironmentConfig.CLEANER_LOOK_AHEAD_CACHE_SIZE));
        final StorageException unknown = assertThrows(StorageException.class, () -> BdbStorageProvider.environmentConfig(
            BdbSettings.of(config("bdb.je.no.such.param", "1").build())));
        assertTrue(unknown.getMessage().contains("bdb.je.no.such.param"), unknown.getMessage());
        final StorageException bad = assertThrows(StorageException.class, () -> BdbStorageProvider.environmentConfig(
            BdbSettings.of(config("bdb.je.checkpointer.bytesInterval", "lots").build())));
        assertTrue(bad.getMessage().contains("bdb.je.checkpointer.bytesInterval=lots"), bad.getMessage());
    }

    @Test
    @DisplayName("unknown bdb keys, bad numbers, out-of-range values and durability none are rejected by name")
    void rejected() {
        assertRejected(config("bdb.cache-sise", "1g", "bdb.colour", "red", "aeron.mtu", "8k"), "bdb.cache-sise", "bdb.colour");
        assertRejected(config("bdb.cleaner-threads", "lots"), "bdb.cleaner-threads", "lots");
        assertRejected(config("bdb.cleaner-min-utilization", "95"), "bdb.cleaner-min-utilization", "0..90");
        assertRejected(config("bdb.log-file-size", "2g"), "bdb.log-file-size");
        assertRejected(config("bdb.cache-size", "95%"), "bdb.cache-size");
        assertRejected(config("bdb.durability", "eventually"), "bdb.durability", "eventually");
        assertRejected(config().durability(Durability.NONE), "none");
        assertRejected(config("bdb.durability", "sync").durability(Durability.NO_SYNC), "conflicts");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Durability.class, names = {"SYNC", "WRITE_NO_SYNC", "NO_SYNC"})
    @DisplayName("at every durable level, what was written is there after close and reopen")
    void reopenAtEachLevel(final Durability level) {
        final Path dir = tmp.resolve(level.id());
        final StorageConfig config = StorageConfig.builder().directory(dir).durability(level)
            .property("bdb.cache-size", "8m").property("bdb.free-disk", "0").build();
        final byte[] k = "k".getBytes(StandardCharsets.UTF_8);
        try (StorageEngine engine = new BdbStorageProvider().open(config)) {
            assertEquals(level, engine.durability());
            engine.put(Keyspace.partition(5), k, k);
            engine.write(new WriteBatch().put(Keyspace.hints(), k, k));
        }
        try (StorageEngine engine = new BdbStorageProvider().open(config)) {
            assertArrayEquals(k, engine.get(Keyspace.partition(5), k));
            assertArrayEquals(k, engine.get(Keyspace.hints(), k));
        }
    }

    @Test
    @DisplayName("each keyspace is its own JE database, and dropping a partition removes its database")
    void layout() {
        final Path dir = tmp.resolve("node");
        final byte[] k = "k".getBytes(StandardCharsets.UTF_8);
        try (StorageEngine engine = new BdbStorageProvider().open(StorageConfig.builder().directory(dir)
            .property("bdb.cache-size", "8m").property("bdb.free-disk", "0").build())) {
            assertEquals(Durability.WRITE_NO_SYNC, engine.durability());
            engine.put(Keyspace.partition(42), k, k);
            engine.put(Keyspace.partition(43), k, k);
            engine.put(Keyspace.hints(), k, k);
            engine.put(Keyspace.meta(), k, k);
            engine.drop(Keyspace.partition(43));
        }
        final EnvironmentConfig ec = new EnvironmentConfig();
        ec.setTransactional(true);
        ec.setReadOnly(true);
        final Environment env = new Environment(dir.toFile(), ec);
        try {
            assertEquals(List.of("hints", "meta", "p-00042"), env.getDatabaseNames().stream().sorted().toList());
        } finally {
            env.close();
        }
    }
}
