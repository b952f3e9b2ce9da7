package io.armature.engine.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class JoinRequestProperties {

    @Provide
    Arbitrary<JoinRequest> requests() {
        final Arbitrary<NodeId> ids = Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(64).map(NodeId::new);
        final Arbitrary<String> zones = Arbitraries.strings().alpha().ofMaxLength(40);
        final Arbitrary<Endpoint> endpoints = Combinators.combine(Arbitraries.strings().withChars("abc.0123").ofMinLength(1).ofMaxLength(60),
            Arbitraries.integers().between(0, 65_535)).as(Endpoint::new);
        return Combinators.combine(ids, zones, endpoints).as(JoinRequest::new);
    }

    @Property(tries = 1000)
    void decodeInvertsEncode(@ForAll("requests") final JoinRequest join) {
        final byte[] bytes = join.encode();
        assertEquals(join, JoinRequest.decode(bytes));
        assertArrayEquals(bytes, JoinRequest.decode(bytes).encode());
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 200) final byte[] bytes) {
        decodeOrCodecException(bytes);
    }

    @Property(tries = 1000)
    void corruptedRequestsDecodeOrFailWithACodecException(@ForAll("requests") final JoinRequest join,
                                                          @ForAll @IntRange(min = 0, max = 1000) final int position,
                                                          @ForAll final byte value,
                                                          @ForAll @IntRange(min = 0, max = 1000) final int cut) {
        final byte[] bytes = join.encode();
        bytes[position % bytes.length] = value;
        decodeOrCodecException(Arrays.copyOf(bytes, cut % (bytes.length + 1)));
        decodeOrCodecException(bytes);
    }

    private static void decodeOrCodecException(final byte[] bytes) {
        try {
            final JoinRequest decoded = JoinRequest.decode(bytes);
            assertEquals(decoded, JoinRequest.decode(decoded.encode()), "whatever decodes re-encodes to the same request");
        } catch (final MembershipCodecException expected) {
            assertEquals(MembershipCodecException.class, expected.getClass());
        }
    }
}
