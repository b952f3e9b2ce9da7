package io.armature.engine.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The key hash: MurmurHash3 x64_128 (Austin Appleby's reference {@code MurmurHash3_x64_128},
 * SMHasher), seed 0, of the raw key bytes; the placement hash is the first 64-bit half
 * {@code h1} of the result (the first eight bytes of the reference output, read little-endian;
 * what Guava's {@code Hashing.murmur3_128(0).hashBytes(key).asLong()} returns).
 *
 * <p><b>This function is part of the on-disk and wire format.</b> Partition records are stored
 * under {@code hash64(key)} and every node must place a key in the same partition, so changing
 * anything here (algorithm, seed, half, byte order) silently breaks existing data and mixed
 * clusters. The fixed test vectors in {@code KeyHashTest} pin it.
 */
public final class KeyHash {

    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private KeyHash() {
    }

    /**
     * The placement hash of a key.
     *
     * @param key the key bytes
     * @return {@code h1} of MurmurHash3 x64_128 with seed 0
     */
    public static long hash64(byte[] key) {
        return murmur3(key, 0, null);
    }

    /**
     * Both halves of MurmurHash3 x64_128.
     *
     * @param data the bytes to hash
     * @param seed the seed (taken as an unsigned 32-bit value, as in the reference)
     * @return {@code {h1, h2}} in the reference implementation's output order
     */
    public static long[] murmur3x64_128(byte[] data, int seed) {
        long[] out = new long[2];
        out[0] = murmur3(data, seed, out);
        return out;
    }

    // One body for both entry points; hash64 passes no array so the hot path allocates nothing.
    @SuppressWarnings("fallthrough")
    private static long murmur3(byte[] data, int seed, long[] h2Out) {
        Objects.requireNonNull(data, "data");
        final int length = data.length;
        final int blocks = length >>> 4;
        long h1 = seed & 0xffffffffL;
        long h2 = seed & 0xffffffffL;

        for (int i = 0; i < blocks; i++) {
            long k1 = (long) LONG_LE.get(data, i << 4);
            long k2 = (long) LONG_LE.get(data, (i << 4) + 8);

            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;

            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }

        final int tail = blocks << 4;
        long k1 = 0;
        long k2 = 0;
        // Fall-through mirrors the reference tail switch: bytes 8..15 feed k2, 0..7 feed k1.
        switch (length & 15) {
            case 15: k2 ^= (data[tail + 14] & 0xffL) << 48;
            case 14: k2 ^= (data[tail + 13] & 0xffL) << 40;
            case 13: k2 ^= (data[tail + 12] & 0xffL) << 32;
            case 12: k2 ^= (data[tail + 11] & 0xffL) << 24;
            case 11: k2 ^= (data[tail + 10] & 0xffL) << 16;
            case 10: k2 ^= (data[tail + 9] & 0xffL) << 8;
            case 9:
                k2 ^= data[tail + 8] & 0xffL;
                k2 *= C2;
                k2 = Long.rotateLeft(k2, 33);
                k2 *= C1;
                h2 ^= k2;
            case 8: k1 ^= (data[tail + 7] & 0xffL) << 56;
            case 7: k1 ^= (data[tail + 6] & 0xffL) << 48;
            case 6: k1 ^= (data[tail + 5] & 0xffL) << 40;
            case 5: k1 ^= (data[tail + 4] & 0xffL) << 32;
            case 4: k1 ^= (data[tail + 3] & 0xffL) << 24;
            case 3: k1 ^= (data[tail + 2] & 0xffL) << 16;
            case 2: k1 ^= (data[tail + 1] & 0xffL) << 8;
            case 1:
                k1 ^= data[tail] & 0xffL;
                k1 *= C1;
                k1 = Long.rotateLeft(k1, 31);
                k1 *= C2;
                h1 ^= k1;
            default:
                break;
        }

        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        if (h2Out != null) {
            h2Out[1] = h2 + h1;
        }
        return h1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
