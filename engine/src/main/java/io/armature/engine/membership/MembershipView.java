package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One node's view of the cluster membership: a {@link MemberState} per node, spread by gossip.
 * Immutable. {@link #merge} is the join of a semilattice (commutative, associative, idempotent,
 * per node {@link MemberState#join}), so any gossip schedule that eventually connects everyone
 * converges to the same view. Members that LEFT stay in the view: removing them would let an
 * old UP state of theirs come back through a slow peer.
 */
public final class MembershipView {
    private static final MembershipView EMPTY = new MembershipView(new TreeMap<>());

    private final TreeMap<NodeId, MemberState> members;

    private MembershipView(final TreeMap<NodeId, MemberState> members) {
        this.members = members;
    }

    /**
     * @return the view with no members
     */
    public static MembershipView empty() {
        return EMPTY;
    }

    /**
     * @param states states, joined per node
     * @return their view
     */
    public static MembershipView of(final Collection<MemberState> states) {
        final TreeMap<NodeId, MemberState> map = new TreeMap<>();
        for (final MemberState s : states) {
            map.merge(s.node(), s, MemberState::join);
        }
        return new MembershipView(map);
    }

    /**
     * @param other another view
     * @return the join of both views
     */
    public MembershipView merge(final MembershipView other) {
        if (other.members.isEmpty() || other == this) {
            return this;
        }
        TreeMap<NodeId, MemberState> merged = null;
        for (final MemberState theirs : other.members.values()) {
            final MemberState mine = members.get(theirs.node());
            final MemberState joined = mine == null ? theirs : mine.join(theirs);
            if (!joined.equals(mine)) {
                if (merged == null) {
                    merged = new TreeMap<>(members);
                }
                merged.put(joined.node(), joined);
            }
        }
        return merged == null ? this : new MembershipView(merged);
    }

    /**
     * @param state a state, joined with what the view holds for its node
     * @return the resulting view
     */
    public MembershipView with(final MemberState state) {
        return merge(new MembershipView(new TreeMap<>(Map.of(state.node(), state))));
    }

    /**
     * Replaces a node's own entry, for the node itself (its heartbeat, status or epoch). The new
     * state must cover the old one, or gossip would undo the change.
     *
     * @param state the owner's new state
     * @return the resulting view
     * @throws IllegalArgumentException if {@code state} does not cover the current entry
     */
    public MembershipView replace(final MemberState state) {
        final MemberState current = members.get(state.node());
        if (current != null && !state.covers(current)) {
            throw new IllegalArgumentException("state " + state + " does not cover " + current);
        }
        final TreeMap<NodeId, MemberState> map = new TreeMap<>(members);
        map.put(state.node(), state);
        return new MembershipView(map);
    }

    /**
     * @param other a view
     * @return true if merging {@code other} into this view changes nothing
     */
    public boolean covers(final MembershipView other) {
        return merge(other) == this;
    }

    /**
     * The nodes whose heartbeat {@code (generation, version)} is higher in {@code later} than
     * here: after a gossip merge, the node feeds exactly these to its failure detector.
     *
     * @param later a view, typically {@code this.merge(received)}
     * @return the nodes, in id order
     */
    public List<NodeId> heartbeatsAdvancedIn(final MembershipView later) {
        final List<NodeId> advanced = new ArrayList<>();
        for (final MemberState s : later.members.values()) {
            final MemberState mine = members.get(s.node());
            if (mine == null || s.heartbeatNewerThan(mine)) {
                advanced.add(s.node());
            }
        }
        return advanced;
    }

    /**
     * @param node a node
     * @return its state, or null if the view does not know it
     */
    public MemberState get(final NodeId node) {
        return members.get(Objects.requireNonNull(node, "node"));
    }

    /**
     * @return every state, in node id order
     */
    public Collection<MemberState> members() {
        return Collections.unmodifiableCollection(members.values());
    }

    /**
     * @return the number of nodes known
     */
    public int size() {
        return members.size();
    }

    /**
     * @return the compact binary form, see {@link MembershipCodec}
     */
    public byte[] encode() {
        return MembershipCodec.encode(this);
    }

    /**
     * @param bytes the binary form
     * @return the view
     * @throws MembershipCodecException if the bytes are not a valid encoding
     */
    public static MembershipView decode(final byte[] bytes) {
        return MembershipCodec.decode(bytes);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof MembershipView v && members.equals(v.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return "MembershipView" + members.values();
    }
}
