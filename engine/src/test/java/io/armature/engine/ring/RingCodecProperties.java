package io.armature.engine.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** {@link Ring#encode()} and {@link Ring#decode(byte[])}: round trip, and hostile input. */
class RingCodecProperties {

    @Provide
    Arbitrary<RingFixtures.Spec> rings() {
        return RingFixtures.specs(4, 2);
    }

    @Property(tries = 1000)
    void decodeInvertsEncode(@ForAll("rings") RingFixtures.Spec spec) {
        Ring ring = spec.build();
        byte[] bytes = ring.encode();
        Ring back = Ring.decode(bytes);
        assertEquals(ring, back);
        assertArrayEquals(bytes, back.encode());
        assertEquals(ring.epoch(), back.epoch());
        for (NodeId m : ring.members()) {
            assertEquals(ring.zoneOf(m), back.zoneOf(m));
        }
        for (int p = 0; p < spec.partitions(); p++) {
            assertEquals(ring.preferenceList(p, 3), back.preferenceList(p, 3));
        }
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeToARingOrFailCleanly(@ForAll @Size(max = 300) byte[] bytes) {
        decodeOrRingCodecException(bytes);
    }

    /** Arbitrary bytes rarely get past the header; damaged real encodings reach every check. */
    @Property(tries = 1000)
    void damagedEncodingsDecodeToARingOrFailCleanly(
        @ForAll("rings") RingFixtures.Spec spec, @ForAll @IntRange(min = 0, max = 100_000) int where,
        @ForAll byte value, @ForAll @IntRange(min = 0, max = 2) int damage) {
        byte[] bytes = spec.build().encode();
        int at = where % bytes.length;
        byte[] damaged = switch (damage) {
            case 0 -> {
                byte[] b = bytes.clone();
                b[at] = value;
                yield b;
            }
            case 1 -> Arrays.copyOf(bytes, at);
            default -> {
                byte[] b = Arrays.copyOf(bytes, bytes.length + 1);
                b[bytes.length] = value;
                yield b;
            }
        };
        decodeOrRingCodecException(damaged);
    }

    private static void decodeOrRingCodecException(byte[] bytes) {
        try {
            Ring ring = Ring.decode(bytes);
            assertTrue(RingFixtures.maxMinusMin(ring) <= 1, "decoded rings are balanced");
            assertArrayEquals(bytes, ring.encode(), "what decodes re-encodes to the same bytes");
        } catch (RingCodecException expected) {
            assertEquals(RingCodecException.class, expected.getClass());
        }
    }

    @Example
    void aHugeMemberCountIsRejectedBeforeAllocating() {
        byte[] header = {1, 0, 0, 0, 0, 0, 0, 0, 1, 16, 0, 0, (byte) 0xff, (byte) 0xff};
        RingCodecException e = assertThrows(RingCodecException.class, () -> Ring.decode(header));
        assertEquals("truncated ring: members and owner table needs 262142 bytes at offset 14, only 0 left",
            e.getMessage());
    }

    @Example
    void unknownVersionsAndBadHeadersAreNamed() {
        assertEquals("unsupported ring encoding version 2 (this build reads version 1)",
            assertThrows(RingCodecException.class, () -> Ring.decode(new byte[] {2})).getMessage());
        assertEquals("ring bytes are null",
            assertThrows(RingCodecException.class, () -> Ring.decode(null)).getMessage());
        byte[] bytes = Ring.create(8, Map.of(new NodeId("a"), "")).encode();
        bytes[9] = 17;
        assertEquals("log2(partitions) must be in 3..16, got 17",
            assertThrows(RingCodecException.class, () -> Ring.decode(bytes)).getMessage());
    }

    @Example
    void anUnbalancedOwnerTableIsRejected() {
        Ring ring = Ring.create(8, Map.of(new NodeId("a"), "", new NodeId("b"), ""));
        byte[] bytes = ring.encode();
        int owners = bytes.length - 16;
        for (int p = 0; p < 3; p++) {
            bytes[owners + 2 * p + 1] = 0;
            bytes[owners + 2 * p + 3] = 0;
        }
        Arrays.fill(bytes, owners, bytes.length, (byte) 0);
        bytes[bytes.length - 1] = 1;
        RingCodecException e = assertThrows(RingCodecException.class, () -> Ring.decode(bytes));
        assertEquals("unbalanced owner table: members own between 1 and 7 partitions", e.getMessage());
    }

    @Example
    void theLayoutIsPinned() {
        Ring ring = Ring.create(8, Map.of(new NodeId("a"), "z1", new NodeId("b"), ""));
        byte[] expected = {
            1, 0, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 2,
            1, 'a', 2, 'z', '1', 1, 'b', 0,
            0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0,
        };
        assertArrayEquals(expected, ring.encode(), Arrays.toString(ring.encode()));
        assertEquals(List.of(new NodeId("b"), new NodeId("a")), ring.preferenceList(0, 2));
    }
}
