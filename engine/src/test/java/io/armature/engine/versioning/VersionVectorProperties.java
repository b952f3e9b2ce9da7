package io.armature.engine.versioning;

import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class VersionVectorProperties {
    @Provide
    Arbitrary<VersionVector> vectors() {
        final Arbitrary<ActorId> actor = Combinators.combine(
            Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(ActorId.MAX_NODE_LENGTH),
            Arbitraries.longs()).as(ActorId::new);
        final Arbitrary<Long> counter = Arbitraries.longs().between(1, Long.MAX_VALUE);
        return Arbitraries.maps(actor, counter).ofMaxSize(8).map(VersionVector::of);
    }

    @Property(tries = 1000)
    void contextTokenAndBytesRoundTrip(@ForAll("vectors") final VersionVector v) {
        final Context c = v.toContext();
        assertEquals(v, VersionVector.fromContext(Context.fromToken(c.toToken())));
        assertEquals(v, VersionVector.fromContext(Context.fromBytes(c.toBytes())));
        assertEquals(c, VersionVector.fromContext(c).toContext());
    }

    @Property(tries = 1000)
    void actorOrderIsTheUnsignedByteOrder(@ForAll("vectors") final VersionVector x, @ForAll("vectors") final VersionVector y) {
        for (final ActorId a : x.toMap().keySet()) {
            for (final ActorId b : y.toMap().keySet()) {
                assertEquals(Integer.signum(Arrays.compareUnsigned(a.toBytes(), b.toBytes())), Integer.signum(a.compareTo(b)));
            }
        }
    }

    @Property(tries = 1000)
    void mergeIsTheLeastUpperBound(@ForAll("vectors") final VersionVector x, @ForAll("vectors") final VersionVector y) {
        final VersionVector m = x.merge(y);
        assertTrue(m.descends(x) && m.descends(y));
        assertEquals(m, y.merge(x));
        final TreeMap<ActorId, Long> expected = new TreeMap<>(x.toMap());
        y.toMap().forEach((a, n) -> expected.merge(a, n, Math::max));
        assertEquals(VersionVector.of(expected), m);
    }

    @Property(tries = 1000)
    void foreignActorsInAContextGiveOnlyInvalidRequestException(
        @ForAll("actorBytes") final List<byte[]> actors) {
        final java.util.TreeSet<byte[]> distinct = new java.util.TreeSet<>(Arrays::compareUnsigned);
        distinct.addAll(actors);
        final byte[][] unique = distinct.toArray(new byte[0][]);
        final long[] counters = new long[unique.length];
        Arrays.fill(counters, 1);
        final Context context = Context.ofEntries(unique, counters);
        try {
            final VersionVector v = VersionVector.fromContext(context);
            assertEquals(context, v.toContext(), "an accepted context is made of ActorIds");
        } catch (final InvalidRequestException expected) {
            assertTrue(expected.getMessage().startsWith("context:"));
        } catch (final RuntimeException other) {
            fail("fromContext threw " + other, other);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> actorBytes() {
        final Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20);
        final Arbitrary<byte[]> nearlyValid = Combinators.combine(
            Arbitraries.strings().withChars("ab/é ").ofMinLength(1).ofMaxLength(3),
            Arbitraries.integers().between(-1, 1)).as((s, delta) -> {
                final byte[] node = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                final byte[] out = new byte[Math.max(1, 1 + node.length + 8 + delta)];
                out[0] = (byte) node.length;
                System.arraycopy(node, 0, out, 1, Math.min(node.length, out.length - 1));
                return out;
            });
        return Arbitraries.oneOf(random, nearlyValid).list().ofMinSize(1).ofMaxSize(4);
    }
}
