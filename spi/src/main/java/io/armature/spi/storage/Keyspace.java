package io.armature.spi.storage;

/**
 * A separate ordered namespace of a {@link StorageEngine}: one per ring partition, one for hints
 * (hinted handoff) and one for the node's own metadata. Engines should lay keyspaces out so that
 * scanning one and {@linkplain StorageEngine#drop dropping} a partition are cheap.
 * Instances are immutable values.
 */
public final class Keyspace implements Comparable<Keyspace> {
    /** The kinds of keyspace. */
    public enum Kind {
        /** The records of one ring partition. */
        PARTITION,
        /** Hinted-handoff records held for other nodes. */
        HINTS,
        /** The node's own metadata: incarnation, ring, settings. */
        META
    }

    /** Largest partition number a keyspace may name (the ring has at most 65,536 partitions). */
    public static final int MAX_PARTITION = 65_535;

    private static final Keyspace HINTS = new Keyspace(Kind.HINTS, -1);
    private static final Keyspace META = new Keyspace(Kind.META, -1);

    private final Kind kind;
    private final int partition;

    private Keyspace(final Kind kind, final int partition) {
        this.kind = kind;
        this.partition = partition;
    }

    /**
     * @param partition a ring partition, {@code 0..MAX_PARTITION}
     * @return that partition's keyspace
     */
    public static Keyspace partition(final int partition) {
        if (partition < 0 || partition > MAX_PARTITION) {
            throw new IllegalArgumentException("partition must be in 0.." + MAX_PARTITION + ", was " + partition);
        }
        return new Keyspace(Kind.PARTITION, partition);
    }

    /**
     * @return the hints keyspace
     */
    public static Keyspace hints() {
        return HINTS;
    }

    /**
     * @return the metadata keyspace
     */
    public static Keyspace meta() {
        return META;
    }

    /**
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the partition number, or -1 for the hints and metadata keyspaces
     */
    public int partitionNumber() {
        return partition;
    }

    /**
     * @return a short stable name fit for file or database names: {@code p-00042}, {@code hints}, {@code meta}
     */
    public String name() {
        switch (kind) {
            case PARTITION:
                return String.format("p-%05d", partition);
            case HINTS:
                return "hints";
            default:
                return "meta";
        }
    }

    @Override
    public int compareTo(final Keyspace o) {
        final int c = kind.compareTo(o.kind);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Keyspace && ((Keyspace) o).kind == kind && ((Keyspace) o).partition == partition;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + partition;
    }

    @Override
    public String toString() {
        return name();
    }
}
