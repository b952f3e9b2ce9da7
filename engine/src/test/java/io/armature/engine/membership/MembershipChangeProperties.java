package io.armature.engine.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class MembershipChangeProperties {

    @Provide
    Arbitrary<MembershipChange> changes() {
        final Arbitrary<NodeId> ids = Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(64).map(NodeId::new);
        return Combinators.combine(Arbitraries.of(MembershipChange.Op.class), ids, ids)
            .filter((op, a, b) -> op != MembershipChange.Op.REPLACE || !a.equals(b))
            .as((op, a, b) -> new MembershipChange(op, a, op == MembershipChange.Op.REPLACE ? b : null));
    }

    @Property(tries = 1000)
    void decodeInvertsEncode(@ForAll("changes") final MembershipChange change) {
        final byte[] bytes = change.encode();
        assertEquals(change, MembershipChange.decode(bytes));
        assertArrayEquals(bytes, MembershipChange.decode(bytes).encode());
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 200) final byte[] bytes) {
        decodeOrCodecException(bytes);
    }

    @Property(tries = 1000)
    void corruptedChangesDecodeOrFailWithACodecException(@ForAll("changes") final MembershipChange change,
                                                         @ForAll @IntRange(min = 0, max = 1000) final int position,
                                                         @ForAll final byte value,
                                                         @ForAll @IntRange(min = 0, max = 1000) final int cut) {
        final byte[] bytes = change.encode();
        bytes[position % bytes.length] = value;
        decodeOrCodecException(Arrays.copyOf(bytes, cut % (bytes.length + 1)));
        decodeOrCodecException(bytes);
    }

    @Example
    void aChangeAlreadyInTheRingAppliesAsNothingAndAnUnknownMemberIsRefused() {
        final NodeId a = new NodeId("a");
        final NodeId b = new NodeId("b");
        final NodeId c = new NodeId("c");
        final Ring ring = Ring.create(16, Map.of(a, "", b, ""));
        final Ring left = new MembershipChange(MembershipChange.Op.LEAVE, b, null).applyTo(ring);
        assertEquals(ring.leave(b), left);
        assertNull(new MembershipChange(MembershipChange.Op.REMOVE, b, null).applyTo(left), "b is gone already");
        final Ring replaced = new MembershipChange(MembershipChange.Op.REPLACE, b, c).applyTo(ring);
        assertEquals(ring.replace(b, c), replaced);
        assertNull(new MembershipChange(MembershipChange.Op.REPLACE, b, c).applyTo(replaced), "c holds b's place already");
        assertThrows(IllegalArgumentException.class, () -> new MembershipChange(MembershipChange.Op.REPLACE, c, b).applyTo(left));
        assertThrows(IllegalStateException.class, () -> new MembershipChange(MembershipChange.Op.LEAVE, a, null).applyTo(left),
            "the last member cannot leave");
    }

    private static void decodeOrCodecException(final byte[] bytes) {
        try {
            final MembershipChange decoded = MembershipChange.decode(bytes);
            assertEquals(decoded, MembershipChange.decode(decoded.encode()), "whatever decodes re-encodes to the same change");
        } catch (final MembershipCodecException expected) {
            assertEquals(MembershipCodecException.class, expected.getClass());
        }
    }
}
