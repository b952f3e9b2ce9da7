package io.armature.engine.repair;

/**
 * The 64-bit digest of a version set that Merkle leaves are built from. It must be a function of
 * the version set's canonical encoding ({@code VersionSet.encode()}), so that two replicas holding
 * equal sets compute equal digests.
 *
 * <p>Armature digest format 1, its own format (not MurmurHash3, though it borrows Murmur3's block
 * constants and its finaliser): replicas compare these values over the wire (anti-entropy KEYS,
 * tombstone purge DIGEST), so every node must compute exactly this function, and a change to it
 * is a new format. For bytes {@code b} of length {@code n}, with unsigned 64-bit arithmetic:
 * <pre>
 *   h = 0x9E3779B97F4A7C15 ^ n
 *   for each whole 8-byte block k (little-endian):
 *       k = rotl(k * C1, 31) * C2;  h = rotl(h ^ k, 27) * 5 + 0x52DCE729
 *   t = the 0..7 trailing bytes, little-endian (0 if none)
 *   h ^= rotl(t * C2, 33) * C1
 *   d = fmix64(h);  digest = d == 0 ? 1 : d      (0 is MerkleTree.ABSENT)
 * </pre>
 * with {@code C1 = 0x87C37B91114253D5}, {@code C2 = 0x4CF5AD432745937F} and {@link #fmix64} Murmur3's
 * 64-bit finaliser with its own constants. The test vectors in {@code DigestsTest} pin the format.
 */
public final class Digests {
    private static final long C1 = 0x87C37B91114253D5L;
    private static final long C2 = 0x4CF5AD432745937FL;

    private Digests() {
    }

    /**
     * Digest format 1 of the bytes (see the class comment; not an adversary-resistant MAC: replicas
     * trust each other's digests, and a collision only delays the repair of one key to its next write).
     *
     * @param canonicalVersionSet the version set's canonical encoding
     * @return its digest, never {@link MerkleTree#ABSENT}
     */
    public static long ofVersionSet(final byte[] canonicalVersionSet) {
        final byte[] b = canonicalVersionSet;
        long h = 0x9E3779B97F4A7C15L ^ b.length;
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            long k = (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48 | (b[i + 7] & 0xFFL) << 56;
            k = Long.rotateLeft(k * C1, 31) * C2;
            h = Long.rotateLeft(h ^ k, 27) * 5 + 0x52DCE729;
        }
        long tail = 0;
        for (int shift = 0; i < b.length; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        h ^= Long.rotateLeft(tail * C2, 33) * C1;
        final long d = fmix64(h);
        return d == MerkleTree.ABSENT ? 1L : d;
    }

    /**
     * MurmurHash3's 64-bit finaliser ({@code fmix64}, constants {@code 0xFF51AFD7ED558CCD} and
     * {@code 0xC4CEB93FE1A85B27}): a bijection that spreads every input bit over the output.
     *
     * @param k a value
     * @return its mix
     */
    public static long fmix64(final long k) {
        long x = k;
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB93FE1A85B27L;
        x ^= x >>> 33;
        return x;
    }
}
