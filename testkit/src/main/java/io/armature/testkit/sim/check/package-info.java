/**
 * The eventual-consistency checker: {@link io.armature.testkit.sim.check.Checker} verifies the
 * design's guarantees 1-7 on a run's history and final replica states and reports each
 * {@link io.armature.testkit.sim.check.Violation} with its keys, versions and operations.
 */
package io.armature.testkit.sim.check;
