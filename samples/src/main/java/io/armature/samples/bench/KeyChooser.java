package io.armature.samples.bench;

import java.util.random.RandomGenerator;

/**
 * Picks which record an operation touches. Implementations are immutable and thread-safe; the
 * randomness comes from the caller's generator so each worker thread keeps its own.
 */
public interface KeyChooser {
    /**
     * @param random the caller's generator
     * @return a record number in {@code [0, records)}
     */
    long next(RandomGenerator random);

    /**
     * @param records record count
     * @return every record equally likely
     */
    static KeyChooser uniform(final long records) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1, was " + records);
        }
        return random -> random.nextLong(records);
    }

    /**
     * YCSB's scrambled Zipfian: popular records are spread over the key space by hashing the rank,
     * so the hot keys do not all sit next to each other on the ring.
     *
     * @param records record count
     * @return a chooser with Zipfian constant 0.99
     */
    static KeyChooser zipfian(final long records) {
        final Zipfian z = new Zipfian(records, Zipfian.YCSB_CONSTANT);
        return random -> Long.remainderUnsigned(fnv64(z.next(random)), records);
    }

    /**
     * FNV-1a over the eight bytes of a number, as YCSB's {@code Utils.fnvhash64}.
     *
     * @param value a number
     * @return its hash
     */
    static long fnv64(final long value) {
        long hash = 0xCBF29CE484222325L;
        long v = value;
        for (int i = 0; i < 8; i++) {
            hash ^= v & 0xFF;
            hash *= 0x100000001B3L;
            v >>>= 8;
        }
        return hash;
    }
}
