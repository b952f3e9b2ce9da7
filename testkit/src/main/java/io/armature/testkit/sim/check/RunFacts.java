package io.armature.testkit.sim.check;

/**
 * What the checker must know of a run beyond its history and final state.
 *
 * @param nodes the number of nodes
 * @param sloppyQuorumUsed true if any stand-in stored a hint in the run (read-your-writes is
 *     then not promised)
 */
public record RunFacts(int nodes, boolean sloppyQuorumUsed) {
}
