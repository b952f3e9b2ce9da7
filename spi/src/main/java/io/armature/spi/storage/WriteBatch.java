package io.armature.spi.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Writes that a {@link StorageEngine} applies atomically: all of them or none. Used, for
 * example, to store a handed-off record and delete its hint in one step. Not thread-safe; build
 * it on one thread, then hand it to {@link StorageEngine#write(WriteBatch)}.
 */
public final class WriteBatch {
    /**
     * One write of a batch.
     *
     * @param keyspace where
     * @param key the key
     * @param value the value, or null for a delete
     */
    public record Op(Keyspace keyspace, byte[] key, byte[] value) {
        /**
         * @return true if this write deletes its key
         */
        public boolean isDelete() {
            return value == null;
        }
    }

    private final List<Op> ops = new ArrayList<>();

    /**
     * @param keyspace where
     * @param key the key, not empty
     * @param value the value, may be empty, not null
     * @return this batch
     */
    public WriteBatch put(final Keyspace keyspace, final byte[] key, final byte[] value) {
        ops.add(new Op(Objects.requireNonNull(keyspace, "keyspace"), checkKey(key), Objects.requireNonNull(value, "value")));
        return this;
    }

    /**
     * @param keyspace where
     * @param key the key to delete; deleting an absent key is allowed
     * @return this batch
     */
    public WriteBatch delete(final Keyspace keyspace, final byte[] key) {
        ops.add(new Op(Objects.requireNonNull(keyspace, "keyspace"), checkKey(key), null));
        return this;
    }

    /**
     * @return the writes, in the order they were added; later writes to a key win
     */
    public List<Op> ops() {
        return Collections.unmodifiableList(ops);
    }

    /**
     * @return the number of writes
     */
    public int size() {
        return ops.size();
    }

    private static byte[] checkKey(final byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return key;
    }
}
