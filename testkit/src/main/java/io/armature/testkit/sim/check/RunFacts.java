package io.armature.testkit.sim.check;

import java.util.List;

/**
 * What the checker must know of a run beyond its history and final state.
 *
 * @param nodes the number of nodes
 * @param sloppyQuorumUsed true if any stand-in stored a hint in the run (read-your-writes is
 *     then not promised)
 * @param sloppyStretches when known, the stretches of the run (in the history's time) outside
 *     which no stand-in copy was sent: read-your-writes is then checked for every write outside
 *     them; null when only {@code sloppyQuorumUsed} is known
 */
public record RunFacts(int nodes, boolean sloppyQuorumUsed, List<Stretch> sloppyStretches) {
    /**
     * Copies.
     *
     * @param nodes nodes
     * @param sloppyQuorumUsed sloppy quorum used
     * @param sloppyStretches stretches, or null
     */
    public RunFacts {
        sloppyStretches = sloppyStretches == null ? null : List.copyOf(sloppyStretches);
    }

    /**
     * A run that knows only whether substitution happened at all.
     *
     * @param nodes the number of nodes
     * @param sloppyQuorumUsed true if any stand-in stored a hint in the run
     */
    public RunFacts(final int nodes, final boolean sloppyQuorumUsed) {
        this(nodes, sloppyQuorumUsed, null);
    }

    /**
     * A stretch of a run's time, both ends included.
     *
     * @param from its start
     * @param to its end
     */
    public record Stretch(long from, long to) {
        /**
         * @param start an interval's start
         * @param end its end
         * @return true if the interval meets this stretch
         */
        public boolean meets(final long start, final long end) {
            return start <= to && end >= from;
        }
    }
}
