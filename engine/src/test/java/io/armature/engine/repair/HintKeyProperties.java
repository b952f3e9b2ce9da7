package io.armature.engine.repair;

import io.armature.engine.ring.NodeId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HintKeyProperties {

    @Property(tries = 1000)
    void decodeInvertsEncodeAndTheOwnerPrefixFindsIt(@ForAll @AlphaChars @StringLength(min = 1, max = 64) final String owner,
                                                    @ForAll @IntRange(min = 0, max = 65_535) final int partition,
                                                    @ForAll final long hash,
                                                    @ForAll @Size(min = 1, max = 300) final byte[] key) {
        final HintKey hint = new HintKey(new NodeId(owner), partition, hash, key);
        final byte[] bytes = hint.encode();
        assertEquals(hint, HintKey.decode(bytes));
        final byte[] prefix = HintKey.ownerPrefix(new NodeId(owner));
        assertArrayEquals(prefix, Arrays.copyOf(bytes, prefix.length));
    }

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 100) final byte[] bytes) {
        try {
            assertArrayEquals(bytes, HintKey.decode(bytes).encode());
        } catch (final RepairCodecException expected) {
            assertTrue(expected.getMessage().startsWith("hint key: "));
        }
    }

    @Test
    void anotherOwnersPrefixDoesNotMatch() {
        final byte[] a = HintKey.ownerPrefix(new NodeId("node-1"));
        final byte[] b = new HintKey(new NodeId("node-10"), 1, 2, new byte[] {3}).encode();
        assertTrue(!Arrays.equals(a, Arrays.copyOf(b, a.length)), "the length byte separates node-1 from node-10");
        assertThrows(IllegalArgumentException.class, () -> new HintKey(new NodeId("n"), 65_536, 0, new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new HintKey(new NodeId("n"), 0, 0, new byte[0]));
    }
}
