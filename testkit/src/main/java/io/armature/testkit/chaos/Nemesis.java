package io.armature.testkit.chaos;

import java.util.List;
import java.util.Locale;

/**
 * One fault of a chaos schedule, from {@code start} to {@code end} seconds after the workload began.
 *
 * @param kind what
 * @param start seconds from the workload's start
 * @param end seconds from the workload's start, when it is undone
 * @param sides for a partition, the groups of node numbers (for a bridge: side A, side B, then the bridge node); otherwise empty
 * @param node for a node fault (or a one-way cut's receiver), the node's number; otherwise 0
 */
public record Nemesis(Kind kind, int start, int end, List<List<Integer>> sides, int node) {
    /** The nemesis kinds. */
    public enum Kind {
        /** Two halves that cannot talk. */
        PARTITION_HALVES,
        /** A majority and a minority. */
        PARTITION_MAJORITY,
        /** Two sides that cannot talk, and one node that talks to both. */
        PARTITION_BRIDGE,
        /** Nothing from the others reaches one node, but what it sends gets through. */
        PARTITION_ONE_WAY,
        /** SIGKILL, then restart on the same data. */
        KILL,
        /** SIGSTOP for longer than the failure detector's threshold, then SIGCONT. */
        PAUSE,
        /** SIGKILL, delete the node's data, restart it empty. */
        WIPE,
        /** One node's clock jumps forward, then back. */
        CLOCK_JUMP;

        /**
         * @return true for the partitions
         */
        public boolean partition() {
            return name().startsWith("PARTITION");
        }
    }

    /**
     * Checks and copies.
     *
     * @param kind kind
     * @param start start
     * @param end end
     * @param sides sides
     * @param node node
     */
    public Nemesis {
        sides = sides.stream().map(List::copyOf).toList();
        if (end <= start) {
            throw new IllegalArgumentException("a nemesis ends after it starts: " + start + ".." + end);
        }
    }

    /**
     * @param k a node number
     * @return which side of this partition the node is on (0, 1, or 2 for a bridge), or -1
     */
    public int sideOf(final int k) {
        for (int i = 0; i < sides.size(); i++) {
            if (sides.get(i).contains(k)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%3ds..%3ds %s%s%s", start, end, kind.name().toLowerCase(Locale.ROOT),
            sides.isEmpty() ? "" : " " + sides, node == 0 ? "" : " n" + node);
    }
}
