package io.armature.engine.ring;

import java.util.Arrays;

/**
 * Walk computation over an owner table of member indices. The walk of partition p is: in
 * clockwise order, the first node met of each zone not yet used, then every other member in the
 * order it is first met (see {@link Ring}).
 */
final class Walks {

    private Walks() {
    }

    /**
     * Every partition's walk prefix of {@code width} members, row-major into {@code out}, in one
     * backward sweep: O(Q * width) whatever the owner table looks like, so a hostile decoded ring
     * cannot make ring construction quadratic. Going backwards, the nodes ordered by their next
     * occurrence form a move-to-front list, and so do the zones: the zone picks of partition p
     * are the first zones of that list (each with the node at its next occurrence), the rest is
     * the node list without those picks.
     */
    static void prefixes(int[] owner, int[] zoneIndex, int zoneCount, int s, int width, int[] out) {
        int q = owner.length;
        int zoneTarget = Math.min(width, zoneCount);
        MoveToFront nodes = new MoveToFront(s);
        MoveToFront zones = new MoveToFront(zoneCount);
        int[] zoneNode = new int[zoneCount];
        boolean[] picked = new boolean[s];
        for (int i = 2 * q - 1; i >= 0; i--) {
            int m = owner[i & (q - 1)];
            nodes.toFront(m);
            zones.toFront(zoneIndex[m]);
            zoneNode[zoneIndex[m]] = m;
            if (i >= q) {
                continue;
            }
            int base = i * width;
            int size = 0;
            for (int z = zones.head; size < zoneTarget; z = zones.next[z]) {
                picked[zoneNode[z]] = true;
                out[base + size++] = zoneNode[z];
            }
            for (int n = nodes.head; size < width; n = nodes.next[n]) {
                if (!picked[n]) {
                    out[base + size++] = n;
                }
            }
            for (int k = 0; k < zoneTarget; k++) {
                picked[out[base + k]] = false;
            }
        }
    }

    /**
     * One walk of {@code limit} members from {@code start} by scanning clockwise: the cold path
     * for walks longer than the precomputed prefix. Also an independent implementation of the
     * same definition, which the tests compare with {@link #prefixes}.
     */
    static int[] walk(int[] owner, int[] zoneIndex, int zoneCount, int s, int start, int limit) {
        boolean[] seen = new boolean[s];
        boolean[] picked = new boolean[s];
        boolean[] zoneUsed = new boolean[zoneCount];
        int[] seenOrder = new int[s];
        int seenCount = 0;
        int zoneTarget = Math.min(limit, zoneCount);
        int mask = owner.length - 1;
        int[] out = new int[limit];
        int size = 0;
        for (int i = 0; i < owner.length && (size < zoneTarget || seenCount < limit); i++) {
            int m = owner[(start + i) & mask];
            if (!seen[m]) {
                seen[m] = true;
                seenOrder[seenCount++] = m;
            }
            if (size < zoneTarget && !picked[m] && !zoneUsed[zoneIndex[m]]) {
                picked[m] = true;
                zoneUsed[zoneIndex[m]] = true;
                out[size++] = m;
            }
        }
        for (int i = 0; i < seenCount && size < limit; i++) {
            if (!picked[seenOrder[i]]) {
                out[size++] = seenOrder[i];
            }
        }
        return size == limit ? out : Arrays.copyOf(out, size);
    }

    /** A doubly linked move-to-front list over 0..size-1; an element joins on its first move. */
    private static final class MoveToFront {
        final int[] next;
        final int[] prev;
        final boolean[] present;
        int head = -1;

        MoveToFront(int size) {
            next = new int[size];
            prev = new int[size];
            present = new boolean[size];
        }

        void toFront(int e) {
            if (head == e) {
                return;
            }
            if (present[e]) {
                next[prev[e]] = next[e];
                if (next[e] >= 0) {
                    prev[next[e]] = prev[e];
                }
            }
            present[e] = true;
            next[e] = head;
            prev[e] = -1;
            if (head >= 0) {
                prev[head] = e;
            }
            head = e;
        }
    }
}
