package io.armature.testkit.sim;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.RecordVisitor;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.WriteBatch;

/**
 * A {@link StorageEngine} decorator that counts the writes of a simulated node, so the simulator
 * can tell when repair has gone quiet and whether any stand-in stored a hint (sloppy quorum).
 */
final class RecordingStorage implements StorageEngine {
    /** Counters shared by every node of a run. */
    static final class Counters {
        long writes;
        long hintWrites;
        /** Records deleted from a partition: tombstone purges (nothing else deletes a record). */
        long purges;
    }

    private final StorageEngine delegate;
    private final Counters counters;

    RecordingStorage(final StorageEngine delegate, final Counters counters) {
        this.delegate = delegate;
        this.counters = counters;
    }

    StorageEngine delegate() {
        return delegate;
    }

    private void count(final Keyspace keyspace) {
        counters.writes++;
        if (keyspace.kind() == Keyspace.Kind.HINTS) {
            counters.hintWrites++;
        }
    }

    @Override
    public Durability durability() {
        return delegate.durability();
    }

    @Override
    public byte[] get(final Keyspace keyspace, final byte[] key) {
        return delegate.get(keyspace, key);
    }

    @Override
    public void put(final Keyspace keyspace, final byte[] key, final byte[] value) {
        delegate.put(keyspace, key, value);
        count(keyspace);
    }

    @Override
    public boolean delete(final Keyspace keyspace, final byte[] key) {
        counters.writes++;
        if (keyspace.kind() == Keyspace.Kind.PARTITION) {
            counters.purges++;
        }
        return delegate.delete(keyspace, key);
    }

    @Override
    public void write(final WriteBatch batch) {
        delegate.write(batch);
        for (final WriteBatch.Op op : batch.ops()) {
            if (op.isDelete()) {
                counters.writes++;
                if (op.keyspace().kind() == Keyspace.Kind.PARTITION) {
                    counters.purges++;
                }
            } else {
                count(op.keyspace());
            }
        }
    }

    @Override
    public void scan(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive, final RecordVisitor visitor) {
        delegate.scan(keyspace, fromInclusive, toExclusive, visitor);
    }

    @Override
    public void drop(final Keyspace keyspace) {
        counters.writes++;
        delegate.drop(keyspace);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void sync() {
        // forwarded, not left to the default flush: the crash simulation must see the sync points
        delegate.sync();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
