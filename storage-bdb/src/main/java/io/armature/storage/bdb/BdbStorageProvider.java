package io.armature.storage.bdb;

import com.sleepycat.je.DatabaseException;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.EnvironmentLockedException;
import io.armature.spi.storage.Durability;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageException;
import io.armature.spi.storage.StorageProvider;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code bdb} storage plugin: BerkeleyDB Java Edition, one transactional environment per node
 * directory and one JE database per keyspace. Registered through {@link java.util.ServiceLoader}.
 *
 * <p>Durability defaults to {@code write-no-sync}: each commit is written to the operating system
 * before the call returns, so it survives a crash of the process but not of the machine. That is
 * the right default for a Dynamo-style store, where an acknowledged write is made durable by
 * replication to W nodes rather than by one disk, and it is about ten times faster than
 * {@code sync} (JE on the reference VM: ~63k puts/s against ~5.8k/s). Choose {@code sync} for
 * single-node deployments or W=1; {@code no-sync} risks the last writes on a process crash.
 * The settings ({@code bdb.durability}, {@code bdb.cache-size}, {@code bdb.cleaner-threads},
 * {@code bdb.cleaner-min-utilization}, {@code bdb.log-file-size}, {@code bdb.free-disk}) are
 * described in {@link BdbSettings}; unknown {@code bdb.*} keys are rejected.
 *
 * <p>Opening never creates a store over something else: a directory that is not writable, that
 * holds files JE did not write, that lost its log files, or whose log is corrupt is a
 * {@link StorageException} naming the path. After a crash JE recovers from its log on open.
 * JE's own diagnostic log ({@code je.info.0}) stays inside the directory.
 */
public final class BdbStorageProvider implements StorageProvider {
    /** The provider id. */
    public static final String ID = "bdb";

    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public java.util.List<io.armature.spi.SettingInfo> settings() {
        return java.util.List.of(
            new io.armature.spi.SettingInfo(BdbSettings.DURABILITY, "write-no-sync", "sync, write-no-sync, no-sync",
                "When a write is durable: synced to disk, written to the OS, or buffered in the JVM."),
            new io.armature.spi.SettingInfo(BdbSettings.CACHE_SIZE, "25%", "a size (64m, 1g) of at least 1m, or 1%..90% of the heap",
                "JE's cache of the B-tree and records."),
            new io.armature.spi.SettingInfo(BdbSettings.CLEANER_THREADS, "1", "1..16", "Threads that compact JE's log files."),
            new io.armature.spi.SettingInfo(BdbSettings.CLEANER_MIN_UTILIZATION, "50", "0..90",
                "Percent of live data below which a log file is cleaned."),
            new io.armature.spi.SettingInfo(BdbSettings.LOG_FILE_SIZE, "64m", "1m..1g", "Size of one JE log file."),
            new io.armature.spi.SettingInfo(BdbSettings.FREE_DISK, "1g", "a size, 0 or more",
                "Disk space that must stay free: writes fail and open refuses below it."),
            new io.armature.spi.SettingInfo(BdbSettings.JE_PREFIX + "*", "", "JE's own parameters",
                "Passed to JE as they are (bdb.je.checkpointer.bytesInterval); JE checks them."));
    }

    @Override
    public String description() {
        return "BerkeleyDB Java Edition " + com.sleepycat.je.JEVersion.CURRENT_VERSION.getVersionString() + ", durable";
    }

    @Override
    public StorageEngine open(final StorageConfig config) {
        final BdbSettings settings = BdbSettings.of(config);
        final Path dir = config.directory() == null ? null : config.directory().toAbsolutePath().normalize();
        BdbDirectory.prepare(dir, settings);
        // JE shares one environment between handles opened on one directory in one JVM; two
        // engines on a directory would close it under each other, so that is refused here.
        if (!OPEN.add(dir)) {
            throw new StorageException("bdb storage: " + dir + " is already open in this JVM");
        }
        boolean opened = false;
        try {
            final BdbStorageEngine engine = new BdbStorageEngine(dir, openEnvironment(dir, settings), settings.durability,
                config.maxRecordSize(), () -> OPEN.remove(dir));
            opened = true;
            return engine;
        } finally {
            if (!opened) {
                OPEN.remove(dir);
            }
        }
    }

    private static Environment openEnvironment(final Path dir, final BdbSettings settings) {
        final Environment env;
        try {
            env = new Environment(dir.toFile(), environmentConfig(settings));
        } catch (final EnvironmentLockedException e) {
            throw new StorageException("bdb storage: " + dir + " is in use by another process or engine: " + e.getMessage(), e);
        } catch (final DatabaseException | IllegalArgumentException e) {
            throw new StorageException("bdb storage: cannot open the environment at " + dir
                + " (corrupt or unreadable log; nothing was changed): " + e.getMessage(), e);
        }
        try {
            BdbDirectory.markCreated(dir);
        } catch (final StorageException e) {
            env.close();
            throw e;
        }
        return env;
    }

    static EnvironmentConfig environmentConfig(final BdbSettings settings) {
        final EnvironmentConfig ec = new EnvironmentConfig();
        ec.setAllowCreate(true);
        ec.setTransactional(true);
        ec.setDurability(jeDurability(settings.durability));
        if (settings.cacheBytes > 0) {
            ec.setCacheSize(settings.cacheBytes);
        } else {
            ec.setCachePercent(settings.cachePercent);
        }
        ec.setConfigParam(EnvironmentConfig.CLEANER_THREADS, Integer.toString(settings.cleanerThreads));
        ec.setConfigParam(EnvironmentConfig.CLEANER_MIN_UTILIZATION, Integer.toString(settings.cleanerMinUtilization));
        ec.setConfigParam(EnvironmentConfig.LOG_FILE_MAX, Long.toString(settings.logFileSize));
        ec.setConfigParam(EnvironmentConfig.FREE_DISK, Long.toString(settings.freeDisk));
        ec.setConfigParam(EnvironmentConfig.CONSOLE_LOGGING_LEVEL, "OFF");
        for (final java.util.Map.Entry<String, String> e : settings.jeParams.entrySet()) {
            try {
                ec.setConfigParam(e.getKey(), e.getValue());
            } catch (final IllegalArgumentException bad) {
                throw new StorageException("bdb storage: bdb." + e.getKey() + "=" + e.getValue() + ": " + bad.getMessage(), bad);
            }
        }
        return ec;
    }

    static com.sleepycat.je.Durability jeDurability(final Durability durability) {
        switch (durability) {
            case SYNC:
                return com.sleepycat.je.Durability.COMMIT_SYNC;
            case WRITE_NO_SYNC:
                return com.sleepycat.je.Durability.COMMIT_WRITE_NO_SYNC;
            case NO_SYNC:
                return com.sleepycat.je.Durability.COMMIT_NO_SYNC;
            default:
                throw new IllegalArgumentException("bdb has no durability " + durability.id());
        }
    }
}
