package io.armature.engine.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Pins the key hash, which is part of the on-disk and wire format. Expected values come from
 * Guava's {@code Hashing.murmur3_128(seed).hashBytes(..)} (its own published test vectors for
 * "hell" and the two "quick brown fox" strings are among them), read as two little-endian
 * longs {@code h1, h2}, and from the SMHasher reference verification code.
 */
class KeyHashTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertHash(String input, long h1, long h2) {
        assertArrayEquals(new long[] {h1, h2}, KeyHash.murmur3x64_128(ascii(input), 0), input);
        assertEquals(h1, KeyHash.hash64(ascii(input)), input);
    }

    @Test
    void matchesGuavaPublishedVectors() {
        assertHash("", 0L, 0L);
        assertHash("hell", 0x629942693e10f867L, 0x92db0b82baeb5347L);
        assertHash("The quick brown fox jumps over the lazy dog",
            0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
        assertHash("The quick brown fox jumps over the lazy cog",
            0x658ca970ff85269aL, 0x43fee3eaa68e5c3eL);
    }

    @Test
    void matchesGuavaOnShortAndBlockSizedKeys() {
        assertHash("a", 0x85555565f6597889L, 0xe6b53a48510e895aL);
        assertHash("hello", 0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L);
        assertHash("hello w", 0x7552fd5459fe5513L, 0x536b5526a1675925L);
        assertHash("hello wo", 0xf9d2c3093a3e3698L, 0x45e9804b38277826L);
        assertHash("0123456789abcdef", 0x4be06d94cf4ad1a7L, 0x87c35b5c63a708daL);
        assertHash("0123456789abcdefg", 0x8e32612daa45f9deL, 0x0800f4c206c372eeL);
    }

    /** Every tail length 0..15 and the block boundary, over bytes with the high bit set. */
    @Test
    void matchesGuavaForEveryTailLength() {
        long[][] expected = {
            {0x0000000000000000L, 0x0000000000000000L}, {0xa46bd16248e551c3L, 0x0576fa7f1e47c1f6L},
            {0xe3304859fea69b98L, 0x577c63caa7f6111fL}, {0x1992c2c31158994dL, 0x143caefcd93db752L},
            {0x41bff0560ab0f92cL, 0x9835febe0267099aL}, {0x183680d3a1474632L, 0xf724033002ac961bL},
            {0x27a4dff7f4cce6a9L, 0x8e596b2971a1a715L}, {0xcf7b85bf8584968dL, 0x8620290c2702e00bL},
            {0x8c77ad3171d401d8L, 0x08fba2669a9bf14bL}, {0xefc048af822f9d54L, 0x7000ebb5eeced296L},
            {0xed12443dc33f2dc6L, 0x5e59cf18ebaee7b0L}, {0x1b496dd0a682698aL, 0x6d7b3711672dbe58L},
            {0x1136832c61247ef8L, 0x274b50fc6b3cf3ddL}, {0xe630146d9dc7d022L, 0x2fa13e398d9d4907L},
            {0x208aae7e1f6f34e7L, 0x65706f64f299e628L}, {0x1237ca845d4c1800L, 0xa173c723df24bf12L},
            {0x015deb6369b72afbL, 0x380ec9c7fc76a585L}, {0x067f69ffe052646eL, 0x77c57f2161e28472L},
            {0xb52a5242afb4d50bL, 0x8f7990661df6c984L}, {0x5593143fd05b4de2L, 0x3fda36a9d8f2a6e2L},
            {0xabd939555a067bf2L, 0x2f247a53b94ad1f2L}, {0xf53f451fda48c62bL, 0x141f1a4bb831553eL},
            {0xd2db9b951d9c3a55L, 0x1469f46cd876b470L}, {0x6243d84e98142aa4L, 0x2a59653c61ad080cL},
            {0x8073d71cf8f630eeL, 0xeb8f8d3896b4f624L}, {0xcb68d2f26fddbbf9L, 0xfe42691798b0f277L},
            {0xd9e854609b5fd691L, 0xcc5ff0948a619290L}, {0x9dd3449798ce90ddL, 0x1401e3015c094e64L},
            {0x4769b5791d1003b0L, 0x903c56c35be99e06L}, {0x0621fa9baf2ff8c6L, 0x0f49e8b4b4793197L},
            {0xe770e91419644dbdL, 0xef4ed352dc499d1eL}, {0xb01845ebc1e4df7cL, 0x55a9a2cbf08f22c7L},
        };
        for (int n = 0; n < expected.length; n++) {
            byte[] key = new byte[n];
            for (int i = 0; i < n; i++) {
                key[i] = (byte) (i * 37 + 200);
            }
            assertArrayEquals(expected[n], KeyHash.murmur3x64_128(key, 0), "length " + n);
        }
    }

    @Test
    void honoursTheSeed() {
        assertArrayEquals(new long[] {0x818ea26bed3cb2a4L, 0xf604d245f9269fdeL},
            KeyHash.murmur3x64_128(ascii("0123456789abcdef"), 42));
    }

    /**
     * SMHasher's VerificationTest: hash keys {0}, {0,1}, ... of length i with seed 256 - i,
     * concatenate the 256 digests, hash that with seed 0; the first four bytes (little-endian)
     * must be 0x6384BA69 for MurmurHash3_x64_128.
     */
    @Test
    void passesTheSmhasherVerificationValue() {
        byte[] digests = new byte[256 * 16];
        for (int i = 0; i < 256; i++) {
            byte[] key = new byte[i];
            for (int j = 0; j < i; j++) {
                key[j] = (byte) j;
            }
            long[] h = KeyHash.murmur3x64_128(key, 256 - i);
            for (int b = 0; b < 8; b++) {
                digests[i * 16 + b] = (byte) (h[0] >>> (8 * b));
                digests[i * 16 + 8 + b] = (byte) (h[1] >>> (8 * b));
            }
        }
        int verification = (int) KeyHash.murmur3x64_128(digests, 0)[0];
        assertEquals(0x6384BA69, verification);
    }
}
