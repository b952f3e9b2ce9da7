package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;

/**
 * Decides whether a peer is worth sending new requests to. Fed by gossip (every heartbeat heard)
 * and by request traffic (replies and time-outs). A suspected node is skipped for new requests;
 * suspicion alone never removes it from the ring (DESIGN.md, membership). Called only on the
 * node's logic thread.
 */
public interface FailureDetector {
    /**
     * @param node a peer
     * @return false if the peer is currently suspected of having failed
     */
    boolean isAvailable(NodeId node);

    /**
     * Records that the peer was heard from just now (a heartbeat or any reply).
     *
     * @param node the peer
     */
    void heard(NodeId node);

    /**
     * Records that a request to the peer got no reply before its deadline.
     *
     * @param node the peer
     */
    void timedOut(NodeId node);
}
