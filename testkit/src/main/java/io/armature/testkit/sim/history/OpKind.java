package io.armature.testkit.sim.history;

/**
 * What a client operation does.
 */
public enum OpKind {
    /** A read: returns siblings and a context. */
    GET,
    /** A write of a new, unique value, with a context (possibly empty: a blind write). */
    PUT,
    /** A delete: a tombstone written with a context. */
    DELETE
}
