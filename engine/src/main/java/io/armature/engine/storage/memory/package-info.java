/**
 * The built-in {@code memory} storage plugin: sorted in-memory maps for simulations and tests,
 * nothing kept across close.
 */
package io.armature.engine.storage.memory;
