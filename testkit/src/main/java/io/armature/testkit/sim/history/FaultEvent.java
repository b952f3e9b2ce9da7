package io.armature.testkit.sim.history;

/**
 * A fault the simulator injected, or its end, as recorded in a {@link History}.
 *
 * @param time virtual time in nanoseconds
 * @param kind what happened, for example {@code crash}, {@code restart}, {@code wipe}, {@code partition}, {@code heal}
 * @param node the node concerned, or null for network-wide events
 * @param detail more about it (partition groups, loss rate), may be empty
 */
public record FaultEvent(long time, String kind, String node, String detail) {
    /** Kind of a crash. */
    public static final String CRASH = "crash";
    /** Kind of a restart that kept the node's storage. */
    public static final String RESTART = "restart";
    /** Kind of a restart with wiped storage (a permanent failure and a replacement). */
    public static final String WIPE = "wipe";
    /**
     * Kind of a crash that lost the node's writes after its last sync point (storage that did not
     * promise to keep them): to the checker, like a wipe of that node.
     */
    public static final String LOST = "lost";
    /** Kind of a node that starts and asks to join the ring. */
    public static final String JOIN = "join";
    /** Kind of an operator's leave of a member (the ring change is asked for). */
    public static final String LEAVE = "leave";
    /** Kind of a node that left the ring and was stopped for good. */
    public static final String LEFT = "left";

    @Override
    public String toString() {
        return String.format("@%.3fms %s%s%s", time / 1e6, kind, node == null ? "" : " " + node, detail.isEmpty() ? "" : " " + detail);
    }
}
