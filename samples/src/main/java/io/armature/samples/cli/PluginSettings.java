package io.armature.samples.cli;

import java.util.Locale;
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

    final Map<String, String> storage = new TreeMap<>();
    final Map<String, String> transport = new TreeMap<>();
    /** The node's record cache in bytes, or null for the default. */
    final Long recordCacheBytes;

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
        final Map<String, String> given = raw == null ? Map.of() : raw;
        final Map<String, String> storage = new TreeMap<>();
        final Map<String, String> transport = new TreeMap<>();
        for (final Map.Entry<String, String> e : new TreeMap<>(given).entrySet()) {
            final String key = e.getKey().trim();
            if (key.equals(RECORD_CACHE)) {
                cache = size(key, e.getValue());
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
        s.storage.putAll(storage);
        s.transport.putAll(transport);
        return s;
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
