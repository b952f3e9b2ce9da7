package io.armature.storage.bdb;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageException;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code bdb.*} settings of a {@link StorageConfig}, parsed and validated once at open.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>{@code bdb.durability}</td><td>{@code write-no-sync}</td><td>{@code sync}, {@code write-no-sync}, {@code no-sync}</td></tr>
 *   <tr><td>{@code bdb.cache-size}</td><td>{@code 25%}</td><td>bytes ({@code 64m}, {@code 1g}) at least 1m, or a percentage of the heap 1..90</td></tr>
 *   <tr><td>{@code bdb.cleaner-threads}</td><td>1</td><td>1..16</td></tr>
 *   <tr><td>{@code bdb.cleaner-min-utilization}</td><td>50</td><td>0..90 (percent of live data per log file)</td></tr>
 *   <tr><td>{@code bdb.log-file-size}</td><td>{@code 64m}</td><td>1m..1g</td></tr>
 *   <tr><td>{@code bdb.free-disk}</td><td>{@code 1g}</td><td>bytes the disk must keep free; writes fail and open refuses below it</td></tr>
 * </table>
 * A durability set on the {@link StorageConfig} itself takes precedence over {@code bdb.durability};
 * setting both to different levels is an error.
 */
final class BdbSettings {
    static final String PREFIX = "bdb.";
    static final String DURABILITY = "bdb.durability";
    static final String CACHE_SIZE = "bdb.cache-size";
    static final String CLEANER_THREADS = "bdb.cleaner-threads";
    static final String CLEANER_MIN_UTILIZATION = "bdb.cleaner-min-utilization";
    static final String LOG_FILE_SIZE = "bdb.log-file-size";
    static final String FREE_DISK = "bdb.free-disk";
    static final Set<String> KNOWN = Set.of(DURABILITY, CACHE_SIZE, CLEANER_THREADS, CLEANER_MIN_UTILIZATION, LOG_FILE_SIZE, FREE_DISK);

    /**
     * Why write-no-sync: Dynamo makes an acknowledged write durable by replication (the
     * coordinator waits for W replicas), not by one disk. write-no-sync survives a process crash
     * of any one node and costs ~63k puts/s against ~5.8k/s for sync on the measured VM
     * (docs/platform-notes.md); losing the last writes needs W machines to lose power at once.
     */
    static final Durability DEFAULT_DURABILITY = Durability.WRITE_NO_SYNC;
    /** Settings under {@code bdb.je.} go to JE as they are ({@code bdb.je.checkpointer.bytesInterval}); JE checks them. */
    static final String JE_PREFIX = "bdb.je.";

    final Durability durability;
    /** Cache size in bytes, or 0 when {@link #cachePercent} applies. */
    final long cacheBytes;
    final int cachePercent;
    final int cleanerThreads;
    final int cleanerMinUtilization;
    final long logFileSize;
    final long freeDisk;
    /** Raw JE parameters, without the {@code bdb.} prefix. */
    final Map<String, String> jeParams = new TreeMap<>();

    private BdbSettings(final StorageConfig config) {
        final Set<String> unknown = new TreeSet<>();
        for (final String key : config.properties().keySet()) {
            if (key.startsWith(JE_PREFIX)) {
                jeParams.put(key.substring(PREFIX.length()), config.properties().get(key));
            } else if (key.startsWith(PREFIX) && !KNOWN.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new StorageException("bdb storage: unknown settings " + unknown + "; known: " + new TreeSet<>(KNOWN)
                + " and JE's own parameters as " + JE_PREFIX + "<name>");
        }
        final Map<String, String> p = config.properties();
        this.durability = durability(config.durability(), p.get(DURABILITY));
        final String cache = p.getOrDefault(CACHE_SIZE, "25%").trim();
        if (cache.endsWith("%")) {
            this.cachePercent = (int) range(CACHE_SIZE, parseLong(CACHE_SIZE, cache.substring(0, cache.length() - 1)), 1, 90);
            this.cacheBytes = 0;
        } else {
            this.cachePercent = 0;
            this.cacheBytes = range(CACHE_SIZE, size(CACHE_SIZE, cache), 1L << 20, Long.MAX_VALUE);
        }
        this.cleanerThreads = (int) range(CLEANER_THREADS, parseLong(CLEANER_THREADS, p.getOrDefault(CLEANER_THREADS, "1")), 1, 16);
        this.cleanerMinUtilization = (int) range(CLEANER_MIN_UTILIZATION,
            parseLong(CLEANER_MIN_UTILIZATION, p.getOrDefault(CLEANER_MIN_UTILIZATION, "50")), 0, 90);
        this.logFileSize = range(LOG_FILE_SIZE, size(LOG_FILE_SIZE, p.getOrDefault(LOG_FILE_SIZE, "64m")), 1L << 20, 1L << 30);
        this.freeDisk = range(FREE_DISK, size(FREE_DISK, p.getOrDefault(FREE_DISK, "1g")), 0, Long.MAX_VALUE);
    }

    static BdbSettings of(final StorageConfig config) {
        return new BdbSettings(config);
    }

    private static Durability durability(final Durability requested, final String property) {
        final Durability fromProperty;
        try {
            fromProperty = property == null ? null : Durability.fromId(property);
        } catch (final IllegalArgumentException e) {
            throw new StorageException("bdb storage: " + DURABILITY + "=" + property + " is not a level; allowed: sync, write-no-sync, no-sync");
        }
        if (requested != null && fromProperty != null && requested != fromProperty) {
            throw new StorageException("bdb storage: durability " + requested.id() + " conflicts with " + DURABILITY + "=" + property);
        }
        final Durability chosen = requested != null ? requested : fromProperty != null ? fromProperty : DEFAULT_DURABILITY;
        if (chosen == Durability.NONE) {
            throw new StorageException("bdb storage: durability none is not supported (bdb keeps data on disk); use the memory provider");
        }
        return chosen;
    }

    private static long range(final String key, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new StorageException("bdb storage: " + key + "=" + value + " is out of range " + min + ".." + max);
        }
        return value;
    }

    private static long parseLong(final String key, final String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (final NumberFormatException e) {
            throw new StorageException("bdb storage: " + key + "='" + text + "' is not a number");
        }
    }

    /** Parses {@code 123}, {@code 64k}, {@code 64m}, {@code 1g}, {@code 1t} (binary units). */
    static long size(final String key, final String text) {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new StorageException("bdb storage: " + key + " is empty; expected a size such as 64m");
        }
        final char unit = t.charAt(t.length() - 1);
        final int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : unit == 't' ? 40 : 0;
        final long n = parseLong(key, shift == 0 ? t : t.substring(0, t.length() - 1));
        if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE >> shift))) {
            throw new StorageException("bdb storage: " + key + "='" + text + "' is out of range");
        }
        return n << shift;
    }

    @Override
    public String toString() {
        return "durability=" + durability.id() + ", cache=" + (cacheBytes > 0 ? cacheBytes + "B" : cachePercent + "%")
            + ", cleaner-threads=" + cleanerThreads + ", cleaner-min-utilization=" + cleanerMinUtilization
            + ", log-file-size=" + logFileSize + ", free-disk=" + freeDisk;
    }
}
