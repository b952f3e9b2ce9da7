package io.armature.engine.ring;

/** TEMPORARY stand-in until the ring branch lands (not Murmur3). */
public final class KeyHash {
    private KeyHash() {
    }

    /** @param key key @return hash */
    public static long hash64(final byte[] key) {
        long h = 0xcbf29ce484222325L;
        for (final byte b : key) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
