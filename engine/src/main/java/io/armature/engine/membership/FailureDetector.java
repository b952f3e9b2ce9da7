package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;

/**
 * Decides which peers requests should skip. The coordinator reports what it observes; a later
 * phi-accrual detector over gossip replaces the simple one without touching the coordinator.
 * Called only on the node's event loop.
 */
public interface FailureDetector {
    /**
     * @param node a peer
     * @return false while the peer is suspected: new requests go to a stand-in instead
     */
    boolean isAvailable(NodeId node);

    /**
     * Any message from the peer arrived.
     *
     * @param node the sender
     */
    void heard(NodeId node);

    /**
     * A request to the peer went unanswered for the replica timeout.
     *
     * @param node the peer
     */
    void timedOut(NodeId node);
}
