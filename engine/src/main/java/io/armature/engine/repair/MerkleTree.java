package io.armature.engine.repair;

import java.util.Arrays;

/**
 * The anti-entropy Merkle tree of one ring partition (DeCandia et al. 2007, section 4.7), over the
 * 64-bit hashes of its keys. The tree has a fixed fan-out and depth; leaf {@code i} covers the
 * i-th of {@code fanout^depth} equal key-hash ranges of the partition, so both replicas of a
 * partition cut it the same way without agreeing on anything but the shape.
 *
 * <p>Every node's hash is the sum (mod 2^64) of {@link #entryHash} over the keys below it, where
 * an entry is (key hash, digest of the key's version set). Sums are order-free and invertible, so
 * a write updates the tree in O(depth) additions ({@link #update}) instead of a rebuild, and the
 * tree equals the one a scan would build, whatever the order of writes. Two different sets of
 * entries collide only if their sums of pseudo-random 64-bit values coincide (about 2^-64 per
 * compared node, for key sets not chosen against the mixer).
 *
 * <p>The diff protocol ({@link MerkleDiff}) compares roots, then only the children of differing
 * nodes, level by level: finding k differing leaves exchanges at most {@code 1 + k * fanout * depth}
 * node hashes, however many keys the partition holds. Mutable; used on the node's logic thread.
 */
public final class MerkleTree {
    /** The digest that means "no version set": an entry with it contributes nothing. */
    public static final long ABSENT = 0L;
    /** Default fan-out. */
    public static final int DEFAULT_FANOUT = 16;
    /** Default depth: 16^3 = 4096 leaves, 35 KiB of hashes per partition. */
    public static final int DEFAULT_DEPTH = 3;
    /** Most leaves a tree may have (8 MiB of leaf hashes). */
    public static final int MAX_LEAVES = 1 << 20;

    private final int partitionBits;
    private final int partition;
    private final int fanoutBits;
    private final int depth;
    private final int leafBits;
    private final long[][] levels;

    /**
     * @param partitionCount Q, the ring's partition count: a power of two, 1..65536
     * @param partition the partition this tree covers, 0..Q-1
     * @param fanout children per inner node: a power of two, 2..256
     * @param depth levels below the root, at least 1; {@code fanout^depth} at most {@link #MAX_LEAVES}
     */
    public MerkleTree(final int partitionCount, final int partition, final int fanout, final int depth) {
        if (partitionCount < 1 || partitionCount > 65_536 || Integer.bitCount(partitionCount) != 1) {
            throw new IllegalArgumentException("merkle tree partitionCount must be a power of two in 1..65536, was " + partitionCount);
        }
        if (partition < 0 || partition >= partitionCount) {
            throw new IllegalArgumentException("merkle tree partition must be in 0.." + (partitionCount - 1) + ", was " + partition);
        }
        if (fanout < 2 || fanout > 256 || Integer.bitCount(fanout) != 1) {
            throw new IllegalArgumentException("merkle tree fanout must be a power of two in 2..256, was " + fanout);
        }
        this.fanoutBits = Integer.numberOfTrailingZeros(fanout);
        if (depth < 1 || (long) fanoutBits * depth > Integer.numberOfTrailingZeros(MAX_LEAVES)) {
            throw new IllegalArgumentException("merkle tree depth must be at least 1 with fanout^depth at most " + MAX_LEAVES
                + ", was " + depth + " (fanout " + fanout + ")");
        }
        this.partitionBits = Integer.numberOfTrailingZeros(partitionCount);
        this.partition = partition;
        this.depth = depth;
        this.leafBits = fanoutBits * depth;
        this.levels = new long[depth + 1][];
        for (int level = 0; level <= depth; level++) {
            levels[level] = new long[1 << (fanoutBits * level)];
        }
    }

    /**
     * @param partitionCount Q
     * @param partition the partition
     * @return a tree with the default fan-out and depth
     */
    public static MerkleTree create(final int partitionCount, final int partition) {
        return new MerkleTree(partitionCount, partition, DEFAULT_FANOUT, DEFAULT_DEPTH);
    }

    /**
     * Mixes a key hash and its version-set digest into the 64-bit value the tree sums.
     *
     * @param keyHash the key's hash
     * @param digest the version set's digest, {@link #ABSENT} for none
     * @return the entry's contribution, 0 for an absent entry
     */
    public static long entryHash(final long keyHash, final long digest) {
        if (digest == ABSENT) {
            return 0L;
        }
        return Digests.fmix64(Digests.fmix64(keyHash) ^ Long.rotateLeft(digest * 0x9E3779B97F4A7C15L, 31));
    }

    /**
     * Records a change of one key: its version set's digest went from {@code oldDigest} to
     * {@code newDigest} ({@link #ABSENT} for "no version set"). O(depth).
     *
     * @param keyHash the key's hash, inside this tree's partition
     * @param oldDigest the digest before the write
     * @param newDigest the digest after it
     */
    public void update(final long keyHash, final long oldDigest, final long newDigest) {
        final long delta = entryHash(keyHash, newDigest) - entryHash(keyHash, oldDigest);
        if (delta == 0) {
            checkContains(keyHash);
            return;
        }
        int index = leafOf(keyHash);
        for (int level = depth; level >= 0; level--) {
            levels[level][index] += delta;
            index >>>= fanoutBits;
        }
    }

    /**
     * Rebuilds the tree from a scan of the partition's keys in any order.
     *
     * @param source every (key hash, digest) of the partition, once each
     */
    public void rebuild(final EntrySource source) {
        for (final long[] level : levels) {
            Arrays.fill(level, 0L);
        }
        final long[] leaves = levels[depth];
        source.forEach((keyHash, digest) -> leaves[leafOf(keyHash)] += entryHash(keyHash, digest));
        for (int level = depth - 1; level >= 0; level--) {
            final long[] parents = levels[level];
            final long[] children = levels[level + 1];
            for (int child = 0; child < children.length; child++) {
                parents[child >>> fanoutBits] += children[child];
            }
        }
    }

    /**
     * @return the root hash
     */
    public long root() {
        return levels[0][0];
    }

    /**
     * @param level 0 (the root) to {@link #depth()} (the leaves)
     * @param index 0 to {@code fanout^level - 1}
     * @return the node's hash
     */
    public long node(final int level, final int index) {
        checkNode(level, index);
        return levels[level][index];
    }

    /**
     * @param level a level
     * @param indices node indices at that level
     * @return their hashes, in the same order
     */
    public long[] hashes(final int level, final int[] indices) {
        final long[] out = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = node(level, indices[i]);
        }
        return out;
    }

    /**
     * @param level a level
     * @param indices node indices at that level
     * @param theirHashes the other replica's hashes of the same nodes
     * @return the indices whose hashes differ from this tree's, in the given order
     */
    public int[] differing(final int level, final int[] indices, final long[] theirHashes) {
        if (indices.length != theirHashes.length) {
            throw new IllegalArgumentException("merkle diff: " + indices.length + " indices but " + theirHashes.length + " hashes");
        }
        int n = 0;
        final int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (node(level, indices[i]) != theirHashes[i]) {
                out[n++] = indices[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * @param level a level above the leaves
     * @param indices node indices at that level, ascending
     * @return the indices of all their children at {@code level + 1}, ascending
     */
    public int[] children(final int level, final int[] indices) {
        if (level < 0 || level >= depth) {
            throw new IllegalArgumentException("merkle tree level " + level + " has no children (depth " + depth + ")");
        }
        final int fanout = fanout();
        final int[] out = new int[indices.length * fanout];
        for (int i = 0; i < indices.length; i++) {
            checkNode(level, indices[i]);
            for (int c = 0; c < fanout; c++) {
                out[i * fanout + c] = (indices[i] << fanoutBits) + c;
            }
        }
        return out;
    }

    /**
     * @param keyHash a key hash inside this tree's partition
     * @return the index of the leaf that covers it
     */
    public int leafOf(final long keyHash) {
        checkContains(keyHash);
        return (int) ((keyHash << partitionBits) >>> (64 - leafBits));
    }

    /**
     * @param leafIndex 0 to {@link #leafCount()} - 1
     * @return the key-hash range the leaf covers, to scan when the leaf differs
     */
    public KeyHashRange leafRange(final int leafIndex) {
        checkNode(depth, leafIndex);
        final long base = partitionBits == 0 ? 0L : (long) partition << (64 - partitionBits);
        // leafBits >= 1, so lowBits is 0..63 and the shifts below are exact.
        final int lowBits = 64 - partitionBits - leafBits;
        final long first = base | (long) leafIndex << lowBits;
        final long last = first + ((1L << lowBits) - 1);
        return new KeyHashRange(first, last);
    }

    /**
     * @param keyHash a key hash
     * @return true if the hash falls in this tree's partition
     */
    public boolean contains(final long keyHash) {
        return partitionBits == 0 || (int) (keyHash >>> (64 - partitionBits)) == partition;
    }

    /**
     * @param other another tree
     * @return true if both have the same shape, partition and node hashes
     */
    public boolean contentEquals(final MerkleTree other) {
        return partitionBits == other.partitionBits && partition == other.partition && fanoutBits == other.fanoutBits
            && depth == other.depth && Arrays.deepEquals(levels, other.levels);
    }

    /**
     * @param other another tree
     * @return true if the two can be compared: same partition and shape
     */
    public boolean sameShape(final MerkleTree other) {
        return partitionBits == other.partitionBits && partition == other.partition && fanoutBits == other.fanoutBits
            && depth == other.depth;
    }

    /**
     * @return the partition this tree covers
     */
    public int partition() {
        return partition;
    }

    /**
     * @return the ring's partition count this tree was cut for
     */
    public int partitionCount() {
        return 1 << partitionBits;
    }

    /**
     * @return children per inner node
     */
    public int fanout() {
        return 1 << fanoutBits;
    }

    /**
     * @return levels below the root
     */
    public int depth() {
        return depth;
    }

    /**
     * @return the number of leaves, {@code fanout^depth}
     */
    public int leafCount() {
        return 1 << leafBits;
    }

    private void checkContains(final long keyHash) {
        if (!contains(keyHash)) {
            throw new IllegalArgumentException("key hash " + Long.toHexString(keyHash) + " is not in partition " + partition
                + " of " + partitionCount());
        }
    }

    private void checkNode(final int level, final int index) {
        if (level < 0 || level > depth || index < 0 || index >= levels[level].length) {
            throw new IllegalArgumentException("merkle tree has no node (" + level + ", " + index + "): depth " + depth
                + ", fanout " + fanout());
        }
    }

    /** A scan of a partition's entries, for {@link #rebuild}. */
    @FunctionalInterface
    public interface EntrySource {
        /**
         * @param sink receives every (key hash, digest) once
         */
        void forEach(EntrySink sink);
    }

    /** Receives one (key hash, digest) entry. */
    @FunctionalInterface
    public interface EntrySink {
        /**
         * @param keyHash the key's hash
         * @param digest its version set's digest
         */
        void accept(long keyHash, long digest);
    }
}
