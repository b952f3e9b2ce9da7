package io.armature.engine.repair;

/**
 * What two replicas must agree on before comparing Merkle trees: the partition and how the tree
 * cuts it. Carried in every anti-entropy message so a mismatch (a peer with other settings, or a
 * ring with another Q) is detected instead of producing garbage diffs.
 *
 * @param partitionCount the ring's Q
 * @param partition the partition
 * @param fanout the trees' fan-out
 * @param depth the trees' depth
 */
public record TreeShape(int partitionCount, int partition, int fanout, int depth) {
    /**
     * Validates the shape by building nothing more than the checks {@link MerkleTree} makes.
     */
    public TreeShape {
        if (partitionCount < 1 || partitionCount > 65_536 || Integer.bitCount(partitionCount) != 1
            || partition < 0 || partition >= partitionCount
            || fanout < 2 || fanout > 256 || Integer.bitCount(fanout) != 1
            || depth < 1 || (long) Integer.numberOfTrailingZeros(fanout) * depth > Integer.numberOfTrailingZeros(MerkleTree.MAX_LEAVES)) {
            throw new IllegalArgumentException("invalid merkle tree shape: partitionCount " + partitionCount + ", partition "
                + partition + ", fanout " + fanout + ", depth " + depth);
        }
    }

    /**
     * @param tree a tree
     * @return its shape
     */
    public static TreeShape of(final MerkleTree tree) {
        return new TreeShape(tree.partitionCount(), tree.partition(), tree.fanout(), tree.depth());
    }

    /**
     * @param level a level of the tree
     * @return the number of nodes at that level
     */
    int width(final int level) {
        return 1 << (Integer.numberOfTrailingZeros(fanout) * level);
    }
}
