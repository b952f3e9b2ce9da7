package io.armature.engine.replica;

import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageEngine;
import java.util.HashMap;
import java.util.Map;

/**
 * The actor ids a node's coordinator mints dots with, one per "key epoch" (Riak's fix for kv679):
 * a dot must be unique for the life of the cluster, and a coordinator can only guarantee that for
 * an actor whose newest dot of the key it can read locally. Whenever it cannot (no local record:
 * a new key, a purged tombstone, a dropped partition; a local record from before an unclean
 * restart or a partition drop; a client context that shows a newer dot of the actor than the
 * local record), the write gets a fresh epoch, an actor id nothing has used. Otherwise the write
 * keeps the epoch the local record already carries, so a key's clock holds one entry per node in
 * the common case instead of one per restart.
 *
 * <p>Epochs come from a counter in META reserved in leases: a start after a clean stop resumes
 * the counter exactly (the stop wrote it and a marker); any other start skips the whole reserved
 * lease, so a crash that lost the counter's tail never hands an epoch out twice, and distrusts
 * every epoch of earlier runs, since their records may have lost their tails too
 * ({@code write-no-sync}, {@code no-sync}). The actor's incarnation is the storage's random
 * incarnation plus the epoch, so a wiped store (a new incarnation) starts far from the old one's.
 *
 * <p>A restore from an old copy of the data directory brings back an old lease, below epochs the
 * node handed out after the copy. So, as a hybrid logical clock does, every start resumes at
 * least at the wall clock in microseconds ({@link #open(StorageEngine, String, long, boolean, long)}):
 * a run hands out far fewer than one epoch per microsecond (each is a coordinated write), so its
 * epochs stay below the wall clock of any later start, and a restored node starts above all of
 * them unless its clock is now behind where it was when it last ran. A restored copy taken while
 * the node ran has no clean-stop marker, so its records' epochs are distrusted as after a crash.
 * A copy taken while the node was stopped does hold the marker, and locally it looks exactly like
 * the stop before a restart; so the marker records the stop's wall time, and a start trusts it
 * only within {@link #CLEAN_RESTART_WINDOW_MILLIS} of that stop. A restart after a longer stop
 * costs one more clock entry per key written afterwards, never a reused dot; the one restore it
 * cannot tell from a restart is of a copy younger than the window of a node that ran since.
 * Event loop only.
 */
public final class ActorEpochs {
    /** Epochs reserved per durable write of the counter. */
    public static final long LEASE = 1 << 16;
    /** How long after a clean stop a start still trusts the epochs of the records it finds. */
    public static final long CLEAN_RESTART_WINDOW_MILLIS = 5 * 60 * 1000L;

    private final StorageEngine storage;
    private final String node;
    private final long incarnation;
    private final boolean reuse;
    private long next;
    private long leased;
    /** Epochs below this are not trusted: their records may have lost dots. */
    private long trustedFrom;
    /**
     * Per dropped partition, epochs below this are not trusted for its records: they may come
     * back older than the dots minted for them. Other partitions' records were not touched, so
     * their keys keep their epochs and their clocks do not grow at every membership change.
     */
    private final Map<Integer, Long> partitionTrust = new HashMap<>();

    private ActorEpochs(final StorageEngine storage, final String node, final long incarnation, final boolean reuse) {
        this.storage = storage;
        this.node = node;
        this.incarnation = incarnation;
        this.reuse = reuse;
    }

    /**
     * Loads the counter and reserves the next lease.
     *
     * @param storage the node's storage
     * @param node the node id
     * @param incarnation the storage's incarnation
     * @param reuse the {@code REUSE_DOT} fault: one actor for every write, as before the fix
     * @return the epochs of this run
     */
    public static ActorEpochs open(final StorageEngine storage, final String node, final long incarnation, final boolean reuse) {
        return open(storage, node, incarnation, reuse, 0);
    }

    /**
     * Loads the counter, raises it to a floor from the wall clock, and reserves the next lease.
     *
     * @param storage the node's storage
     * @param node the node id
     * @param incarnation the storage's incarnation
     * @param reuse the {@code REUSE_DOT} fault: one actor for every write, as before the fix
     * @param wallClockMillis the SPI clock's wall time: the run starts at no epoch below it in microseconds
     * @return the epochs of this run
     */
    public static ActorEpochs open(final StorageEngine storage, final String node, final long incarnation, final boolean reuse,
                                   final long wallClockMillis) {
        // Microseconds until the year 294,000: no overflow of the epoch, which adds to the incarnation modulo 2^64.
        final long floor = Math.max(0, wallClockMillis) * 1000;
        final ActorEpochs e = new ActorEpochs(storage, node, incarnation, reuse);
        final byte[] lease = storage.get(Keyspace.meta(), StorageLayout.EPOCH_LEASE_KEY);
        final long leased = lease != null && lease.length == 16 ? StorageLayout.getLong(lease) : 1;
        final long trusted = lease != null && lease.length == 16 ? getLong(lease, 8) : 1;
        final byte[] partitions = storage.get(Keyspace.meta(), StorageLayout.EPOCH_PARTITIONS_KEY);
        if (partitions != null && partitions.length % 12 == 0) {
            for (int p = 0; p < partitions.length; p += 12) {
                e.partitionTrust.put((int) (getLong(partitions, p) >>> 32), getLong(partitions, p + 4));
            }
        }
        final byte[] clean = storage.get(Keyspace.meta(), StorageLayout.CLEAN_STOP_KEY);
        final long sinceStop = clean != null && clean.length == 16 ? wallClockMillis - getLong(clean, 8) : -1;
        if (clean != null && sinceStop >= 0 && sinceStop <= CLEAN_RESTART_WINDOW_MILLIS) {
            e.next = Math.max(StorageLayout.getLong(clean), floor);
            e.trustedFrom = trusted;
            // A crash in this run must not find the marker and resume at a counter it has passed.
            storage.delete(Keyspace.meta(), StorageLayout.CLEAN_STOP_KEY);
        } else {
            // A crash, a stop too long ago (or a copy of it), or a clock gone back: nothing is trusted.
            e.next = Math.max(clean != null && clean.length >= 8 ? Math.max(leased, StorageLayout.getLong(clean)) : leased, floor);
            e.trustedFrom = e.next;
            if (clean != null) {
                storage.delete(Keyspace.meta(), StorageLayout.CLEAN_STOP_KEY);
            }
        }
        e.leased = e.next + LEASE;
        e.persist();
        return e;
    }

    /**
     * The actor for a coordinator's write of one key.
     *
     * @param local the coordinator's stored set of the key, or null
     * @param context the write's context
     * @return the actor the new dot gets
     */
    public ActorId actorFor(final VersionSet local, final VersionVector context) {
        return actorFor(-1, local, context);
    }

    /**
     * The actor for a coordinator's write of one key of a partition.
     *
     * @param partition the key's partition, or -1 if unknown (then every dropped partition counts)
     * @param local the coordinator's stored set of the key, or null
     * @param context the write's context
     * @return the actor the new dot gets
     */
    public ActorId actorFor(final int partition, final VersionSet local, final VersionVector context) {
        if (reuse) {
            return actor(0);
        }
        if (local == null) {
            return fresh();
        }
        final VersionVector clock = local.context();
        long best = -1;
        for (int i = 0; i < clock.size(); i++) {
            best = Math.max(best, epochOf(clock.actorAt(i)));
        }
        if (best < trustedFrom || best < dropTrust(partition)) {
            return fresh();
        }
        final ActorId mine = actor(best);
        if (context.get(mine) > clock.get(mine)) {
            return fresh();
        }
        return mine;
    }

    /**
     * @return an actor id never used before
     */
    public ActorId fresh() {
        final long e = next++;
        if (next >= leased) {
            leased = next + LEASE;
            persist();
        }
        return actor(e);
    }

    private long dropTrust(final int partition) {
        if (partition >= 0) {
            return partitionTrust.getOrDefault(partition, 0L);
        }
        long max = 0;
        for (final long t : partitionTrust.values()) {
            max = Math.max(max, t);
        }
        return max;
    }

    /**
     * Distrusts, for one partition's records, every epoch handed out so far: its records are
     * dropped and may come back as older copies (streamed back after a later move). Durable
     * before it returns.
     *
     * @param partition the dropped partition
     */
    public void distrust(final int partition) {
        if (partitionTrust.getOrDefault(partition, 0L) >= next) {
            return;
        }
        partitionTrust.put(partition, next);
        final byte[] out = new byte[partitionTrust.size() * 12];
        int p = 0;
        for (final Map.Entry<Integer, Long> t : partitionTrust.entrySet()) {
            final int partitionId = t.getKey();
            out[p] = (byte) (partitionId >>> 24);
            out[p + 1] = (byte) (partitionId >>> 16);
            out[p + 2] = (byte) (partitionId >>> 8);
            out[p + 3] = (byte) partitionId;
            StorageLayout.putLong(out, p + 4, t.getValue());
            p += 12;
        }
        storage.put(Keyspace.meta(), StorageLayout.EPOCH_PARTITIONS_KEY, out);
        storage.sync();
    }

    /**
     * Distrusts every epoch handed out so far: records of them may have been replaced by older
     * copies. Durable before it returns.
     */
    public void distrustAll() {
        if (trustedFrom != next) {
            trustedFrom = next;
            persist();
        }
    }

    /**
     * Records the counter exactly for the next start; call when the node stops cleanly, after
     * which nothing may be written with these epochs.
     */
    public void cleanStop() {
        cleanStop(0);
    }

    /**
     * Records the counter exactly for the next start, and when this stop happened; call when the
     * node stops cleanly, after which nothing may be written with these epochs.
     *
     * @param wallClockMillis the SPI clock's wall time now
     */
    public void cleanStop(final long wallClockMillis) {
        storage.sync();
        persist();
        final byte[] out = new byte[16];
        StorageLayout.putLong(out, 0, next);
        StorageLayout.putLong(out, 8, wallClockMillis);
        storage.put(Keyspace.meta(), StorageLayout.CLEAN_STOP_KEY, out);
        storage.sync();
    }

    /** @return the next epoch to hand out (tests and status) */
    public long next() {
        return next;
    }

    /** @return the first trusted epoch (tests and status) */
    public long trustedFrom() {
        return trustedFrom;
    }

    /**
     * @param epoch an epoch
     * @return its actor id
     */
    public ActorId actor(final long epoch) {
        return new ActorId(node, incarnation + epoch);
    }

    /** @return the epoch of one of this store's actors, or -1 for any other actor */
    private long epochOf(final ActorId actor) {
        if (!actor.node().equals(node)) {
            return -1;
        }
        final long e = actor.incarnation() - incarnation;
        return e >= 0 && e < next ? e : -1;
    }

    private void persist() {
        final byte[] out = new byte[16];
        StorageLayout.putLong(out, 0, leased);
        StorageLayout.putLong(out, 8, trustedFrom);
        storage.put(Keyspace.meta(), StorageLayout.EPOCH_LEASE_KEY, out);
        storage.sync();
    }

    private static long getLong(final byte[] in, final int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[offset + i] & 0xFF);
        }
        return v;
    }
}
