package io.armature.engine.repair;

/**
 * A contiguous range of 64-bit key hashes, both ends inclusive, compared as unsigned numbers
 * (the ring's order: partitions take the top bits). Storage keys start with the hash, big-endian,
 * so such a range is one contiguous storage scan.
 *
 * @param first the first hash of the range
 * @param last the last hash of the range, unsigned at least {@code first}
 */
public record KeyHashRange(long first, long last) {
    /**
     * Validates the order.
     */
    public KeyHashRange {
        if (Long.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("key hash range first " + Long.toUnsignedString(first)
                + " is after last " + Long.toUnsignedString(last));
        }
    }

    /**
     * @param hash a key hash
     * @return true if the range holds it
     */
    public boolean contains(final long hash) {
        return Long.compareUnsigned(hash, first) >= 0 && Long.compareUnsigned(hash, last) <= 0;
    }

    /**
     * @return the first hash as 8 big-endian bytes, the start of the storage scan
     */
    public byte[] firstKeyPrefix() {
        return bigEndian(first);
    }

    /**
     * @return the last hash as 8 big-endian bytes; the scan covers every key that starts with a
     *     hash up to and including this one
     */
    public byte[] lastKeyPrefix() {
        return bigEndian(last);
    }

    private static byte[] bigEndian(final long v) {
        final byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public String toString() {
        return "[" + Long.toHexString(first) + ".." + Long.toHexString(last) + "]";
    }
}
