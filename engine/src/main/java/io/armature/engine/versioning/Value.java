package io.armature.engine.versioning;

import java.util.Arrays;

/**
 * One sibling of a key: the client's bytes, or a tombstone left by a delete.
 *
 * <p>The data array is owned by the value and never copied, because values travel on the hot
 * path of every request; whoever builds a value hands the array over and must not change it
 * afterwards, and readers must not change {@link #data()}.
 *
 * @param data the value's bytes; empty for a tombstone
 * @param tombstone whether this sibling records a delete
 * @param timestampMillis the coordinator's clock when the value was written (informational:
 *     causality never depends on it)
 */
public record Value(byte[] data, boolean tombstone, long timestampMillis) {
    private static final byte[] NO_DATA = new byte[0];

    public Value {
        if (data == null) {
            throw new IllegalArgumentException("value: data is null");
        }
        if (tombstone && data.length != 0) {
            throw new IllegalArgumentException("value: a tombstone has no data, got " + data.length + " bytes");
        }
    }

    /**
     * @return a live value holding {@code data}
     */
    public static Value of(final byte[] data, final long timestampMillis) {
        return new Value(data, false, timestampMillis);
    }

    /**
     * @return the tombstone of a delete
     */
    public static Value tombstone(final long timestampMillis) {
        return new Value(NO_DATA, true, timestampMillis);
    }

    /**
     * Total order used for the canonical order of anonymous values: data (unsigned), then
     * tombstone, then timestamp.
     */
    static int compare(final Value a, final Value b) {
        final int byData = Arrays.compareUnsigned(a.data, b.data);
        if (byData != 0) {
            return byData;
        }
        final int byTombstone = Boolean.compare(a.tombstone, b.tombstone);
        return byTombstone != 0 ? byTombstone : Long.compare(a.timestampMillis, b.timestampMillis);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Value v && tombstone == v.tombstone && timestampMillis == v.timestampMillis
            && Arrays.equals(data, v.data);
    }

    @Override
    public int hashCode() {
        return (31 * Arrays.hashCode(data) + Boolean.hashCode(tombstone)) * 31 + Long.hashCode(timestampMillis);
    }

    @Override
    public String toString() {
        return tombstone ? "Value[tombstone@" + timestampMillis + "]"
            : "Value[" + data.length + " bytes@" + timestampMillis + "]";
    }
}
