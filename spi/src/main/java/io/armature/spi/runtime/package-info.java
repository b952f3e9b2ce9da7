/**
 * Time, timers and randomness for the engine's logic. The engine never reads the system clock,
 * sleeps, starts threads or draws unseeded randomness itself: production wiring passes
 * {@link io.armature.spi.runtime.Clock#system()} and an event-loop scheduler, the testkit's
 * simulator passes a virtual clock and scheduler, and both pass a seeded
 * {@link java.util.random.RandomGenerator}, so a simulated run replays from its seed.
 */
package io.armature.spi.runtime;
