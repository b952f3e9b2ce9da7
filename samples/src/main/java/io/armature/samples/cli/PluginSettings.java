package io.armature.samples.cli;

import io.armature.engine.faults.FaultInjection;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code --set KEY=VALUE} settings of {@code node} and {@code bench --embedded}, routed by the
 * key's prefix: the storage plugin's id ({@code bdb.durability}), the transport plugin's id
 * ({@code aeron.idle-yields}) or {@code node.} for the node itself ({@code node.record-cache}).
 * Each plugin validates its own keys at start and names any it does not know; a key with no
 * known prefix is refused here, before anything starts.
 */
final class PluginSettings {
    static final String RECORD_CACHE = "node.record-cache";
    /** Hidden, for the chaos harness: the wall clock's offset, and the control endpoint that moves it (README, Testing). */
    static final String CLOCK_OFFSET = "node.clock-offset";
    /** Hidden, for the testkit's self-tests only: deliberate engine bugs ({@code FaultInjection.Fault} names). */
    static final String FAULTS = "node.faults";

    final Map<String, String> storage = new TreeMap<>();
    final Map<String, String> transport = new TreeMap<>();
    /** The node's record cache in bytes, or null for the default. */
    final Long recordCacheBytes;
    /** The wall clock's offset in milliseconds, or null for the system clock as it is (and no control endpoint). */
    Long clockOffsetMillis;
    /** The deliberate bugs switched on. */
    FaultInjection faults = FaultInjection.NONE;

    private PluginSettings(final Long recordCacheBytes) {
        this.recordCacheBytes = recordCacheBytes;
    }

    /**
     * @param raw the settings as given, or null
     * @param storageId the storage plugin's id
     * @param transportId the transport plugin's id
     * @return the settings, routed
     * @throws IllegalArgumentException naming a key no one takes, or a bad node value
     */
    static PluginSettings route(final Map<String, String> raw, final String storageId, final String transportId) {
        Long cache = null;
        Long clockOffset = null;
        FaultInjection faults = FaultInjection.NONE;
        final Map<String, String> given = raw == null ? Map.of() : raw;
        final Map<String, String> storage = new TreeMap<>();
        final Map<String, String> transport = new TreeMap<>();
        for (final Map.Entry<String, String> e : new TreeMap<>(given).entrySet()) {
            final String key = e.getKey().trim();
            if (key.equals(RECORD_CACHE)) {
                cache = size(key, e.getValue());
            } else if (key.equals(CLOCK_OFFSET)) {
                clockOffset = millis(key, e.getValue());
            } else if (key.equals(FAULTS)) {
                faults = faults(key, e.getValue());
            } else if (key.startsWith(storageId + ".")) {
                storage.put(key, e.getValue());
            } else if (key.startsWith(transportId + ".")) {
                transport.put(key, e.getValue());
            } else {
                throw new IllegalArgumentException("--set " + key + ": not a setting of the storage plugin '" + storageId
                    + "', the transport plugin '" + transportId + "' or the node (" + RECORD_CACHE + ")");
            }
        }
        final PluginSettings s = new PluginSettings(cache);
        s.clockOffsetMillis = clockOffset;
        s.faults = faults;
        s.storage.putAll(storage);
        s.transport.putAll(transport);
        return s;
    }

    /** Parses a signed duration: {@code 0}, {@code 1500ms}, {@code -30s}, {@code 2m}; a bare number is milliseconds. */
    static long millis(final String key, final String text) {
        final String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        final long unit;
        final String digits;
        if (t.endsWith("ms")) {
            unit = 1;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000;
            digits = t.substring(0, t.length() - 1);
        } else {
            unit = 1;
            digits = t;
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits.trim()), unit);
        } catch (final NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--set " + key + "='" + text + "' is not a duration such as -30s or 1500ms");
        }
    }

    /** Parses comma-separated {@code FaultInjection.Fault} names, any case. */
    static FaultInjection faults(final String key, final String text) {
        final Set<FaultInjection.Fault> set = EnumSet.noneOf(FaultInjection.Fault.class);
        for (final String name : (text == null ? "" : text).split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                set.add(FaultInjection.Fault.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("--set " + key + ": unknown fault '" + name.trim() + "'; known: "
                    + Arrays.toString(FaultInjection.Fault.values()));
            }
        }
        return FaultInjection.of(set);
    }

    /** Parses {@code 123}, {@code 64k}, {@code 64m}, {@code 1g} (binary units). */
    static long size(final String key, final String text) {
        final String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--set " + key + " is empty; expected a size such as 64m");
        }
        final char unit = t.charAt(t.length() - 1);
        final int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
        final long n;
        try {
            n = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("--set " + key + "='" + text + "' is not a size such as 64m");
        }
        if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("--set " + key + "='" + text + "' is out of range");
        }
        return n << shift;
    }
}
