package io.armature.testkit.sim.history;

/**
 * How a client operation ended, as far as the client can tell.
 */
public enum Outcome {
    /** Not completed yet (only seen while a run is in progress). */
    PENDING,
    /** Acknowledged: the quorum answered. */
    OK,
    /** Rejected before anything was stored (invalid request): it certainly had no effect. */
    REJECTED,
    /** Quorum not reached, timed out, or the coordinator crashed: it may or may not have been stored. */
    UNKNOWN
}
