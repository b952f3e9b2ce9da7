package io.armature.engine.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Digest format 1 is compared between replicas over the wire: these vectors, computed by an
 * independent implementation of the format the class comment describes, pin it. A change that
 * breaks one is a new digest format, not a refactoring.
 */
class DigestsTest {
    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] range(final int n) {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void formatOneVectors() {
        assertEquals(0x56D1D80CD3D4480CL, Digests.ofVersionSet(new byte[0]));
        assertEquals(0x90349B0001426EB7L, Digests.ofVersionSet(ascii("a")));
        assertEquals(0xAD20C0453BCC6155L, Digests.ofVersionSet(ascii("abcdefg")), "tail only");
        assertEquals(0xC21AD14D172C4A1AL, Digests.ofVersionSet(ascii("abcdefgh")), "one block, no tail");
        assertEquals(0x080E7544283F0CC7L, Digests.ofVersionSet(ascii("abcdefghi")), "one block and a tail");
        assertEquals(0x31F16839B372AA53L, Digests.ofVersionSet(range(16)));
        assertEquals(0xFE506B447A575489L, Digests.ofVersionSet(range(17)));
        assertEquals(0xD9341285B468CAA2L, Digests.ofVersionSet(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}));
    }

    @Test
    void fmix64IsMurmur3sFinaliser() {
        assertEquals(0L, Digests.fmix64(0L));
        assertEquals(0x806872D1EADB5DA2L, Digests.fmix64(1L));
        assertEquals(0x47580A987A256EEDL, Digests.fmix64(0x0123456789ABCDEFL));
        assertEquals(0xBF425E86523B4857L, Digests.fmix64(-1L));
    }

    @Property(tries = 1000)
    void neverTheAbsentDigestAndLengthMatters(@ForAll final byte[] bytes) {
        assertNotEquals(MerkleTree.ABSENT, Digests.ofVersionSet(bytes));
        final byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertNotEquals(Digests.ofVersionSet(bytes), Digests.ofVersionSet(longer), "a trailing zero byte changes the digest");
    }

    @Test
    void noCollisionsAmongShortInputs() {
        final Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1 << 16; i++) {
            seen.add(Digests.ofVersionSet(new byte[] {(byte) i, (byte) (i >>> 8)}));
        }
        assertEquals(1 << 16, seen.size());
    }
}
