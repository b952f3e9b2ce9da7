/**
 * The record of a simulated run ({@link io.armature.testkit.sim.history.History}): client
 * operations with the contexts they used and returned, and injected faults.
 */
package io.armature.testkit.sim.history;
