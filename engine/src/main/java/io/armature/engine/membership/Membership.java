package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.transport.Endpoint;

/**
 * What a node knows of the cluster: the ring and where each member listens. The static
 * implementation is filled by the embedded cluster; gossip (a later issue) will feed another.
 * Read only on the node's event loop.
 */
public interface Membership {
    /**
     * @return the current ring
     */
    Ring ring();

    /**
     * @param node a member
     * @return where it listens, or null if unknown
     */
    Endpoint endpointOf(NodeId node);

    /**
     * @return the epoch this node gossips: the ring's, or 0 while it holds no real ring yet (joining)
     */
    default long ringEpoch() {
        return ring().epoch();
    }
}
