package io.armature.engine.cluster;

import io.armature.engine.membership.Membership;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.transport.Endpoint;
import java.util.HashMap;
import java.util.Map;

/** The cluster's membership: a fixed ring, endpoints republished when a transport picks a port. */
final class ClusterMembership implements Membership {
    volatile Ring ring;
    volatile StaticMembership endpoints;

    void publish(final NodeId[] ids, final Endpoint[] eps) {
        final Map<NodeId, Endpoint> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            m.put(ids[i], eps[i]);
        }
        endpoints = new StaticMembership(ring, m);
    }

    @Override
    public Ring ring() {
        return ring;
    }

    @Override
    public Endpoint endpointOf(final NodeId node) {
        final StaticMembership e = endpoints;
        return e == null ? null : e.endpointOf(node);
    }
}
