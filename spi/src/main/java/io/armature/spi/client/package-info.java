/**
 * How the {@code armature-client} artifact reaches the engine's remote client without a compile
 * dependency on the engine.
 */
package io.armature.spi.client;
