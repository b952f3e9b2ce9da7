package io.armature.engine.repair;

import io.armature.engine.ring.NodeId;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * When a deleted key's tombstones may be dropped (DESIGN.md, data model): only when every replica
 * of the key is known to hold this very version set, and the grace period has passed since the
 * newest tombstone was written. Purging earlier resurrects the value: a replica that missed the
 * delete would later hand the old value back through read repair or anti-entropy, and with the
 * tombstone gone nothing would cover it (Cassandra's gc_grace_seconds rule, with the "every
 * replica acknowledged" condition that makes it safe without running repair within the grace).
 *
 * <p>"Holds it" is recorded as an acknowledgement naming the version-set digest
 * ({@link Digests#ofVersionSet}) that the replica stored; an ack for any other digest is stale
 * (the key was written again since) and does not count. A pure function: the node keeps the
 * acks, this only decides.
 *
 * @param graceMillis the grace period in milliseconds, at least 0
 */
public record TombstonePurgePolicy(long graceMillis) {
    /** Default grace period: 10 days, as Cassandra's gc_grace_seconds. */
    public static final long DEFAULT_GRACE_MILLIS = 10L * 24 * 3600 * 1000;

    /** The outcome, with the reason for keeping; metrics count each reason. */
    public enum Decision {
        /** Every replica holds the tombstones and the grace has passed: drop the record. */
        PURGE,
        /** The version set still holds a live value. */
        KEEP_NOT_TOMBSTONE_ONLY,
        /** Some replica has not acknowledged this exact version set. */
        KEEP_NOT_ACKNOWLEDGED_BY_ALL,
        /** The newest tombstone is younger than the grace period (or in the future: clock skew). */
        KEEP_WITHIN_GRACE
    }

    /**
     * Validates the grace.
     */
    public TombstonePurgePolicy {
        if (graceMillis < 0) {
            throw new IllegalArgumentException("tombstone graceMillis must be at least 0, was " + graceMillis);
        }
    }

    /**
     * @return the policy with the default grace
     */
    public static TombstonePurgePolicy defaults() {
        return new TombstonePurgePolicy(DEFAULT_GRACE_MILLIS);
    }

    /**
     * @param tombstoneOnly whether the local version set holds only tombstones ({@code VersionSet.isTombstoneOnly()})
     * @param newestTombstoneMillis the largest timestamp among its tombstones
     * @param digest the digest of the local version set
     * @param replicas the key's preference list (N nodes; a hinted stand-in is not a replica)
     * @param ackedDigests per node, the digest of the version set it last acknowledged storing for this key
     * @param nowMillis wall-clock now, from the spi {@code Clock.currentTimeMillis()}
     * @return whether to purge, or why not
     */
    public Decision decide(final boolean tombstoneOnly, final long newestTombstoneMillis, final long digest,
                           final Collection<NodeId> replicas, final Map<NodeId, Long> ackedDigests, final long nowMillis) {
        Objects.requireNonNull(replicas, "replicas");
        Objects.requireNonNull(ackedDigests, "ackedDigests");
        if (!tombstoneOnly) {
            return Decision.KEEP_NOT_TOMBSTONE_ONLY;
        }
        if (replicas.isEmpty()) {
            return Decision.KEEP_NOT_ACKNOWLEDGED_BY_ALL;
        }
        for (final NodeId replica : replicas) {
            final Long acked = ackedDigests.get(replica);
            if (acked == null || acked != digest) {
                return Decision.KEEP_NOT_ACKNOWLEDGED_BY_ALL;
            }
        }
        // Subtract in a form that cannot overflow: a tombstone stamped after now (skew) is within grace.
        if (newestTombstoneMillis > nowMillis || nowMillis - newestTombstoneMillis < 0
            || nowMillis - newestTombstoneMillis < graceMillis) {
            return Decision.KEEP_WITHIN_GRACE;
        }
        return Decision.PURGE;
    }

    /**
     * @param tombstoneOnly see {@link #decide}
     * @param newestTombstoneMillis see {@link #decide}
     * @param digest see {@link #decide}
     * @param replicas see {@link #decide}
     * @param ackedDigests see {@link #decide}
     * @param nowMillis see {@link #decide}
     * @return true if the record may be dropped
     */
    public boolean mayPurge(final boolean tombstoneOnly, final long newestTombstoneMillis, final long digest,
                            final Collection<NodeId> replicas, final Map<NodeId, Long> ackedDigests, final long nowMillis) {
        return decide(tombstoneOnly, newestTombstoneMillis, digest, replicas, ackedDigests, nowMillis) == Decision.PURGE;
    }
}
