package io.armature.testkit.sim;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.RecordVisitor;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.WriteBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A {@link StorageEngine} decorator that remembers how to undo every write after the node's last
 * sync point, so that a simulated crash can drop what the storage's durability would not have
 * kept: {@code sync} keeps everything; {@code write-no-sync} keeps everything in a process crash
 * (the operating system has it) and loses a tail after the last {@link #sync()} at a power loss;
 * {@code no-sync} loses a tail after the last {@link #flush()} even in a process crash. The tail
 * lost is a random number of the most recent write calls, whole (a batch is atomic).
 *
 * <p>A crashed process never finishes its shutdown: between {@link #kill()} and {@link #crash}
 * nothing reaches storage, so an engine stop cannot sync what the crash should lose.
 *
 * <p>The durability simulated is the delegate's when it keeps data across a reopen, otherwise
 * the simulation's setting: the in-memory storage then behaves like a disk store of that level.
 */
final class CrashableStorage implements StorageEngine {
    /** One record's value before a write, or null if it was absent. */
    private record Undo(Keyspace keyspace, byte[] key, byte[] previous) {
    }

    private final StorageEngine delegate;
    private final Durability durability;
    /** One entry per write call since the last sync point, oldest first. */
    private final List<List<Undo>> since = new ArrayList<>();
    /** How many entries of {@link #since} reached the operating system (flushed). */
    private int flushed;
    /** True while a crashed process shuts down: nothing it writes reaches storage. */
    private boolean dead;

    CrashableStorage(final StorageEngine delegate, final Durability simulated) {
        this.delegate = delegate;
        this.durability = delegate.durability().survivesReopen() ? delegate.durability() : simulated;
    }

    StorageEngine delegate() {
        return delegate;
    }

    /**
     * Marks the process dead: from now until {@link #crash} the node's writes, flushes and syncs
     * (its engine's stop, which a crash never runs to the end) do nothing.
     */
    void kill() {
        dead = true;
    }

    /**
     * Undoes a random tail of the writes the crash does not keep.
     *
     * @param powerLoss true for a machine crash (only synced writes are safe), false for a process crash
     * @param random where the length of the lost tail comes from
     * @return how many write calls were lost
     */
    int crash(final boolean powerLoss, final RandomGenerator random) {
        final int keptForSure;
        if (durability == Durability.SYNC) {
            keptForSure = since.size();
        } else if (powerLoss) {
            keptForSure = 0;
        } else {
            keptForSure = durability == Durability.NO_SYNC ? flushed : since.size();
        }
        final int exposed = since.size() - keptForSure;
        final int lost = exposed == 0 ? 0 : random.nextInt(exposed + 1);
        for (int i = since.size() - 1; i >= since.size() - lost; i--) {
            final List<Undo> call = since.get(i);
            for (int j = call.size() - 1; j >= 0; j--) {
                final Undo u = call.get(j);
                if (u.previous() == null) {
                    delegate.delete(u.keyspace(), u.key());
                } else {
                    delegate.put(u.keyspace(), u.key(), u.previous());
                }
            }
        }
        since.clear();
        flushed = 0;
        dead = false;
        return lost;
    }

    private Undo undo(final Keyspace keyspace, final byte[] key) {
        return new Undo(keyspace, key.clone(), delegate.get(keyspace, key));
    }

    private void remember(final List<Undo> call) {
        if (durability != Durability.SYNC) {
            since.add(call);
        }
    }

    @Override
    public Durability durability() {
        return durability;
    }

    @Override
    public byte[] get(final Keyspace keyspace, final byte[] key) {
        return delegate.get(keyspace, key);
    }

    @Override
    public void put(final Keyspace keyspace, final byte[] key, final byte[] value) {
        if (dead) {
            return;
        }
        final Undo u = undo(keyspace, key);
        delegate.put(keyspace, key, value);
        remember(List.of(u));
    }

    @Override
    public boolean delete(final Keyspace keyspace, final byte[] key) {
        if (dead) {
            return false;
        }
        final Undo u = undo(keyspace, key);
        final boolean removed = delegate.delete(keyspace, key);
        if (removed) {
            remember(List.of(u));
        }
        return removed;
    }

    @Override
    public void write(final WriteBatch batch) {
        if (dead) {
            return;
        }
        final List<Undo> call = new ArrayList<>();
        for (final WriteBatch.Op op : batch.ops()) {
            call.add(undo(op.keyspace(), op.key()));
        }
        // every undo holds the value before the whole batch, so undoing in any order restores it
        delegate.write(batch);
        remember(call);
    }

    @Override
    public void scan(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive, final RecordVisitor visitor) {
        delegate.scan(keyspace, fromInclusive, toExclusive, visitor);
    }

    @Override
    public void drop(final Keyspace keyspace) {
        if (dead) {
            return;
        }
        final List<Undo> call = new ArrayList<>();
        delegate.scan(keyspace, null, null, (k, v) -> {
            call.add(new Undo(keyspace, k, v));
            return true;
        });
        delegate.drop(keyspace);
        remember(call);
    }

    @Override
    public void flush() {
        if (dead) {
            return;
        }
        delegate.flush();
        flushed = since.size();
    }

    @Override
    public void sync() {
        if (dead) {
            return;
        }
        delegate.sync();
        since.clear();
        flushed = 0;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
