/**
 * A Jepsen-style harness for real node processes: each node in its own network namespace on a
 * bridge the harness owns, nemeses (partitions, kills, pauses, wipes, clock jumps) from a seeded
 * schedule, concurrent clients recording a {@link io.armature.testkit.sim.history.History}, and
 * the simulator's {@link io.armature.testkit.sim.check.Checker} judging the result.
 */
package io.armature.testkit.chaos;
