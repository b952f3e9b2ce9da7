/**
 * Service-provider interfaces of Armature: how a framework plugs in its own storage
 * ({@link io.armature.spi.storage}), transport ({@link io.armature.spi.transport}), and how the
 * engine takes time, timers and randomness ({@link io.armature.spi.runtime}) so that a simulator
 * can drive it. Providers are found by id through {@link io.armature.spi.PluginRegistry}.
 *
 * <p>This package has no dependencies beyond the JDK and {@code armature-api}.
 */
package io.armature.spi;
