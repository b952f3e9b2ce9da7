package io.armature.engine.repair;

import io.armature.engine.repair.TombstonePurgePolicy.Decision;
import io.armature.engine.ring.NodeId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TombstonePurgePolicyTest {
    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");
    private static final NodeId C = new NodeId("c");
    private static final List<NodeId> REPLICAS = List.of(A, B, C);
    private static final long DIGEST = 0x1234L;
    private static final long GRACE = 60_000L;
    private static final TombstonePurgePolicy POLICY = new TombstonePurgePolicy(GRACE);

    private static Map<NodeId, Long> ackedByAll() {
        return new HashMap<>(Map.of(A, DIGEST, B, DIGEST, C, DIGEST));
    }

    @Test
    void purgesOnlyAfterEveryReplicaAckedAndTheGracePassed() {
        final long t = 1_000_000L;
        assertEquals(Decision.PURGE, POLICY.decide(true, t, DIGEST, REPLICAS, ackedByAll(), t + GRACE));
        assertEquals(Decision.KEEP_WITHIN_GRACE, POLICY.decide(true, t, DIGEST, REPLICAS, ackedByAll(), t + GRACE - 1));
        assertEquals(Decision.KEEP_NOT_TOMBSTONE_ONLY, POLICY.decide(false, t, DIGEST, REPLICAS, ackedByAll(), t + 10 * GRACE));
    }

    @Test
    void aMissingOrStaleAckKeepsTheTombstone() {
        final long now = 10 * GRACE;
        final Map<NodeId, Long> missing = ackedByAll();
        missing.remove(B);
        assertEquals(Decision.KEEP_NOT_ACKNOWLEDGED_BY_ALL, POLICY.decide(true, 0, DIGEST, REPLICAS, missing, now));
        final Map<NodeId, Long> stale = ackedByAll();
        stale.put(C, DIGEST + 1);
        assertEquals(Decision.KEEP_NOT_ACKNOWLEDGED_BY_ALL, POLICY.decide(true, 0, DIGEST, REPLICAS, stale, now),
            "C acknowledged an earlier version set of the key");
        assertEquals(Decision.KEEP_NOT_ACKNOWLEDGED_BY_ALL, POLICY.decide(true, 0, DIGEST, List.of(), ackedByAll(), now),
            "no known replicas is not 'all replicas'");
    }

    @Test
    void acksFromStandInsDoNotMatterOnlyTheReplicasDo() {
        final Map<NodeId, Long> acks = ackedByAll();
        acks.put(new NodeId("stand-in"), 99L);
        assertEquals(Decision.PURGE, POLICY.decide(true, 0, DIGEST, REPLICAS, acks, GRACE));
    }

    @Test
    void aTombstoneFromTheFutureOrFromExtremeClocksIsKept() {
        assertEquals(Decision.KEEP_WITHIN_GRACE, POLICY.decide(true, 5_000_000L, DIGEST, REPLICAS, ackedByAll(), 1_000L));
        assertEquals(Decision.KEEP_WITHIN_GRACE,
            POLICY.decide(true, Long.MIN_VALUE, DIGEST, REPLICAS, ackedByAll(), Long.MAX_VALUE), "difference overflows");
        assertEquals(Decision.PURGE,
            new TombstonePurgePolicy(0).decide(true, Long.MAX_VALUE, DIGEST, REPLICAS, ackedByAll(), Long.MAX_VALUE));
    }

    @Test
    void theGraceIsValidated() {
        assertEquals(TombstonePurgePolicy.DEFAULT_GRACE_MILLIS, TombstonePurgePolicy.defaults().graceMillis());
        assertThrows(IllegalArgumentException.class, () -> new TombstonePurgePolicy(-1));
    }

    @Property(tries = 1000)
    void purgeExactlyWhenAllConditionsHold(@ForAll final boolean tombstoneOnly,
                                          @ForAll @IntRange(min = 0, max = 7) final int ackMask,
                                          @ForAll @IntRange(min = 0, max = 7) final int staleMask,
                                          @ForAll @LongRange(min = 0, max = 1L << 50) final long timestamp,
                                          @ForAll @LongRange(min = 0, max = 1L << 50) final long now,
                                          @ForAll @LongRange(min = 0, max = 1L << 40) final long grace) {
        final Map<NodeId, Long> acks = new HashMap<>();
        boolean allHold = true;
        for (int i = 0; i < REPLICAS.size(); i++) {
            if ((ackMask & (1 << i)) != 0) {
                final boolean stale = (staleMask & (1 << i)) != 0;
                acks.put(REPLICAS.get(i), stale ? DIGEST - 1 : DIGEST);
                allHold &= !stale;
            } else {
                allHold = false;
            }
        }
        final boolean expected = tombstoneOnly && allHold && now >= timestamp && now - timestamp >= grace;
        assertEquals(expected, new TombstonePurgePolicy(grace).mayPurge(tombstoneOnly, timestamp, DIGEST, REPLICAS, acks, now));
    }
}
