/**
 * What a simulated run does: the clients' {@link io.armature.testkit.sim.schedule.OpSchedule},
 * the {@link io.armature.testkit.sim.schedule.FaultSchedule}, and jqwik generators for both
 * ({@link io.armature.testkit.sim.schedule.SimArbitraries}) that shrink to minimal schedules.
 */
package io.armature.testkit.sim.schedule;
