package io.armature.engine.storage.memory;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.RecordVisitor;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageException;
import io.armature.spi.storage.WriteBatch;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link StorageEngine} over one {@link ConcurrentSkipListMap} per keyspace, ordered by unsigned
 * bytes so scans match what disk engines return.
 *
 * <p>Skip-list iterators are weakly consistent, which is exactly the scan contract. A batch is
 * validated completely before its first write, so a rejected batch changes nothing; concurrent
 * readers may observe a batch half applied, which the contract allows (atomicity is promised
 * against failures, and there is no crash to survive in memory).
 */
final class MemoryStorageEngine implements StorageEngine {
    private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

    private final int maxRecordSize;
    private final Map<Keyspace, ConcurrentSkipListMap<byte[], byte[]>> keyspaces = new ConcurrentHashMap<>();
    private volatile boolean closed;

    MemoryStorageEngine(final int maxRecordSize) {
        this.maxRecordSize = maxRecordSize;
    }

    @Override
    public Durability durability() {
        return Durability.NONE;
    }

    @Override
    public byte[] get(final Keyspace keyspace, final byte[] key) {
        checkOpen("get");
        checkKey("get", key);
        final ConcurrentSkipListMap<byte[], byte[]> map = keyspaces.get(Objects.requireNonNull(keyspace, "keyspace"));
        final byte[] value = map == null ? null : map.get(key);
        return value == null ? null : value.clone();
    }

    @Override
    public void put(final Keyspace keyspace, final byte[] key, final byte[] value) {
        checkOpen("put");
        checkKey("put", key);
        checkValue("put", keyspace, value);
        map(keyspace).put(key.clone(), value.clone());
    }

    @Override
    public boolean delete(final Keyspace keyspace, final byte[] key) {
        checkOpen("delete");
        checkKey("delete", key);
        final ConcurrentSkipListMap<byte[], byte[]> map = keyspaces.get(Objects.requireNonNull(keyspace, "keyspace"));
        return map != null && map.remove(key) != null;
    }

    @Override
    public void write(final WriteBatch batch) {
        checkOpen("write");
        for (final WriteBatch.Op op : batch.ops()) {
            if (!op.isDelete()) {
                checkValue("write", op.keyspace(), op.value());
            }
        }
        for (final WriteBatch.Op op : batch.ops()) {
            if (op.isDelete()) {
                final ConcurrentSkipListMap<byte[], byte[]> map = keyspaces.get(op.keyspace());
                if (map != null) {
                    map.remove(op.key());
                }
            } else {
                map(op.keyspace()).put(op.key().clone(), op.value().clone());
            }
        }
    }

    @Override
    public void scan(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive, final RecordVisitor visitor) {
        checkOpen("scan");
        Objects.requireNonNull(visitor, "visitor");
        final ConcurrentSkipListMap<byte[], byte[]> map = keyspaces.get(Objects.requireNonNull(keyspace, "keyspace"));
        if (map == null) {
            return;
        }
        final ConcurrentNavigableMap<byte[], byte[]> range;
        if (fromInclusive != null && toExclusive != null) {
            if (UNSIGNED.compare(fromInclusive, toExclusive) >= 0) {
                return;
            }
            range = map.subMap(fromInclusive, true, toExclusive, false);
        } else if (fromInclusive != null) {
            range = map.tailMap(fromInclusive, true);
        } else if (toExclusive != null) {
            range = map.headMap(toExclusive, false);
        } else {
            range = map;
        }
        for (final Map.Entry<byte[], byte[]> e : range.entrySet()) {
            if (closed) {
                throw closedError("scan");
            }
            if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
                return;
            }
        }
    }

    @Override
    public void drop(final Keyspace keyspace) {
        checkOpen("drop");
        keyspaces.remove(Objects.requireNonNull(keyspace, "keyspace"));
    }

    @Override
    public void flush() {
        checkOpen("flush");
    }

    @Override
    public void close() {
        closed = true;
        keyspaces.clear();
    }

    @Override
    public String toString() {
        return "MemoryStorageEngine[keyspaces=" + keyspaces.size() + (closed ? ", closed" : "") + "]";
    }

    private ConcurrentSkipListMap<byte[], byte[]> map(final Keyspace keyspace) {
        return keyspaces.computeIfAbsent(Objects.requireNonNull(keyspace, "keyspace"), k -> new ConcurrentSkipListMap<>(UNSIGNED));
    }

    private void checkOpen(final String operation) {
        if (closed) {
            throw closedError(operation);
        }
    }

    private static StorageException closedError(final String operation) {
        return new StorageException("memory storage: " + operation + " after close");
    }

    private static void checkKey(final String operation, final byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("memory storage " + operation + ": key must not be empty");
        }
    }

    private void checkValue(final String operation, final Keyspace keyspace, final byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > maxRecordSize) {
            throw new IllegalArgumentException("memory storage " + operation + " in " + keyspace + ": value of " + value.length
                + " bytes exceeds max-record-size " + maxRecordSize);
        }
    }
}
