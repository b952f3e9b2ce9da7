package io.armature.engine.ring;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The claim algorithm: who owns which of the Q equal partitions (Dynamo, section 6.2,
 * strategy 3; Riak's claim). Works on owner tables of member indices; {@link Ring} maps indices
 * to node ids. Every function is a pure function of its inputs, so the same membership history
 * yields the same ring on every node.
 *
 * <p>Laws kept (proven by {@code RingProperties}):
 * <ul>
 *   <li>balance: owned counts differ by at most one;</li>
 *   <li>minimal movement: a join moves only partitions that go to the new node, floor(Q/(S+1))
 *       of them; a leave moves only the leaver's partitions;</li>
 *   <li>spread (so that a preference list of N distinct nodes is found within few steps of the
 *       walk): a created ring has any run of {@link #createdSpacing(int, int)} consecutive
 *       partitions owned by distinct nodes, and a join onto it keeps runs of
 *       min(3, createdSpacing) distinct; beyond that, joins and leaves keep a node's partitions
 *       as far apart as the greedy choice allows, which is best effort. Balance and minimal
 *       movement can force clumping on a leave: in a round-robin ring every partition of the
 *       leaver sits between the same two neighbours, and balance makes each of them take one.
 *       (Riak's claim moves extra partitions to undo that; minimal movement rules it out.)</li>
 * </ul>
 */
final class Claim {

    /** Largest spacing the join and leave heuristics aim for; beyond it spread buys nothing. */
    static final int MAX_SPACING = 32;

    private Claim() {
    }

    /**
     * Round robin over the members in zone-interleaved order, with the last partial round moved
     * to the middle of the order so the wrap-around does not put a node's two partitions close.
     */
    static int[] create(int q, String[] zones) {
        int s = zones.length;
        int[] order = spreadOrder(zones);
        int[] owner = new int[q];
        int full = (q / s) * s;
        for (int i = 0; i < full; i++) {
            owner[i] = order[i % s];
        }
        int r = q - full;
        int offset = (s - r) / 2;
        for (int j = 0; j < r; j++) {
            owner[full + j] = order[offset + j];
        }
        return owner;
    }

    /**
     * The minimum run length with distinct owners that {@link #create} guarantees: S when S
     * divides Q, else floor((S + Q mod S) / 2).
     */
    static int createdSpacing(int q, int s) {
        int r = q % s;
        return r == 0 ? s : (s + r) / 2;
    }

    /**
     * Members ordered so that zones alternate as evenly as possible: member j of a zone with m
     * members sits at fraction (j + 1/2) / m of the order (the classic even interleaving).
     */
    static int[] spreadOrder(String[] zones) {
        Map<String, int[]> counts = new TreeMap<>();
        for (String z : zones) {
            counts.computeIfAbsent(z, k -> new int[2])[0]++;
        }
        int s = zones.length;
        double[] key = new double[s];
        for (int i = 0; i < s; i++) {
            int[] c = counts.get(zones[i]);
            key[i] = (c[1]++ + 0.5) / c[0];
        }
        Integer[] idx = new Integer[s];
        for (int i = 0; i < s; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> key[i])
            .thenComparing(i -> zones[i]).thenComparingInt(i -> i));
        int[] order = new int[s];
        for (int i = 0; i < s; i++) {
            order[i] = idx[i];
        }
        return order;
    }

    /**
     * Gives the new member {@code x} floor(Q/S) partitions (S counts {@code x}), taken only from
     * members that may shrink and stay balanced, so nothing else moves. Passes with a shrinking
     * minimum distance between x's partitions: first the ideal spacing Q/quota, finally none.
     *
     * <p>Balance: the others end with b or b+1 partitions (b = (Q - quota) / (S - 1)). A member
     * above b+1 must give; one at b+1 may give while the optional budget lasts (quota minus the
     * mandatory gives), so no member is forced below b or left above b+1.
     */
    static int[] join(int[] current, int s, int x) {
        int q = current.length;
        int quota = q / s;
        Joining join = new Joining(current, s, x, (q - quota) / (s - 1), quota);
        int ideal = Math.max(1, q / quota);
        int spaced = Math.max(1, Math.min(MAX_SPACING, ideal) / 2);
        // First aim at evenly spaced targets, searching outwards from each, so x is spread over
        // the whole ring (a contiguous cluster would lengthen walks for x's zone); then fill
        // what is left in order with a shrinking minimum distance.
        for (int j = 0; j < quota; j++) {
            int target = (int) ((long) j * q / quota);
            for (int d = 0; d <= ideal / 2; d++) {
                if (join.tryTake(target + d, spaced) || join.tryTake(target - d - 1, spaced)) {
                    break;
                }
            }
        }
        for (int w = Math.min(MAX_SPACING, ideal); w >= 1 && join.taken < quota; w--) {
            for (int p = 0; p < q && join.taken < quota; p++) {
                join.tryTake(p, w);
            }
        }
        return join.owner;
    }

    /** The state of one join: x takes partitions while the donors stay balanced. */
    private static final class Joining {
        final int[] owner;
        final int[] counts;
        final boolean[] isX;
        final int x;
        final int base;
        final int mask;
        int optional;
        int taken;

        Joining(int[] current, int s, int x, int base, int quota) {
            this.owner = current.clone();
            this.counts = counts(owner, s);
            this.isX = new boolean[owner.length];
            this.x = x;
            this.base = base;
            this.mask = owner.length - 1;
            this.optional = quota;
            for (int i = 0; i < s; i++) {
                optional -= Math.max(0, counts[i] - base - 1);
            }
        }

        /** Takes partition p for x if its owner may give and x has nothing closer than w. */
        boolean tryTake(int position, int w) {
            int p = position & mask;
            int o = owner[p];
            boolean mandatory = counts[o] > base + 1;
            if (o == x || !(mandatory || (counts[o] == base + 1 && optional > 0))
                || xWithin(isX, p, w - 1, mask)) {
                return false;
            }
            if (!mandatory) {
                optional--;
            }
            owner[p] = x;
            isX[p] = true;
            counts[o]--;
            taken++;
            return true;
        }
    }

    private static boolean xWithin(boolean[] isX, int p, int radius, int mask) {
        for (int d = 1; d <= radius; d++) {
            if (isX[(p + d) & mask] || isX[(p - d) & mask]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hands each of the leaver's partitions to a member that may grow and stay balanced,
     * choosing the one whose nearest partition is farthest away (ties: a member below the
     * base count first, then the lower index). Only the leaver's partitions move. The result
     * still uses the old indices.
     *
     * <p>Balance mirrors {@link #join}: the others end with b or b+1 partitions
     * (b = Q / (S - 1)); a member below b must receive, one at b may while the optional budget
     * lasts.
     */
    static int[] leave(int[] current, int s, int leaver) {
        int q = current.length;
        int[] owner = current.clone();
        int[] counts = counts(owner, s);
        int base = q / (s - 1);
        int optional = counts[leaver];
        for (int i = 0; i < s; i++) {
            if (i != leaver) {
                optional -= Math.max(0, base - counts[i]);
            }
        }
        int mask = q - 1;
        int radius = Math.min(MAX_SPACING, q / 2);
        int[] nearest = new int[s];
        for (int p = 0; p < q; p++) {
            if (owner[p] != leaver) {
                continue;
            }
            Arrays.fill(nearest, radius + 1);
            for (int d = radius; d >= 1; d--) {
                nearest[owner[(p + d) & mask]] = d;
                nearest[owner[(p - d) & mask]] = d;
            }
            int best = -1;
            for (int c = 0; c < s; c++) {
                if (c == leaver || !(counts[c] < base || (counts[c] == base && optional > 0))) {
                    continue;
                }
                if (best < 0 || nearest[c] > nearest[best]
                    || (nearest[c] == nearest[best] && counts[c] < base && counts[best] >= base)) {
                    best = c;
                }
            }
            if (best < 0) {
                best = fewest(counts, s, leaver);
            } else if (counts[best] >= base) {
                optional--;
            }
            owner[p] = best;
            counts[best]++;
        }
        return owner;
    }

    private static int fewest(int[] counts, int s, int excluded) {
        int best = -1;
        for (int c = 0; c < s; c++) {
            if (c != excluded && (best < 0 || counts[c] < counts[best])) {
                best = c;
            }
        }
        return best;
    }

    static int[] counts(int[] owner, int s) {
        int[] counts = new int[s];
        for (int o : owner) {
            counts[o]++;
        }
        return counts;
    }
}
