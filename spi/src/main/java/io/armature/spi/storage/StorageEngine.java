package io.armature.spi.storage;

/**
 * One node's storage: ordered byte-keyed records in {@link Keyspace}s (one per ring partition,
 * one for hints, one for metadata). Values are opaque to the engine; Armature stores a key's
 * whole version set as one record.
 *
 * <h2>Threading</h2>
 * Every method may be called concurrently from several threads (the node's event loop and its
 * background repair and handoff work). Writes to one key are linearizable: a {@link #get} that
 * starts after a write returned sees it or a later write. Scans are weakly consistent: they see
 * every write that returned before the scan began, may or may not see concurrent ones, and never
 * fail because of them.
 *
 * <h2>Durability</h2>
 * When a write method returns, the write is as durable as {@link #durability()} states.
 * {@link #flush()} makes every earlier write durable to at least {@link Durability#WRITE_NO_SYNC}
 * for engines that keep data on disk.
 *
 * <h2>Errors</h2>
 * Failures are {@link StorageException}s naming the path or operation; every call after
 * {@link #close()} fails with one. A failed {@link #write(WriteBatch)} changes nothing.
 *
 * <p>Keys are at least one byte. Arrays passed in are not retained; arrays returned are the
 * caller's to keep.
 */
public interface StorageEngine extends AutoCloseable {
    /**
     * @return the durability of a write when its method returns
     */
    Durability durability();

    /**
     * @param keyspace where
     * @param key the key
     * @return the value, or null if absent
     */
    byte[] get(Keyspace keyspace, byte[] key);

    /**
     * Inserts or replaces a record.
     *
     * @param keyspace where
     * @param key the key
     * @param value the value, up to {@link StorageConfig#maxRecordSize()} bytes
     */
    void put(Keyspace keyspace, byte[] key, byte[] value);

    /**
     * Removes a record.
     *
     * @param keyspace where
     * @param key the key
     * @return true if a record was removed
     */
    boolean delete(Keyspace keyspace, byte[] key);

    /**
     * Applies every write of a batch atomically: after a crash or a failure either all of them
     * are visible or none.
     *
     * @param batch the writes; later writes to one key win
     */
    void write(WriteBatch batch);

    /**
     * Visits the records of a keyspace whose keys lie in {@code [fromInclusive, toExclusive)},
     * in ascending unsigned byte order of the keys.
     *
     * @param keyspace where
     * @param fromInclusive the first key to visit, or null for the start
     * @param toExclusive the key to stop before, or null for the end
     * @param visitor receives each record; returns false to stop
     */
    void scan(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive, RecordVisitor visitor);

    /**
     * Removes every record of a keyspace, for example a partition that was handed to its new
     * owner. Cheap for well-laid-out engines.
     *
     * @param keyspace the keyspace to empty
     */
    void drop(Keyspace keyspace);

    /**
     * Makes every write that returned so far durable to at least {@link Durability#WRITE_NO_SYNC}
     * (no-op for {@link Durability#NONE} and {@link Durability#SYNC}).
     */
    void flush();

    /**
     * Makes every write that returned so far durable to {@link Durability#SYNC}, whatever
     * {@link #durability()} is: the engine calls it rarely, for records whose loss in a crash
     * would break a guarantee (the reserved actor epochs). The default only {@link #flush()}es,
     * which is enough for engines whose flush already reaches the disk or that keep nothing.
     */
    default void sync() {
        flush();
    }

    /**
     * What the engine reports of itself for gauges. Called from any thread, on every metrics
     * scrape: it must be cheap (no scan) and thread-safe. The default measures nothing.
     *
     * @return a snapshot; {@link StorageStats#UNKNOWN} for what it does not measure
     */
    default StorageStats stats() {
        return StorageStats.NONE;
    }

    /**
     * Flushes and releases every resource (files, locks, threads). Idempotent.
     */
    @Override
    void close();
}
