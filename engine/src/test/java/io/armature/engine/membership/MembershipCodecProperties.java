package io.armature.engine.membership;

import io.armature.engine.membership.MemberState.Status;
import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipCodecProperties {

    @Provide
    Arbitrary<MembershipView> views() {
        final Arbitrary<NodeId> ids = Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(64).map(NodeId::new);
        final Arbitrary<String> hosts = Arbitraries.strings().ofMinLength(1).ofMaxLength(80)
            .filter(h -> !h.isBlank() && h.codePoints().noneMatch(c -> Character.isSurrogate((char) c)))
            .filter(h -> h.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MemberState.MAX_HOST_BYTES);
        final Arbitrary<Endpoint> endpoints = Combinators.combine(hosts, Arbitraries.integers().between(0, 65_535)).as(Endpoint::new);
        final Arbitrary<Long> longs = Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0, Long.MAX_VALUE));
        final Arbitrary<String> zones = Arbitraries.oneOf(Arbitraries.just(""),
            Arbitraries.strings().withChars("azAZ09._-").ofMinLength(1).ofMaxLength(64));
        return Combinators.combine(ids, endpoints, Arbitraries.of(Status.class), longs, longs, longs, longs, zones).as(MemberState::new)
            .list().ofMaxSize(20).map(MembershipView::of);
    }

    @Property(tries = 1000)
    void decodeInvertsEncode(@ForAll("views") final MembershipView view) {
        final byte[] bytes = view.encode();
        assertEquals(MembershipCodec.VERSION, bytes[0]);
        final MembershipView decoded = MembershipView.decode(bytes);
        assertEquals(view, decoded);
        assertArrayEquals(bytes, decoded.encode(), "the encoding is canonical");
    }

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 200) final byte[] bytes) {
        decodeOrCodecException(bytes);
    }

    @Property(tries = 2000)
    void corruptedEncodingsDecodeOrFailWithACodecException(@ForAll("views") final MembershipView view,
                                                          @ForAll @IntRange(min = 0, max = 10_000) final int position,
                                                          @ForAll final byte value,
                                                          @ForAll @IntRange(min = 0, max = 10_000) final int cut) {
        final byte[] bytes = view.encode();
        final byte[] flipped = bytes.clone();
        flipped[position % flipped.length] = value;
        decodeOrCodecException(flipped);
        decodeOrCodecException(Arrays.copyOf(bytes, cut % (bytes.length + 1)));
    }

    private static void decodeOrCodecException(final byte[] bytes) {
        try {
            final MembershipView v = MembershipView.decode(bytes);
            if (bytes[0] == MembershipCodec.VERSION) {
                assertArrayEquals(bytes, v.encode(), "anything accepted is canonical");
            } else {
                // Version 1 (no settled epochs) is read as settled epoch 0 and written as version 2.
                assertEquals(v, MembershipView.decode(v.encode()), "a version-1 view survives re-encoding");
                v.members().forEach(m -> assertEquals(0, m.settledEpoch()));
            }
        } catch (final MembershipCodecException expected) {
            assertTrue(expected.getMessage().startsWith("membership view: "));
        }
    }

    @Test
    void versionOneAndTwoViewsDecodeWithNoSettledEpochsAndNoZones() {
        final MemberState a = new MemberState(new NodeId("a"), new Endpoint("h", 1), Status.LEAVING, 1, 2, 3, 3, "");
        final byte[] three = MembershipView.of(List.of(a)).encode();
        assertEquals(3, MembershipView.decode(three).get(a.node()).settledEpoch());
        final byte[] two = Arrays.copyOf(three, three.length - 1);
        two[0] = 2;
        assertEquals(a, MembershipView.decode(two).get(a.node()));
        final byte[] one = Arrays.copyOf(three, three.length - 2);
        one[0] = 1;
        assertEquals(new MemberState(a.node(), a.endpoint(), Status.LEAVING, 1, 2, 3, 0), MembershipView.decode(one).get(a.node()));
    }

    @Test
    void aZoneTravelsAndABadOneIsRejectedByName() {
        final MemberState a = new MemberState(new NodeId("a"), new Endpoint("h", 1), Status.JOINING, 1, 2, 0, 0, "eu-west-1a");
        final byte[] bytes = MembershipView.of(List.of(a)).encode();
        assertEquals("eu-west-1a", MembershipView.decode(bytes).get(a.node()).zone());
        bytes[bytes.length - 3] = ' ';
        final MembershipCodecException e = assertThrows(MembershipCodecException.class, () -> MembershipView.decode(bytes));
        assertTrue(e.getMessage().contains("zone"), e.getMessage());
    }

    @Test
    void aHugeCountIsRejectedBeforeAnythingIsAllocated() {
        final byte[] bytes = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0, 0, 0};
        final MembershipCodecException e = assertThrows(MembershipCodecException.class, () -> MembershipView.decode(bytes));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    @Test
    void malformedInputsNameTheProblem() {
        assertTrue(assertThrows(MembershipCodecException.class, () -> MembershipView.decode(new byte[0])).getMessage().contains("no bytes"));
        assertTrue(assertThrows(MembershipCodecException.class, () -> MembershipView.decode(new byte[] {4, 0}))
            .getMessage().contains("format version 4"));
        assertTrue(assertThrows(MembershipCodecException.class, () -> MembershipView.decode(new byte[] {1, 0, 0}))
            .getMessage().contains("trailing"));
        assertTrue(assertThrows(MembershipCodecException.class, () -> MembershipView.decode(new byte[] {1, (byte) 0x80, 0}))
            .getMessage().contains("over-long"));
        final MemberState a = new MemberState(new NodeId("a"), new Endpoint("h", 1), Status.UP, 1, 2, 3);
        final byte[] one = MembershipView.of(List.of(a)).encode();
        final List<Byte> twice = new ArrayList<>();
        twice.add(MembershipCodec.VERSION);
        twice.add((byte) 2);
        for (int r = 0; r < 2; r++) {
            for (int i = 2; i < one.length; i++) {
                twice.add(one[i]);
            }
        }
        final byte[] dup = new byte[twice.size()];
        for (int i = 0; i < dup.length; i++) {
            dup[i] = twice.get(i);
        }
        assertTrue(assertThrows(MembershipCodecException.class, () -> MembershipView.decode(dup))
            .getMessage().contains("duplicate"));
    }

    @Test
    void aHundredNodeViewIsAFewKilobytes() {
        final List<MemberState> states = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            states.add(new MemberState(new NodeId("node-" + i), new Endpoint("10.0.1." + i, 7000), Status.UP,
                1_764_000_000_000L, 86_400, 12));
        }
        final int size = MembershipView.of(states).encode().length;
        assertTrue(size < 4096, "100-node view took " + size + " bytes");
    }
}
