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

    @Property(tries = 1000)
    void damagedVersion1EncodingsDecodeToARingOrFailCleanly(
        @ForAll("rings") RingFixtures.Spec spec, @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll byte value) {
        byte[] bytes = encodeVersion1(spec.build());
        bytes[where % bytes.length] = value;
        decodeOrRingCodecException(bytes);
    }

    @Property(tries = 1000)
    void ringsPersistedByAnOlderBuildInVersion1StillDecode(@ForAll("rings") RingFixtures.Spec spec) {
        Ring ring = spec.build();
        assertEquals(ring, Ring.decode(encodeVersion1(ring)));
    }

    @Property(tries = 1000)
    void theOwnerTableTakesCeilLog2MembersBitsPerPartitionAndTheBoundHolds(@ForAll("rings") RingFixtures.Spec spec) {
        Ring ring = spec.build();
        int members = ring.members().size();
        int bits = members == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(members - 1);
        int table = 0;
        for (NodeId m : ring.members()) {
            table += 2 + m.value().length() + ring.zoneOf(m).length();
        }
        assertEquals(12 + table + spec.partitions() * bits / 8, ring.encode().length);
        assertTrue(ring.encode().length <= Ring.maxEncodedLength(spec.partitions()));
        assertTrue(ring.encode().length <= encodeVersion1(ring).length, "never larger than version 1");
    }

    private static void decodeOrRingCodecException(byte[] bytes) {
        try {
            Ring ring = Ring.decode(bytes);
            assertTrue(RingFixtures.maxMinusMin(ring) <= 1, "decoded rings are balanced");
            if (bytes[0] == 2) {
                assertArrayEquals(bytes, ring.encode(), "what decodes re-encodes to the same bytes");
            } else {
                assertEquals(ring, Ring.decode(ring.encode()), "a version 1 ring re-encodes to the same ring");
            }
        } catch (RingCodecException expected) {
            assertEquals(RingCodecException.class, expected.getClass());
        }
    }

    /** The layout of version 1, written here only: this build reads it, never writes it. */
    static byte[] encodeVersion1(Ring ring) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(1);
        for (int b = 7; b >= 0; b--) {
            out.write((int) (ring.epoch() >>> (8 * b)));
        }
        out.write(Integer.numberOfTrailingZeros(ring.partitionCount()));
        int count = ring.members().size();
        for (int b = 3; b >= 0; b--) {
            out.write(count >>> (8 * b));
        }
        List<NodeId> members = new java.util.ArrayList<>(ring.members());
        java.util.Collections.sort(members);
        for (NodeId m : members) {
            out.write(m.value().length());
            out.writeBytes(m.value().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(ring.zoneOf(m).length());
            out.writeBytes(ring.zoneOf(m).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        for (int p = 0; p < ring.partitionCount(); p++) {
            int o = members.indexOf(ring.owner(p));
            out.write(o >>> 8);
            out.write(o);
        }
        return out.toByteArray();
    }

    @Example
    void aHugeMemberCountIsRejectedBeforeAllocating() {
        byte[] header = {2, 0, 0, 0, 0, 0, 0, 0, 1, 16, (byte) 0xff, (byte) 0xff};
        long before = allocatedBytes();
        RingCodecException e = assertThrows(RingCodecException.class, () -> Ring.decode(header));
        assertTrue(allocatedBytes() - before < 64 << 10, "rejected before allocating for 65536 members");
        assertEquals("truncated ring: members and owner table needs 262144 bytes at offset 12, only 0 left",
            e.getMessage());
        byte[] version1 = {1, 0, 0, 0, 0, 0, 0, 0, 1, 16, 0, 0, (byte) 0xff, (byte) 0xff};
        assertEquals("truncated ring: members and owner table needs 262142 bytes at offset 14, only 0 left",
            assertThrows(RingCodecException.class, () -> Ring.decode(version1)).getMessage());
    }

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
            .getCurrentThreadAllocatedBytes();
    }

    @Example
    void unknownVersionsAndBadHeadersAreNamed() {
        assertEquals("unsupported ring encoding version 3 (this build reads versions 1 and 2)",
            assertThrows(RingCodecException.class, () -> Ring.decode(new byte[] {3})).getMessage());
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
        bytes[bytes.length - 1] = 0b0000_0001;
        RingCodecException e = assertThrows(RingCodecException.class, () -> Ring.decode(bytes));
        assertEquals("unbalanced owner table: members own between 1 and 7 partitions", e.getMessage());
    }

    @Example
    void anOwnerIndexBeyondTheMembersIsRejected() {
        Ring ring = Ring.create(8, Map.of(new NodeId("a"), "", new NodeId("b"), "", new NodeId("c"), ""));
        byte[] bytes = ring.encode();
        bytes[bytes.length - 2] = (byte) 0b1100_0000;
        RingCodecException e = assertThrows(RingCodecException.class, () -> Ring.decode(bytes));
        assertEquals("owner of partition 0 is member 3, but there are 3 members", e.getMessage());
    }

    @Example
    void theLayoutIsPinned() {
        Ring ring = Ring.create(8, Map.of(new NodeId("a"), "z1", new NodeId("b"), ""));
        byte[] expected = {
            2, 0, 0, 0, 0, 0, 0, 0, 1, 3, 0, 1,
            1, 'a', 2, 'z', '1', 1, 'b', 0,
            (byte) 0b1010_1010,
        };
        assertArrayEquals(expected, ring.encode(), Arrays.toString(ring.encode()));
        assertEquals(List.of(new NodeId("b"), new NodeId("a")), ring.preferenceList(0, 2));
        byte[] version1 = {
            1, 0, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 2,
            1, 'a', 2, 'z', '1', 1, 'b', 0,
            0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0,
        };
        assertEquals(ring, Ring.decode(version1), "the version 1 layout of an older build still reads");
    }

    @Example
    void theLargestRingFitsTheBound() {
        Map<NodeId, String> nodes = RingFixtures.nodes(1024, 0);
        Ring ring = Ring.create(Ring.MAX_PARTITIONS, nodes);
        byte[] bytes = ring.encode();
        int table = 0;
        for (NodeId m : nodes.keySet()) {
            table += 2 + m.value().length();
        }
        assertEquals(12 + table + 65536 * 10 / 8, bytes.length, "80 KiB of owners for 1,024 members");
        assertEquals(ring, Ring.decode(bytes));
        assertEquals(8_650_764, Ring.maxEncodedLength(Ring.MAX_PARTITIONS));
    }
}
