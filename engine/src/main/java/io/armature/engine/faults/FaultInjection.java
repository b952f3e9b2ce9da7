package io.armature.engine.faults;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Deliberate bugs a node can be built with, <strong>for the testkit's self-tests only</strong>:
 * they prove that the simulator's checker catches real mistakes. Production configuration never
 * sets any ({@link #NONE} is the default). Immutable.
 */
public final class FaultInjection {
    /** The deliberate bugs. */
    public enum Fault {
        /** A read never repairs the replicas that answered with less than the merged set. */
        SKIP_READ_REPAIR,
        /** A replica acknowledges a replica write (or a hint) without storing it. */
        ACK_WITHOUT_STORE,
        /** A replica resolves concurrent sets by the newest timestamp instead of keeping siblings. */
        LAST_WRITE_WINS,
        /** The coordinator versions a write against an empty set, forgetting the dots it stores. */
        FORGET_LOCAL_VERSIONS,
        /** A node whose storage was wiped comes back with its old incarnation (Riak's kv679). */
        REUSE_INCARNATION,
        /**
         * Tombstone purge asks only the preference list and ignores hints held by stand-ins,
         * queued anti-entropy pushes and pending partition moves (issue 13, case 3).
         */
        PURGE_IGNORES_HINTS,
        /** The coordinator mints every dot with one actor id, even for a key it holds no record of (kv679). */
        REUSE_DOT,
        /**
         * Every replica purges its tombstone-only records at its next sweep, ignoring the grace and
         * whether every replica holds the tombstone: a replica that missed the delete hands the
         * value back.
         */
        EARLY_PURGE,
        /** A stand-in acknowledges a hinted write without keeping the hint, so the owner never gets it. */
        DROP_HINTS,
        /** Anti-entropy never compares the lowest-numbered leaf that differs, so its keys never converge by it. */
        AE_SKIP_LEAF,
        /** The coordinator acknowledges a write once it stored it itself, before W replicas did. */
        ACK_BEFORE_W,
        /** A node applies a duplicated client write message again, versioning one write twice. */
        APPLY_DUPLICATE_TWICE,
        /** A node outside a key's replicas coordinates a forwarded write or acknowledges a replica write or hint delivery for it. */
        COUNT_NON_REPLICA,
        /**
         * Replicas store merged sets (replica writes, hints, read repair, anti-entropy, hint delivery)
         * over store.max-object-size, and the coordinator a set larger than a message carries: two
         * concurrent largest writes per replica make a key no message can move (issue 13, case 4).
         */
        UNCAPPED_MERGE
    }

    /** No deliberate bug: the only setting outside the testkit's self-tests. */
    public static final FaultInjection NONE = new FaultInjection(EnumSet.noneOf(Fault.class));

    private final Set<Fault> faults;

    private FaultInjection(final Set<Fault> faults) {
        this.faults = faults;
    }

    /**
     * @param faults the bugs to switch on
     * @return the set
     */
    public static FaultInjection of(final Set<Fault> faults) {
        Objects.requireNonNull(faults, "faults");
        return faults.isEmpty() ? NONE : new FaultInjection(EnumSet.copyOf(faults));
    }

    /**
     * @param fault a bug
     * @return true if it is switched on
     */
    public boolean has(final Fault fault) {
        return faults.contains(fault);
    }

    @Override
    public String toString() {
        return faults.isEmpty() ? "none" : faults.toString();
    }
}
