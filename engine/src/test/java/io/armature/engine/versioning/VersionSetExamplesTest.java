package io.armature.engine.versioning;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Walk-throughs in the style of the DVVSet paper and dvvset.erl's own examples. */
class VersionSetExamplesTest {
    private static final ActorId A = new ActorId("a", 1);
    private static final ActorId B = new ActorId("b", 1);
    private static final ActorId C = new ActorId("c", 1);

    private static Value v(final String s) {
        return Value.of(s.getBytes(StandardCharsets.UTF_8), 0);
    }

    @Test
    void twoClientsWritingThroughOneCoordinatorWithTheSameContextStaySiblings() {
        // Paper, section 2: per-server version vectors would give both writes the clock {a:2}
        // and silently lose one; DVVSet gives each its own dot and keeps both.
        final VersionSet s1 = VersionSet.empty().update(VersionVector.empty(), v("v1"), A);
        final VersionVector read = s1.context();
        final VersionSet s2 = s1.update(read, v("peter"), A);
        final VersionSet s3 = s2.update(read, v("mary"), A);
        assertEquals(List.of(v("mary"), v("peter")), s3.values());
        assertEquals(1, s3.actorCount(), "one coordinator, one clock entry, however many clients");
        assertEquals(3, s3.context().get(A));
    }

    @Test
    void maryAndPeterFromDvvsetKeepOnlyTheConcurrentValue() {
        // dvvset.erl sync_update_test: Mary writes v1 and v2 blind, Peter writes v3 having read v1.
        final VersionSet a0 = VersionSet.empty().update(VersionVector.empty(), v("v1"), A);
        final VersionVector peterRead = a0.context();
        final VersionSet a1 = a0.update(VersionVector.empty(), v("v2"), A);
        assertEquals(List.of(v("v2"), v("v1")), a1.values());
        final VersionSet a2 = a1.update(peterRead, v("v3"), A);
        assertEquals(List.of(v("v3"), v("v2")), a2.values(), "v3 supersedes v1 only");
        assertEquals(3, a2.context().get(A));
    }

    @Test
    void aWriteWithTheContextOfAReadReplacesEverySiblingItRead() {
        final VersionSet atA = VersionSet.empty().update(VersionVector.empty(), v("x"), A);
        final VersionSet atB = VersionSet.empty().update(VersionVector.empty(), v("y"), B);
        final VersionSet merged = VersionSet.sync(atA, atB);
        assertEquals(2, merged.siblingCount());
        final VersionSet resolved = VersionSet.empty().update(merged.context(), v("x+y"), C);
        assertEquals(List.of(v("x+y")), VersionSet.sync(VersionSet.sync(resolved, atA), atB).values());
        assertTrue(resolved.descends(merged));
        assertFalse(merged.descends(resolved));
    }

    @Test
    void syncOfTwoEntriesCutsAtTheHigherFloor() {
        // dvvset.erl sync_test: {a,1,[]} with {a,2,[v2,v1]} gives {a,2,[v2]}.
        final VersionSet w = VersionSet.anonymous(VersionVector.of(Map.of(A, 1L)));
        final VersionSet z = VersionSet.empty().update(VersionVector.empty(), v("v1"), A)
            .update(VersionVector.empty(), v("v2"), A);
        assertEquals(List.of(v("v2")), VersionSet.sync(w, z).values());
        assertEquals(VersionSet.sync(w, z), VersionSet.sync(z, w));
    }

    @Test
    void aDeleteWithContextLeavesOnlyATombstone() {
        final VersionSet s = VersionSet.empty().update(VersionVector.empty(), v("x"), A);
        final VersionSet deleted = s.update(s.context(), Value.tombstone(7), B);
        assertTrue(deleted.isTombstoneOnly());
        assertTrue(deleted.liveValues().isEmpty());
        assertEquals(1, deleted.siblingCount());
        final VersionSet revived = deleted.update(VersionVector.empty(), v("blind"), A);
        assertFalse(revived.isTombstoneOnly(), "a blind write is concurrent with the delete");
        assertEquals(List.of(v("blind")), revived.liveValues());
        assertFalse(VersionSet.empty().isTombstoneOnly());
    }

    @Test
    void aNodeThatLostItsDataWritesUnderANewIncarnationAndLosesNothing() {
        // Riak kv679: with the same actor, the wiped node would mint dot a:1 again and replicas
        // that already hold a:1 would drop the new write as already seen.
        final VersionSet old = VersionSet.empty().update(VersionVector.empty(), v("before"), A);
        final ActorId reborn = new ActorId("a", 2);
        final VersionSet fresh = VersionSet.empty().update(VersionVector.empty(), v("after"), reborn);
        final VersionSet merged = VersionSet.sync(old, fresh);
        assertEquals(2, merged.siblingCount());
        assertTrue(merged.values().contains(v("after")));
    }

    @Test
    void encodingStartsWithTheVersionByteAndIsCanonical() {
        final VersionSet x = VersionSet.sync(VersionSet.empty().update(VersionVector.empty(), v("x"), B),
            VersionSet.empty().update(VersionVector.empty(), v("y"), A));
        final VersionSet y = VersionSet.sync(VersionSet.empty().update(VersionVector.empty(), v("y"), A),
            VersionSet.empty().update(VersionVector.empty(), v("x"), B));
        assertEquals(1, x.encode()[0]);
        assertEquals(List.of(1, 0, 0), toList(VersionSet.empty().encode()));
        assertEquals(toList(x.encode()), toList(y.encode()));
        assertEquals(x, VersionSet.decode(y.encode()));
    }

    @Test
    void decodeRejectsUnknownVersionOverlongVarintsAndTrailingBytes() {
        assertThrows(VersionCodecException.class, () -> VersionSet.decode(new byte[0]));
        assertThrows(VersionCodecException.class, () -> VersionSet.decode(new byte[] {2, 0, 0}));
        assertThrows(VersionCodecException.class, () -> VersionSet.decode(new byte[] {1, (byte) 0x80, 0, 0}));
        assertThrows(VersionCodecException.class, () -> VersionSet.decode(new byte[] {1, 0, 0, 0}));
        assertThrows(VersionCodecException.class,
            () -> VersionSet.decode(new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}),
            "a huge entry count is rejected before anything is allocated for it");
    }

    private static List<Integer> toList(final byte[] bytes) {
        final Integer[] out = new Integer[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (int) bytes[i];
        }
        return List.of(out);
    }
}
