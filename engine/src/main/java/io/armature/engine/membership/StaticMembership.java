package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.transport.Endpoint;
import java.util.Map;
import java.util.Objects;

/**
 * A fixed membership: a ring and the members' endpoints, set once. Immutable, so one instance may
 * serve every node of an embedded cluster.
 */
public final class StaticMembership implements Membership {
    private final Ring ring;
    private final Map<NodeId, Endpoint> endpoints;

    /**
     * @param ring the ring
     * @param endpoints where each member listens; must cover the ring's members
     */
    public StaticMembership(final Ring ring, final Map<NodeId, Endpoint> endpoints) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.endpoints = Map.copyOf(endpoints);
        for (final NodeId member : ring.members()) {
            if (!this.endpoints.containsKey(member)) {
                throw new IllegalArgumentException("membership: no endpoint for ring member " + member);
            }
        }
    }

    @Override
    public Ring ring() {
        return ring;
    }

    @Override
    public Endpoint endpointOf(final NodeId node) {
        return endpoints.get(node);
    }

    /**
     * @return every member's endpoint
     */
    public Map<NodeId, Endpoint> endpoints() {
        return endpoints;
    }
}
