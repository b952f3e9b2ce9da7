package io.armature.engine.replica;

import io.armature.engine.faults.FaultInjection;
import io.armature.engine.ring.NodeId;
import io.armature.engine.versioning.VersionSet;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.RecordVisitor;
import io.armature.spi.storage.StorageEngine;
import java.util.random.RandomGenerator;

/**
 * One node's replica of the data: reads and merges the version sets it stores, and keeps hints
 * for other nodes. Merging with {@link VersionSet#sync} makes a replica write idempotent and
 * commutative, so retries, read repair and handoff can all send the same set safely.
 */
public final class ReplicaStore {
    private final StorageEngine storage;
    private final FaultInjection faults;
    private final RecordCache cache;
    private WriteListener listener;
    private ActorEpochs epochs;
    /** Hints held, or -1 until counted. */
    private long hintCount = -1;
    /** The largest set stored, encoded: {@code store.max-object-size}. */
    private int objectLimit = Integer.MAX_VALUE;

    /**
     * @param storage the node's storage
     */
    public ReplicaStore(final StorageEngine storage) {
        this(storage, FaultInjection.NONE, 0);
    }

    /**
     * @param storage the node's storage
     * @param faults deliberate bugs, for the testkit's self-tests only
     * @param cacheBytes bytes of recently used records kept decoded in memory; 0 for none
     */
    public ReplicaStore(final StorageEngine storage, final FaultInjection faults, final long cacheBytes) {
        this.storage = storage;
        this.faults = faults;
        this.cache = new RecordCache(cacheBytes);
    }

    /**
     * @return the deliberate bugs this replica runs with (testkit self-tests only)
     */
    public FaultInjection faults() {
        return faults;
    }

    /**
     * Caps every set this replica stores by a merge or as a hint: a merge that would exceed it is
     * refused ({@link ObjectTooLargeException}) and the stored set stays. Riak checks its
     * max_object_size at the vnode on writes only and lets read repair pass; here repair paths are
     * capped too, because a set over the cap is one that no message can carry (docs/design.md).
     *
     * @param bytes {@code store.max-object-size}
     */
    public void objectLimit(final int bytes) {
        this.objectLimit = bytes;
    }

    /**
     * @return the storage engine underneath
     */
    public StorageEngine storage() {
        return storage;
    }

    /**
     * @param partition the key's partition
     * @param key the client key
     * @return the stored version set, or null if none
     * @throws io.armature.engine.versioning.VersionCodecException if the stored record is corrupt
     */
    public VersionSet read(final int partition, final byte[] key) {
        final RecordCache.Entry e = load(partition, StorageLayout.recordKey(key));
        return e == null ? null : e.set();
    }

    /** The stored record, through the cache; null if none. */
    private RecordCache.Entry load(final int partition, final byte[] recordKey) {
        final RecordCache.Entry cached = cache.get(partition, recordKey);
        if (cached != null) {
            return cached;
        }
        final long stamp = cache.stamp();
        final byte[] raw = storage.get(Keyspace.partition(partition), recordKey);
        if (raw == null) {
            return null;
        }
        final RecordCache.Entry loaded = new RecordCache.Entry(raw, VersionSet.decode(raw));
        cache.fill(partition, recordKey, loaded, stamp);
        return loaded;
    }

    /**
     * Stores a version set that already includes what is stored (the coordinator's own write).
     *
     * @param partition the key's partition
     * @param key the client key
     * @param set the new set
     * @param encoded its encoding
     */
    public void write(final int partition, final byte[] key, final VersionSet set, final byte[] encoded) {
        final Keyspace ks = Keyspace.partition(partition);
        final byte[] rk = StorageLayout.recordKey(key);
        byte[] old = null;
        if (listener != null) {
            // the coordinator has just read the key, so this is a cache hit when the cache is on
            final RecordCache.Entry e = load(partition, rk);
            old = e == null ? null : e.encoded();
        }
        storage.put(ks, rk, encoded);
        cache.changed(partition, rk, new RecordCache.Entry(encoded, set));
        if (listener != null) {
            listener.stored(partition, rk, old, encoded);
        }
    }

    /**
     * Deletes every record of a partition this node no longer replicates (its new owners hold
     * it), and forgets them in the cache. The Merkle tree is the caller's to forget.
     *
     * @param partition the partition
     */
    public void dropPartition(final int partition) {
        if (epochs != null) {
            // If the partition comes back, its records may be older copies than the dots minted here.
            epochs.distrust(partition);
        }
        storage.drop(Keyspace.partition(partition));
        cache.invalidatePartition(partition);
    }

    /**
     * @return reads the record cache answered
     */
    public long cacheHits() {
        return cache.hits();
    }

    /**
     * @return reads the record cache could not answer
     */
    public long cacheMisses() {
        return cache.misses();
    }

    /**
     * @return bytes the record cache holds, as charged
     */
    public long cacheBytes() {
        return cache.bytes();
    }

    /**
     * Sets the one observer of every change to a partition record (the Merkle trees): this class
     * is the only place partition records are written, so the trees cannot miss one.
     *
     * @param listener the observer, or null
     */
    public void listener(final WriteListener listener) {
        this.listener = listener;
    }

    /** Observes partition record changes. */
    @FunctionalInterface
    public interface WriteListener {
        /**
         * @param partition the record's partition
         * @param recordKey its storage key ({@link StorageLayout#recordKey})
         * @param oldValue the encoded set before, or null
         * @param newValue the encoded set now, or null if deleted
         */
        void stored(int partition, byte[] recordKey, byte[] oldValue, byte[] newValue);
    }

    /**
     * Deletes a record only if it still holds this exact encoding (a tombstone purge).
     *
     * @param partition the key's partition
     * @param recordKey the storage key
     * @param expected the encoding that may be deleted
     * @return true if deleted
     */
    public boolean deleteIf(final int partition, final byte[] recordKey, final byte[] expected) {
        final Keyspace ks = Keyspace.partition(partition);
        final byte[] raw = storage.get(ks, recordKey);
        if (raw == null || !java.util.Arrays.equals(raw, expected)) {
            return false;
        }
        storage.delete(ks, recordKey);
        cache.changed(partition, recordKey, null);
        if (listener != null) {
            listener.stored(partition, recordKey, raw, null);
        }
        return true;
    }

    /**
     * Merges an incoming set into the stored one.
     *
     * @param partition the key's partition
     * @param key the client key
     * @param incoming the set received
     * @return the set now stored
     * @throws ObjectTooLargeException if the merged set would exceed {@link #objectLimit}; nothing is stored
     */
    public VersionSet merge(final int partition, final byte[] key, final VersionSet incoming) {
        final Keyspace ks = Keyspace.partition(partition);
        final byte[] rk = StorageLayout.recordKey(key);
        final RecordCache.Entry current = load(partition, rk);
        if (current == null) {
            final byte[] encoded = incoming.encode();
            checkSize(partition, encoded);
            storage.put(ks, rk, encoded);
            cache.changed(partition, rk, new RecordCache.Entry(encoded, incoming));
            if (listener != null) {
                listener.stored(partition, rk, null, encoded);
            }
            return incoming;
        }
        final byte[] raw = current.encoded();
        final VersionSet stored = current.set();
        VersionSet merged = VersionSet.sync(stored, incoming);
        if (faults.has(FaultInjection.Fault.LAST_WRITE_WINS) && !stored.descends(incoming) && !incoming.descends(stored)) {
            merged = newest(incoming) > newest(stored) ? incoming : stored;
        }
        if (!merged.equals(stored)) {
            final byte[] encoded = merged.encode();
            checkSize(partition, encoded);
            storage.put(ks, rk, encoded);
            cache.changed(partition, rk, new RecordCache.Entry(encoded, merged));
            if (listener != null) {
                listener.stored(partition, rk, raw, encoded);
            }
        }
        return merged;
    }

    private void checkSize(final int partition, final byte[] encoded) {
        if (encoded.length > objectLimit && !faults.has(FaultInjection.Fault.UNCAPPED_MERGE)) {
            throw new ObjectTooLargeException(partition, encoded.length, objectLimit);
        }
    }

    private static long newest(final VersionSet set) {
        long t = Long.MIN_VALUE;
        for (final io.armature.engine.versioning.Value v : set.values()) {
            t = Math.max(t, v.timestampMillis());
        }
        return t;
    }

    /**
     * Keeps a stand-in copy for another node in the HINTS keyspace, not in this node's data:
     * the stand-in does not own the key and must not serve it as its own.
     *
     * @param owner the node the copy is meant for
     * @param partition the key's partition
     * @param key the client key
     * @param incoming the set received
     * @throws ObjectTooLargeException if the merged hint would exceed {@link #objectLimit}; nothing is stored
     */
    public void storeHint(final NodeId owner, final int partition, final byte[] key, final VersionSet incoming) {
        final byte[] hk = StorageLayout.hintKey(owner, partition, key);
        final byte[] raw = storage.get(Keyspace.hints(), hk);
        final VersionSet merged = raw == null ? incoming : VersionSet.sync(VersionSet.decode(raw), incoming);
        final byte[] encoded = merged.encode();
        checkSize(partition, encoded);
        storage.put(Keyspace.hints(), hk, encoded);
        if (raw == null && hintCount >= 0) {
            hintCount++;
        }
    }

    /**
     * Visits the hints held for one owner, in key order.
     *
     * @param owner the intended owner
     * @param visitor receives each hint key (see {@link StorageLayout#hintKey}) and encoded set; false stops
     */
    public void scanHints(final NodeId owner, final RecordVisitor visitor) {
        final byte[] from = StorageLayout.hintPrefix(owner);
        final byte[] to = from.clone();
        to[to.length - 1]++;
        storage.scan(Keyspace.hints(), from, to, visitor);
    }

    /**
     * Visits the hints whose storage keys lie in {@code [from, to)}, in key order: handoff skips
     * over runs of one owner's hints with it.
     *
     * @param from the first hint key to visit
     * @param to the hint key to stop before
     * @param visitor receives each hint key and encoded set; false stops
     */
    public void scanHints(final byte[] from, final byte[] to, final RecordVisitor visitor) {
        storage.scan(Keyspace.hints(), from, to, visitor);
    }

    /**
     * The owners this node holds hints for, whether or not they are still in the ring (a node
     * that left must not strand its hints). Hint keys lead with the owner, so each owner costs
     * one seek, however many hints it has.
     *
     * @return the owners, in hint key order
     */
    public java.util.List<NodeId> hintOwners() {
        final java.util.List<NodeId> owners = new java.util.ArrayList<>();
        byte[] from = null;
        while (true) {
            final byte[][] first = {null};
            storage.scan(Keyspace.hints(), from, null, (k, v) -> {
                first[0] = k;
                return false;
            });
            final byte[] k = first[0];
            if (k == null) {
                return owners;
            }
            final NodeId owner = ownerOf(k);
            if (owner == null) {
                // Not a hint key this build wrote: step past this one key only.
                from = java.util.Arrays.copyOf(k, k.length + 1);
            } else {
                owners.add(owner);
                from = StorageLayout.hintPrefix(owner);
                from[from.length - 1]++;
            }
        }
    }

    private static NodeId ownerOf(final byte[] hintKey) {
        if (hintKey.length == 0) {
            return null;
        }
        final int length = hintKey[0] & 0xFF;
        if (length < 1 || hintKey.length < 1 + length) {
            return null;
        }
        try {
            return new NodeId(new String(hintKey, 1, length, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (final IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Deletes a hint only if it still holds the acknowledged set: a newer hint for the same key,
     * stored while the delivery was in flight, stays for the next round.
     *
     * @param hintKey the hint's storage key
     * @param digest {@code Digests.ofVersionSet} of the delivered encoding
     * @param digestOf digest function of an encoded set
     * @return true if deleted
     */
    public boolean deleteHintIf(final byte[] hintKey, final long digest, final java.util.function.ToLongFunction<byte[]> digestOf) {
        final byte[] raw = storage.get(Keyspace.hints(), hintKey);
        if (raw == null || digestOf.applyAsLong(raw) != digest) {
            return false;
        }
        storage.delete(Keyspace.hints(), hintKey);
        if (hintCount > 0) {
            hintCount--;
        }
        return true;
    }

    /**
     * @return the hints held for other nodes (counted by one scan on first use, then kept up to date)
     */
    public long pendingHints() {
        if (hintCount < 0) {
            final long[] n = {0};
            storage.scan(Keyspace.hints(), null, null, (k, v) -> {
                n[0]++;
                return true;
            });
            hintCount = n[0];
        }
        return hintCount;
    }

    /**
     * Whether this node holds a hint for a record, for any owner: a tombstone purge must wait for
     * it to be handed over (one seek per owner this node holds hints for).
     *
     * @param partition the record's partition
     * @param recordKey the record's storage key ({@code hash64 ++ key})
     * @return true if some hint for it is held
     */
    public boolean holdsHint(final int partition, final byte[] recordKey) {
        if (pendingHints() == 0) {
            return false;
        }
        final byte[] key = java.util.Arrays.copyOfRange(recordKey, 8, recordKey.length);
        for (final NodeId owner : hintOwners()) {
            if (storage.get(Keyspace.hints(), StorageLayout.hintKey(owner, partition, key)) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param owner the intended owner
     * @param partition the key's partition
     * @param key the client key
     * @return the hinted set held for owner, or null
     */
    public VersionSet readHint(final NodeId owner, final int partition, final byte[] key) {
        final byte[] raw = storage.get(Keyspace.hints(), StorageLayout.hintKey(owner, partition, key));
        return raw == null ? null : VersionSet.decode(raw);
    }

    /**
     * Picks this start's gossip generation: it must grow across restarts so that a node's new
     * life wins over the states of its old one (docs/repair.md, "Gossip round"). A stored counter
     * alone restarts at 1 when the storage is wiped, below the old life that peers still hold, so
     * the wall clock's seconds set a floor: a new disk still starts above every earlier life
     * unless the clock went back, and {@link io.armature.engine.membership.Gossip} recovers from that.
     *
     * @param wallClockSeconds the wall clock now, in seconds since the epoch
     * @return the generation of this run: above the stored one and at least {@code wallClockSeconds}
     */
    public long nextGeneration(final long wallClockSeconds) {
        final byte[] raw = storage.get(Keyspace.meta(), StorageLayout.GENERATION_KEY);
        final long stored = raw != null && raw.length == 8 ? StorageLayout.getLong(raw) : 0;
        final long next = Math.max(Math.addExact(stored, 1), wallClockSeconds);
        recordGeneration(next);
        return next;
    }

    /**
     * Stores a generation this run moved to, so the next start picks a higher one.
     *
     * @param generation the generation now in use
     */
    public void recordGeneration(final long generation) {
        final byte[] out = new byte[8];
        StorageLayout.putLong(out, 0, generation);
        storage.put(Keyspace.meta(), StorageLayout.GENERATION_KEY, out);
    }

    /**
     * Loads the incarnation, minting one when the storage is fresh: a node whose data is gone
     * must not reuse its old actor id (Riak's kv679), so a new store gets a new incarnation.
     *
     * @param random the node's seeded random source
     * @return the incarnation
     */
    public long loadOrMintIncarnation(final RandomGenerator random) {
        final byte[] raw = storage.get(Keyspace.meta(), StorageLayout.INCARNATION_KEY);
        if (raw != null && raw.length == 8) {
            return StorageLayout.getLong(raw);
        }
        final long incarnation = faults.has(FaultInjection.Fault.REUSE_INCARNATION) ? 1 : random.nextLong() & Long.MAX_VALUE;
        final byte[] out = new byte[8];
        StorageLayout.putLong(out, 0, incarnation);
        storage.put(Keyspace.meta(), StorageLayout.INCARNATION_KEY, out);
        return incarnation;
    }

    /**
     * Opens the actor epochs of this run; partition drops distrust the epochs handed out before.
     *
     * @param node this node's id
     * @param incarnation {@link #loadOrMintIncarnation}'s answer
     * @return the epochs
     */
    public ActorEpochs openEpochs(final NodeId node, final long incarnation) {
        return openEpochs(node, incarnation, 0);
    }

    /**
     * Opens the actor epochs of this run, at no epoch below the wall clock's microseconds (so a
     * restore from an old copy does not hand out again the epochs used after the copy).
     *
     * @param node this node's id
     * @param incarnation {@link #loadOrMintIncarnation}'s answer
     * @param wallClockMillis the SPI clock's wall time now
     * @return the epochs
     */
    public ActorEpochs openEpochs(final NodeId node, final long incarnation, final long wallClockMillis) {
        epochs = ActorEpochs.open(storage, node.value(), incarnation, faults.has(FaultInjection.Fault.REUSE_DOT), wallClockMillis);
        return epochs;
    }

    /**
     * @return the epochs opened by {@link #openEpochs}, or null before
     */
    public ActorEpochs epochs() {
        return epochs;
    }

    /**
     * @return the ring persisted by {@link #saveRing}, or null if none
     */
    public byte[] loadRing() {
        return storage.get(Keyspace.meta(), StorageLayout.RING_KEY);
    }

    /**
     * Persists the ring this node installed, so that a restart resumes at its epoch.
     *
     * @param encoded {@code Ring.encode()}
     */
    public void saveRing(final byte[] encoded) {
        storage.put(Keyspace.meta(), StorageLayout.RING_KEY, encoded);
    }

    /**
     * @return the streaming state persisted by {@link #savePending}, or null if none
     */
    public byte[] loadPending() {
        return storage.get(Keyspace.meta(), StorageLayout.PENDING_KEY);
    }

    /**
     * Persists the partitions still moving, so that a restart resumes the moves.
     *
     * @param encoded {@code StreamingState.encode()}, or null when nothing is moving (the record is deleted)
     */
    public void savePending(final byte[] encoded) {
        if (encoded == null) {
            storage.delete(Keyspace.meta(), StorageLayout.PENDING_KEY);
        } else {
            storage.put(Keyspace.meta(), StorageLayout.PENDING_KEY, encoded);
        }
    }
}
