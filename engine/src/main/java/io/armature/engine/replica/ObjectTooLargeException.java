package io.armature.engine.replica;

/**
 * A replica refused to store a set larger than {@code store.max-object-size}: the stored set stays
 * as it was. Every record a replica stores stays within that cap, so every repair path can move it
 * and a read that merges N of them still fits one message (docs/design.md, "Object size").
 */
public final class ObjectTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int bytes;
    private final int limit;

    /**
     * @param partition the key's partition
     * @param bytes the encoded size the merged set would have
     * @param limit the cap
     */
    public ObjectTooLargeException(final int partition, final int bytes, final int limit) {
        super("a merged set of " + bytes + " bytes in partition " + partition + " exceeds store.max-object-size " + limit);
        this.bytes = bytes;
        this.limit = limit;
    }

    /** @return the encoded size the merged set would have */
    public int bytes() {
        return bytes;
    }

    /** @return the cap */
    public int limit() {
        return limit;
    }
}
