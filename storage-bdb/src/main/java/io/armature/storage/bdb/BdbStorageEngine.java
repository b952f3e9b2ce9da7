package io.armature.storage.bdb;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.CursorConfig;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.DatabaseException;
import com.sleepycat.je.DatabaseNotFoundException;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentStats;
import com.sleepycat.je.LockConflictException;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.StatsConfig;
import com.sleepycat.je.Transaction;
import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.RecordVisitor;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageException;
import io.armature.spi.storage.StorageStats;
import io.armature.spi.storage.WriteBatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link StorageEngine} on one transactional JE environment per node directory, with one JE
 * {@link Database} per keyspace ({@code p-00042}, {@code hints}, {@code meta}): a partition scan
 * and a hint scan are a cursor over one B-tree, and dropping a handed-off partition is
 * {@link Environment#removeDatabase}, whose space the cleaner reclaims in the background.
 *
 * <p>Locking: data operations share a read lock; {@link #drop} and {@link #close} take the write
 * lock, because JE refuses to remove a database or close the environment while handles are in use.
 * Drops are rare (after handoff), so the brief stall of other callers is acceptable.
 */
final class BdbStorageEngine implements StorageEngine {
    private static final int LOCK_RETRIES = 10;
    private static final int SCAN_CHUNK_RECORDS = 64;
    private static final HexFormat HEX = HexFormat.of();
    private static final Comparator<WriteBatch.Op> OP_ORDER =
        Comparator.comparing(WriteBatch.Op::keyspace).thenComparing(WriteBatch.Op::key, Arrays::compareUnsigned);

    private final Path directory;
    private static final StatsConfig FAST_STATS = new StatsConfig().setFast(true);

    private final Environment env;
    private final Durability durability;
    private final int maxRecordSize;
    private final DatabaseConfig dbConfig;
    private final Map<Keyspace, Database> databases = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Thread shutdownHook;
    private final Runnable onClose;
    private volatile boolean closed;

    BdbStorageEngine(final Path directory, final Environment env, final Durability durability, final int maxRecordSize,
                     final Runnable onClose) {
        this.directory = directory;
        this.onClose = onClose;
        this.env = env;
        this.durability = durability;
        this.maxRecordSize = maxRecordSize;
        this.dbConfig = new DatabaseConfig();
        dbConfig.setAllowCreate(true);
        dbConfig.setTransactional(true);
        // A JVM shutdown (SIGTERM, System.exit) closes the environment cleanly, so the next open
        // needs no recovery; a SIGKILL is covered by JE's log recovery instead.
        this.shutdownHook = new Thread(this::close, "armature-bdb-close " + directory);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public Durability durability() {
        return durability;
    }

    @Override
    public byte[] get(final Keyspace keyspace, final byte[] key) {
        checkKey(key);
        final ReentrantReadWriteLock.ReadLock r = readLock("get");
        try {
            final DatabaseEntry value = new DatabaseEntry();
            final OperationStatus status = database(keyspace).get(null, new DatabaseEntry(key), value, LockMode.READ_COMMITTED);
            return status == OperationStatus.SUCCESS ? value.getData() : null;
        } catch (final DatabaseException e) {
            throw failure("get", keyspace, e);
        } finally {
            r.unlock();
        }
    }

    @Override
    public void put(final Keyspace keyspace, final byte[] key, final byte[] value) {
        checkKey(key);
        checkValue("put", keyspace, value);
        final ReentrantReadWriteLock.ReadLock r = readLock("put");
        try {
            final Database db = database(keyspace);
            final DatabaseEntry k = new DatabaseEntry(key);
            final DatabaseEntry v = new DatabaseEntry(value);
            for (int attempt = 1; ; attempt++) {
                try {
                    db.put(null, k, v);
                    return;
                } catch (final LockConflictException e) {
                    if (attempt == LOCK_RETRIES) {
                        throw e;
                    }
                }
            }
        } catch (final DatabaseException e) {
            throw failure("put", keyspace, e);
        } finally {
            r.unlock();
        }
    }

    @Override
    public boolean delete(final Keyspace keyspace, final byte[] key) {
        checkKey(key);
        final ReentrantReadWriteLock.ReadLock r = readLock("delete");
        try {
            final Database db = database(keyspace);
            final DatabaseEntry k = new DatabaseEntry(key);
            for (int attempt = 1; ; attempt++) {
                try {
                    return db.delete(null, k) == OperationStatus.SUCCESS;
                } catch (final LockConflictException e) {
                    if (attempt == LOCK_RETRIES) {
                        throw e;
                    }
                }
            }
        } catch (final DatabaseException e) {
            throw failure("delete", keyspace, e);
        } finally {
            r.unlock();
        }
    }

    @Override
    public void write(final WriteBatch batch) {
        // Validate everything first, then keep only the last write per key and take the keys in
        // one global order: two batches then lock in the same order and cannot deadlock.
        final Map<String, WriteBatch.Op> last = new LinkedHashMap<>();
        for (final WriteBatch.Op op : batch.ops()) {
            if (!op.isDelete()) {
                checkValue("write", op.keyspace(), op.value());
            }
            last.put(op.keyspace().name() + '/' + HEX.formatHex(op.key()), op);
        }
        final List<WriteBatch.Op> ops = last.values().stream().sorted(OP_ORDER).toList();
        final ReentrantReadWriteLock.ReadLock r = readLock("write");
        try {
            if (ops.isEmpty()) {
                return;
            }
            for (int attempt = 1; ; attempt++) {
                final Transaction txn = env.beginTransaction(null, null);
                boolean committed = false;
                try {
                    for (final WriteBatch.Op op : ops) {
                        final Database db = database(op.keyspace());
                        if (op.isDelete()) {
                            db.delete(txn, new DatabaseEntry(op.key()));
                        } else {
                            db.put(txn, new DatabaseEntry(op.key()), new DatabaseEntry(op.value()));
                        }
                    }
                    txn.commit();
                    committed = true;
                    return;
                } catch (final LockConflictException e) {
                    if (attempt == LOCK_RETRIES) {
                        throw e;
                    }
                } finally {
                    if (!committed) {
                        txn.abort();
                    }
                }
            }
        } catch (final DatabaseException e) {
            throw failure("write", null, e);
        } finally {
            r.unlock();
        }
    }

    @Override
    public void scan(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive, final RecordVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        Objects.requireNonNull(keyspace, "keyspace");
        if (fromInclusive != null && toExclusive != null && Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0) {
            checkOpen("scan");
            return;
        }
        // Records are read in chunks and the cursor is closed before the visitor runs: a visitor
        // may then write to the keys it is shown (handoff deletes each hint it delivers) without
        // meeting the cursor's own record lock, and drop/close are not held up by a slow visitor.
        // Resuming after the last key seen keeps the scan weakly consistent.
        byte[] resumeAfter = null;
        while (true) {
            final List<byte[]> chunk = readChunk(keyspace, fromInclusive, resumeAfter, toExclusive);
            for (int i = 0; i < chunk.size(); i += 2) {
                if (!visitor.visit(chunk.get(i), chunk.get(i + 1))) {
                    return;
                }
            }
            if (chunk.size() < 2 * SCAN_CHUNK_RECORDS) {
                return;
            }
            resumeAfter = chunk.get(chunk.size() - 2);
        }
    }

    /** Up to {@link #SCAN_CHUNK_RECORDS} records as key, value, key, value...; fewer only at the end. */
    private List<byte[]> readChunk(final Keyspace keyspace, final byte[] from, final byte[] after, final byte[] to) {
        final List<byte[]> chunk = new ArrayList<>();
        final ReentrantReadWriteLock.ReadLock r = readLock("scan");
        // READ_COMMITTED releases each record lock as the cursor moves on, so writers are never blocked.
        try (Cursor cursor = database(keyspace).openCursor(null, CursorConfig.READ_COMMITTED)) {
            final DatabaseEntry key = new DatabaseEntry();
            final DatabaseEntry value = new DatabaseEntry();
            final byte[] start = after != null ? after : from;
            OperationStatus status;
            if (start == null) {
                status = cursor.getFirst(key, value, LockMode.DEFAULT);
            } else {
                key.setData(start.clone());
                status = cursor.getSearchKeyRange(key, value, LockMode.DEFAULT);
                if (status == OperationStatus.SUCCESS && after != null && Arrays.equals(key.getData(), after)) {
                    status = cursor.getNext(key, value, LockMode.DEFAULT);
                }
            }
            while (status == OperationStatus.SUCCESS) {
                final byte[] k = key.getData();
                if (to != null && Arrays.compareUnsigned(k, to) >= 0) {
                    break;
                }
                chunk.add(k);
                chunk.add(value.getData());
                if (chunk.size() == 2 * SCAN_CHUNK_RECORDS) {
                    break;
                }
                status = cursor.getNext(key, value, LockMode.DEFAULT);
            }
            return chunk;
        } catch (final DatabaseException e) {
            throw failure("scan", keyspace, e);
        } finally {
            r.unlock();
        }
    }

    @Override
    public void drop(final Keyspace keyspace) {
        Objects.requireNonNull(keyspace, "keyspace");
        final ReentrantReadWriteLock.WriteLock w = lock.writeLock();
        w.lock();
        try {
            checkOpen("drop");
            final Database db = databases.remove(keyspace);
            if (db != null) {
                db.close();
            }
            try {
                env.removeDatabase(null, keyspace.name());
            } catch (final DatabaseNotFoundException absent) {
                // Never written: already empty.
            }
        } catch (final DatabaseException e) {
            throw failure("drop", keyspace, e);
        } finally {
            w.unlock();
        }
    }

    @Override
    public void flush() {
        final ReentrantReadWriteLock.ReadLock r = readLock("flush");
        try {
            env.flushLog(false);
        } catch (final DatabaseException e) {
            throw failure("flush", null, e);
        } finally {
            r.unlock();
        }
    }

    @Override
    public void sync() {
        final ReentrantReadWriteLock.ReadLock r = readLock("sync");
        try {
            env.flushLog(true);
        } catch (final DatabaseException e) {
            throw failure("sync", null, e);
        } finally {
            r.unlock();
        }
    }

    /**
     * JE's fast statistics (no latching of the B-tree): the whole log on disk, the cache's budget
     * and use, and the cleaner's backlog as obsolete bytes of the active log. Nothing after close, and nothing while close
     * holds the lock: a scrape never waits for storage.
     */
    // JE 18 deprecated getCleanerBacklog() (it always answers 0); the work left to the cleaner is the
    // obsolete part of the active log, from the utilization it estimates (-1 until it knows).
    private static long obsoleteBytes(final EnvironmentStats s) {
        final int utilization = s.getCurrentMinUtilization();
        if (utilization < 0 || utilization > 100) {
            return StorageStats.UNKNOWN;
        }
        return s.getActiveLogSize() * (100 - utilization) / 100;
    }

    @Override
    public StorageStats stats() {
        final ReentrantReadWriteLock.ReadLock r = lock.readLock();
        if (!r.tryLock()) {
            return StorageStats.NONE;
        }
        try {
            if (closed) {
                return StorageStats.NONE;
            }
            final EnvironmentStats s = env.getStats(FAST_STATS);
            return new StorageStats(s.getTotalLogSize(), env.getConfig().getCacheSize(), s.getCacheTotalBytes(),
                obsoleteBytes(s));
        } catch (final DatabaseException | IllegalStateException e) {
            return StorageStats.NONE;
        } finally {
            r.unlock();
        }
    }

    @Override
    public void close() {
        final ReentrantReadWriteLock.WriteLock w = lock.writeLock();
        w.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            DatabaseException first = null;
            for (final Database db : databases.values()) {
                try {
                    db.close();
                } catch (final DatabaseException e) {
                    first = first == null ? e : first;
                }
            }
            databases.clear();
            try {
                env.close();
            } catch (final DatabaseException e) {
                first = first == null ? e : first;
            }
            removeShutdownHook();
            onClose.run();
            if (first != null) {
                throw failure("close", null, first);
            }
        } finally {
            w.unlock();
        }
    }

    @Override
    public String toString() {
        return "BdbStorageEngine[" + directory + ", durability=" + durability.id() + (closed ? ", closed" : "") + "]";
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (final IllegalStateException shuttingDown) {
            // The JVM is exiting; the hook will find the engine closed.
        }
    }

    private Database database(final Keyspace keyspace) {
        Objects.requireNonNull(keyspace, "keyspace");
        final Database db = databases.get(keyspace);
        return db != null ? db : databases.computeIfAbsent(keyspace, ks -> env.openDatabase(null, ks.name(), dbConfig));
    }

    private ReentrantReadWriteLock.ReadLock readLock(final String operation) {
        final ReentrantReadWriteLock.ReadLock r = lock.readLock();
        r.lock();
        if (closed) {
            r.unlock();
            throw new StorageException("bdb storage at " + directory + ": " + operation + " after close");
        }
        return r;
    }

    private void checkOpen(final String operation) {
        if (closed) {
            throw new StorageException("bdb storage at " + directory + ": " + operation + " after close");
        }
    }

    private StorageException failure(final String operation, final Keyspace keyspace, final DatabaseException e) {
        return new StorageException("bdb storage at " + directory + ": " + operation + (keyspace == null ? "" : " in " + keyspace)
            + " failed: " + e.getMessage(), e);
    }

    private static void checkKey(final byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("key must not be empty");
        }
    }

    private void checkValue(final String operation, final Keyspace keyspace, final byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > maxRecordSize) {
            throw new IllegalArgumentException("bdb storage " + operation + " in " + keyspace + ": value of " + value.length
                + " bytes exceeds max-record-size " + maxRecordSize);
        }
    }
}
