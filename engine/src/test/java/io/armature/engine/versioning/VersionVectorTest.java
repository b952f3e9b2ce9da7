package io.armature.engine.versioning;

import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionVectorTest {
    private static final ActorId A = new ActorId("a", 1);
    private static final ActorId B = new ActorId("bb", 1);

    @Test
    void actorsSortInTheUnsignedOrderOfTheirByteForm() {
        final ActorId negative = new ActorId("a", -1);
        assertTrue(A.compareTo(negative) < 0, "incarnation compares unsigned, as its big-endian bytes do");
        assertTrue(new ActorId("z", 0).compareTo(B) < 0, "a shorter node id sorts first: its length byte leads");
        assertEquals(java.util.Arrays.compareUnsigned(A.toBytes(), negative.toBytes()) < 0, A.compareTo(negative) < 0);
    }

    @Test
    void descendsAndMergeArePointwise() {
        final VersionVector x = VersionVector.of(Map.of(A, 2L, B, 1L));
        final VersionVector y = VersionVector.of(Map.of(A, 1L, B, 3L));
        assertFalse(x.descends(y));
        assertFalse(y.descends(x));
        final VersionVector m = x.merge(y);
        assertEquals(VersionVector.of(Map.of(A, 2L, B, 3L)), m);
        assertTrue(m.descends(x) && m.descends(y));
        assertTrue(x.descends(VersionVector.empty()));
        assertEquals(0, x.get(new ActorId("c", 1)));
        assertEquals(VersionVector.empty(), VersionVector.of(Map.of(A, 0L)), "a zero counter is no entry");
    }

    @Test
    void contextRoundTripsThroughBytesAndToken() {
        final VersionVector x = VersionVector.of(Map.of(A, 2L, B, 1L, new ActorId("a", -5), 9L));
        assertEquals(x, VersionVector.fromContext(Context.fromToken(x.toContext().toToken())));
        assertEquals(Context.empty(), VersionVector.empty().toContext());
        assertEquals(VersionVector.empty(), VersionVector.fromContext(Context.empty()));
    }

    @Test
    void fromContextRejectsActorsThatAreNotActorIds() {
        final Context foreign = Context.ofEntries(new byte[][] {"client-7".getBytes(StandardCharsets.UTF_8)}, new long[] {1});
        assertThrows(InvalidRequestException.class, () -> VersionVector.fromContext(foreign));
        final byte[] badChar = new ActorId("ab", 1).toBytes();
        badChar[2] = '/';
        assertThrows(InvalidRequestException.class,
            () -> VersionVector.fromContext(Context.ofEntries(new byte[][] {badChar}, new long[] {1})));
    }
}
