/**
 * A deterministic cluster simulator: many nodes of the real engine in one thread, under a
 * virtual clock ({@link io.armature.testkit.sim.SimLoop}, {@link io.armature.testkit.sim.SimClock},
 * {@link io.armature.testkit.sim.SimScheduler}) and a simulated network
 * ({@link io.armature.testkit.sim.SimNetwork}) with seeded delay, loss, duplication, reordering
 * and partitions. Every random choice comes from one seed, so a run replays event for event.
 */
package io.armature.testkit.sim;
