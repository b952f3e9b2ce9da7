package io.armature.engine.replica;

import io.armature.engine.versioning.VersionSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A write-through cache of recently used partition records, decoded, bounded in bytes and
 * evicted least recently used first.
 *
 * <p>Dynamo (section 6.1) keeps an object buffer in memory that reads check first. Ours is
 * write-through rather than write-back: the storage engine is written before the cache, so a
 * crash loses nothing the storage's durability setting keeps. Every replica read and write is a
 * read-merge-write of the key's version set; for hot keys the cache turns the storage read
 * (a B-tree descent, latches and locks in BerkeleyDB JE) and the decoding into a hash lookup.
 *
 * <p>The node's event loop is the only writer, but tests and tools read a node's replica from
 * their own threads, so every method holds the cache's monitor (uncontended on the hot path).
 * A fill after a miss carries the {@link #stamp()} read before the storage read and is dropped
 * if any change happened in between, so a slow reader can never put back a value that a write
 * already replaced.
 */
final class RecordCache {
    /** Bytes charged per entry beyond the record itself: map node, key object, decoded arrays. */
    static final int ENTRY_OVERHEAD = 160;

    private final long capacityBytes;
    private final LinkedHashMap<CacheKey, Entry> map = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;
    private long stamp;
    private long hits;
    private long misses;

    /**
     * @param capacityBytes the most the entries may be charged; 0 keeps nothing
     */
    RecordCache(final long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("record cache capacity must be >= 0, was " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /** A cached record: its encoding as stored and the version set it decodes to. */
    record Entry(byte[] encoded, VersionSet set) {
        long charge(final int keyLength) {
            // the decoded set holds its own copies of the values, so a record is charged twice
            return 2L * encoded.length + keyLength + ENTRY_OVERHEAD;
        }
    }

    boolean enabled() {
        return capacityBytes > 0;
    }

    synchronized Entry get(final int partition, final byte[] recordKey) {
        if (capacityBytes == 0) {
            return null;
        }
        final Entry e = map.get(new CacheKey(partition, recordKey));
        if (e == null) {
            misses++;
        } else {
            hits++;
        }
        return e;
    }

    /**
     * @return a token to pass to {@link #fill}: the count of changes so far
     */
    synchronized long stamp() {
        return stamp;
    }

    /**
     * Caches a record read from storage, unless anything changed since {@code stampBefore}.
     */
    synchronized void fill(final int partition, final byte[] recordKey, final Entry entry, final long stampBefore) {
        if (capacityBytes == 0 || stampBefore != stamp) {
            return;
        }
        insert(new CacheKey(partition, recordKey), entry);
    }

    /**
     * Records a change the storage already holds: caches the new record, or forgets the key if
     * {@code entry} is null (deleted).
     */
    synchronized void changed(final int partition, final byte[] recordKey, final Entry entry) {
        stamp++;
        if (capacityBytes == 0) {
            return;
        }
        final CacheKey key = new CacheKey(partition, recordKey);
        if (entry == null) {
            final Entry old = map.remove(key);
            if (old != null) {
                bytes -= old.charge(recordKey.length);
            }
        } else {
            insert(key, entry);
        }
    }

    /**
     * Forgets every record of one partition (the partition was dropped from storage).
     */
    synchronized void invalidatePartition(final int partition) {
        stamp++;
        final Iterator<Map.Entry<CacheKey, Entry>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            final Map.Entry<CacheKey, Entry> e = it.next();
            if (e.getKey().partition == partition) {
                bytes -= e.getValue().charge(e.getKey().recordKey.length);
                it.remove();
            }
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return map.size();
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }

    private void insert(final CacheKey key, final Entry entry) {
        final long charge = entry.charge(key.recordKey.length);
        final Entry old = map.remove(key);
        if (old != null) {
            bytes -= old.charge(key.recordKey.length);
        }
        if (charge > capacityBytes / 8) {
            // one huge record would flush everything hot; it is read from storage instead
            return;
        }
        map.put(key, entry);
        bytes += charge;
        final Iterator<Map.Entry<CacheKey, Entry>> it = map.entrySet().iterator();
        while (bytes > capacityBytes && it.hasNext()) {
            final Map.Entry<CacheKey, Entry> eldest = it.next();
            bytes -= eldest.getValue().charge(eldest.getKey().recordKey.length);
            it.remove();
        }
    }

    private static final class CacheKey {
        final int partition;
        final byte[] recordKey;
        private final int hash;

        CacheKey(final int partition, final byte[] recordKey) {
            this.partition = partition;
            this.recordKey = recordKey;
            this.hash = 31 * partition + hashOf(recordKey);
        }

        /** A record key starts with the key's 64-bit Murmur3 hash (StorageLayout): reuse it. */
        private static int hashOf(final byte[] recordKey) {
            if (recordKey.length < 8) {
                return Arrays.hashCode(recordKey);
            }
            final long h = StorageLayout.getLong(recordKey);
            return (int) (h ^ (h >>> 32));
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof CacheKey k && k.hash == hash && k.partition == partition && Arrays.equals(k.recordKey, recordKey);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
