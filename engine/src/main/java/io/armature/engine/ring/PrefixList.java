package io.armature.engine.ring;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An immutable view of the first {@code size} entries of a walk prefix. Ring keeps one per
 * partition and N up to {@link Ring#PRECOMPUTED}, all sharing the partition's array, so a
 * preference-list lookup allocates nothing.
 */
final class PrefixList extends AbstractList<NodeId> implements RandomAccess {

    private final NodeId[] nodes;
    private final int size;

    PrefixList(NodeId[] nodes, int size) {
        this.nodes = nodes;
        this.size = size;
    }

    @Override
    public NodeId get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        return nodes[index];
    }

    @Override
    public int size() {
        return size;
    }
}
