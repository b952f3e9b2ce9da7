/**
 * The client-facing API of Armature: {@link io.armature.api.KvClient} (asynchronous first, with a
 * blocking view), {@link io.armature.api.ReadResult} with siblings and a causal
 * {@link io.armature.api.Context}, application-assisted merges through
 * {@link io.armature.api.ConflictResolver}, per-call {@link io.armature.api.Consistency} and typed
 * views through {@link io.armature.api.Codec}.
 *
 * <p>This package has no dependencies beyond the JDK.
 */
package io.armature.api;
