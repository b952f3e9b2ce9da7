package io.armature.testkit.sim;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.RecordVisitor;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageProvider;
import io.armature.spi.storage.WriteBatch;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal in-memory storage for the simulator's own tests, independent of the engine's.
 */
final class MapStorage implements StorageEngine {
    /** Opens empty map storages. */
    static final StorageProvider PROVIDER = new StorageProvider() {
        @Override
        public String id() {
            return "map";
        }

        @Override
        public StorageEngine open(final StorageConfig config) {
            return new MapStorage();
        }
    };

    private final Map<Keyspace, TreeMap<byte[], byte[]>> data = new HashMap<>();

    private TreeMap<byte[], byte[]> space(final Keyspace k) {
        return data.computeIfAbsent(k, x -> new TreeMap<>(Arrays::compareUnsigned));
    }

    @Override
    public Durability durability() {
        return Durability.NONE;
    }

    @Override
    public byte[] get(final Keyspace keyspace, final byte[] key) {
        final byte[] v = space(keyspace).get(key);
        return v == null ? null : v.clone();
    }

    @Override
    public void put(final Keyspace keyspace, final byte[] key, final byte[] value) {
        space(keyspace).put(key.clone(), value.clone());
    }

    @Override
    public boolean delete(final Keyspace keyspace, final byte[] key) {
        return space(keyspace).remove(key) != null;
    }

    @Override
    public void write(final WriteBatch batch) {
        for (final WriteBatch.Op op : batch.ops()) {
            if (op.isDelete()) {
                delete(op.keyspace(), op.key());
            } else {
                put(op.keyspace(), op.key(), op.value());
            }
        }
    }

    @Override
    public void scan(final Keyspace keyspace, final byte[] from, final byte[] to, final RecordVisitor visitor) {
        for (final Map.Entry<byte[], byte[]> e : new TreeMap<>(space(keyspace)).entrySet()) {
            if ((from == null || Arrays.compareUnsigned(e.getKey(), from) >= 0) && (to == null || Arrays.compareUnsigned(e.getKey(), to) < 0)
                && !visitor.visit(e.getKey().clone(), e.getValue().clone())) {
                return;
            }
        }
    }

    @Override
    public void drop(final Keyspace keyspace) {
        data.remove(keyspace);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
