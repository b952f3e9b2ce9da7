package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;

/**
 * What gossip says about one node. Only the node itself bumps its heartbeat {@code version};
 * {@code generation} changes when it restarts (a new life, which may start over at JOINING).
 *
 * <p>States of one node form a join-semilattice under {@link #join}: a higher generation wins
 * outright; within a generation, version and ring epoch take the maximum, status moves only
 * forward (JOINING, UP, LEAVING, LEFT), the settled epoch takes the maximum, and the endpoint and zone are the ones carried by
 * the highest version (ties broken by the endpoint's, then the zone's order so that the join stays commutative). A product
 * and a lexicographic product of lattices over a total order are lattices, so gossip converges
 * whatever the order of exchanges (Demers et al. 1987; the same shape as Cassandra's
 * (generation, version) heartbeat state).
 *
 * @param node the node
 * @param endpoint where it listens; its host is at most 255 bytes of UTF-8
 * @param status its membership status
 * @param generation its life, at least 0
 * @param version its heartbeat version within the generation, at least 0
 * @param ringEpoch the ring epoch it has installed, at least 0
 * @param settledEpoch the highest ring epoch of this life at which it held every partition it
 *     gained (nothing left to pull), at least 0: losers learn from it that a handoff finished
 *     even when the gainer's HANDOFF notice never reached them; within a generation it takes the maximum
 * @param zone the zone the node runs in ({@code ""} for none): empty or 1..64 of the node id alphabet, like the ring's zones,
 *     so that a member that is not in the ring yet shows where it runs
 */
public record MemberState(NodeId node, Endpoint endpoint, Status status, long generation, long version, long ringEpoch,
                          long settledEpoch, String zone) {

    /** Membership status; the declaration order is the only order in which a node moves. */
    public enum Status {
        /** Announced, taking over partitions; not yet a preference-list member for reads. */
        JOINING,
        /** A full member. */
        UP,
        /** Handing its partitions over; still serving until it is LEFT. */
        LEAVING,
        /** Gone; kept in the view so the departure is not forgotten and undone by old gossip. */
        LEFT
    }

    /** Largest host, in UTF-8 bytes, that the codec carries (a DNS name is at most 253). */
    public static final int MAX_HOST_BYTES = 255;

    private static final Comparator<Endpoint> ENDPOINT_ORDER =
        Comparator.comparing(Endpoint::host).thenComparingInt(Endpoint::port);

    /**
     * A state in no zone.
     *
     * @param node the node
     * @param endpoint where it listens
     * @param status its membership status
     * @param generation its life
     * @param version its heartbeat version
     * @param ringEpoch the ring epoch it has installed
     * @param settledEpoch the highest ring epoch at which it held every partition it gained
     */
    public MemberState(final NodeId node, final Endpoint endpoint, final Status status, final long generation, final long version,
                       final long ringEpoch, final long settledEpoch) {
        this(node, endpoint, status, generation, version, ringEpoch, settledEpoch, "");
    }

    /**
     * A state that claims no settled epoch.
     *
     * @param node the node
     * @param endpoint where it listens
     * @param status its membership status
     * @param generation its life
     * @param version its heartbeat version
     * @param ringEpoch the ring epoch it has installed
     */
    public MemberState(final NodeId node, final Endpoint endpoint, final Status status, final long generation, final long version,
                       final long ringEpoch) {
        this(node, endpoint, status, generation, version, ringEpoch, 0, "");
    }

    /**
     * Validates the parts.
     */
    public MemberState {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(status, "status");
        if (generation < 0 || version < 0 || ringEpoch < 0 || settledEpoch < 0) {
            throw new IllegalArgumentException("member " + node + ": generation, version, ringEpoch and settledEpoch must be at least 0, were "
                + generation + ", " + version + ", " + ringEpoch + ", " + settledEpoch);
        }
        if (endpoint.host().getBytes(StandardCharsets.UTF_8).length > MAX_HOST_BYTES) {
            throw new IllegalArgumentException("member " + node + ": endpoint host is longer than " + MAX_HOST_BYTES + " bytes");
        }
        Objects.requireNonNull(zone, "zone");
        if (!zone.isEmpty()) {
            try {
                new NodeId(zone);
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("member " + node + ": zone must be empty or 1.." + NodeId.MAX_LENGTH
                    + " characters of [A-Za-z0-9._-]", e);
            }
        }
    }

    /**
     * @param other a state of the same node
     * @return the least state that is at least both (the lattice join)
     * @throws IllegalArgumentException if the states are of different nodes
     */
    public MemberState join(final MemberState other) {
        if (!node.equals(other.node)) {
            throw new IllegalArgumentException("cannot join states of " + node + " and " + other.node);
        }
        if (generation != other.generation) {
            return generation > other.generation ? this : other;
        }
        final MemberState newer = compareVersionThenEndpoint(this, other) >= 0 ? this : other;
        final Status joinedStatus = status.compareTo(other.status) >= 0 ? status : other.status;
        final MemberState joined = new MemberState(node, newer.endpoint, joinedStatus, generation, newer.version,
            Math.max(ringEpoch, other.ringEpoch), Math.max(settledEpoch, other.settledEpoch), newer.zone);
        if (joined.equals(this)) {
            return this;
        }
        return joined.equals(other) ? other : joined;
    }

    /**
     * @param other a state of the same node
     * @return true if this state is at least {@code other} in the lattice order (joining adds nothing)
     */
    public boolean covers(final MemberState other) {
        return join(other).equals(this);
    }

    /**
     * @param other a state of the same node
     * @return true if {@code (generation, version)} is strictly higher here: the node's heartbeat advanced
     */
    public boolean heartbeatNewerThan(final MemberState other) {
        return generation != other.generation ? generation > other.generation : version > other.version;
    }

    /**
     * @return this state with the heartbeat version one higher (the owner's gossip tick)
     */
    public MemberState beat() {
        return new MemberState(node, endpoint, status, generation, Math.addExact(version, 1), ringEpoch, settledEpoch, zone);
    }

    /**
     * @param zone the zone the node runs in, {@code ""} for none
     * @return this state with that zone and the version one higher
     */
    public MemberState withZone(final String zone) {
        return new MemberState(node, endpoint, status, generation, Math.addExact(version, 1), ringEpoch, settledEpoch, zone);
    }

    /**
     * @param epoch a ring epoch at which the node holds every partition it gained
     * @return this state with that settled epoch (never lower than the current one) and the version one higher
     */
    public MemberState withSettledEpoch(final long epoch) {
        return new MemberState(node, endpoint, status, generation, Math.addExact(version, 1), ringEpoch, Math.max(settledEpoch, epoch), zone);
    }

    /**
     * @param next the new status
     * @return this state with that status and the version one higher
     * @throws IllegalStateException if {@code next} would move the status backwards
     */
    public MemberState withStatus(final Status next) {
        if (next.compareTo(status) < 0) {
            throw new IllegalStateException("member " + node + " cannot go from " + status + " back to " + next);
        }
        return new MemberState(node, endpoint, next, generation, Math.addExact(version, 1), ringEpoch, settledEpoch, zone);
    }

    /**
     * @param epoch the ring epoch now installed
     * @return this state with that epoch (never lower than the current one) and the version one higher
     */
    public MemberState withRingEpoch(final long epoch) {
        return new MemberState(node, endpoint, status, generation, Math.addExact(version, 1), Math.max(ringEpoch, epoch), settledEpoch, zone);
    }

    private static int compareVersionThenEndpoint(final MemberState a, final MemberState b) {
        final int byVersion = Long.compare(a.version, b.version);
        if (byVersion != 0) {
            return byVersion;
        }
        final int byEndpoint = ENDPOINT_ORDER.compare(a.endpoint, b.endpoint);
        return byEndpoint != 0 ? byEndpoint : a.zone.compareTo(b.zone);
    }
}
