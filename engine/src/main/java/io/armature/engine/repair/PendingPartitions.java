package io.armature.engine.repair;

import io.armature.engine.ring.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The partitions still moving after ring changes, as one node knows them (Cassandra's "pending
 * ranges", docs/repair.md "Join and leave"). A partition whose replica set changed stays pending
 * from the ring change until every node that gained it is known to hold it; meanwhile
 * coordinators read from its old replicas ({@link Move#from}), which still hold everything, and
 * write to old and new replicas alike; then it settles, and each node that lost it may drop its
 * copy. Nothing here sends or stores: {@code PartitionStreaming} does. Event loop only.
 *
 * <p>Ring changes chain: a partition still pending when the next change arrives keeps the
 * replicas it started from (they have not dropped anything yet), its new replicas become the
 * latest ring's, and a gainer already known to hold it stays confirmed while it remains a replica.
 */
public final class PendingPartitions {
    /**
     * One pending partition.
     *
     * @param from its replicas before it started moving (they hold its data until it settles)
     * @param to its replicas under the newest ring
     * @param waiting the gainers ({@code to} minus {@code from}) not yet known to hold it, each
     *     with the ring epoch at which it gained the partition (a confirmation must be at least that recent)
     */
    public record Move(List<NodeId> from, List<NodeId> to, Map<NodeId, Long> waiting) {
        /**
         * Copies the parts.
         */
        public Move {
            from = List.copyOf(from);
            to = List.copyOf(to);
            waiting = Collections.unmodifiableMap(new LinkedHashMap<>(waiting));
        }

        /** @return every new replica that was not an old one, confirmed or not */
        public Set<NodeId> gainers() {
            final Set<NodeId> out = new LinkedHashSet<>(to);
            out.removeAll(from);
            return out;
        }

        /**
         * @param node a node
         * @return true if the node held the partition and no longer replicates it
         */
        public boolean loses(final NodeId node) {
            return from.contains(node) && !to.contains(node);
        }

        /** @return old and new replicas, old ones first: where a write must go */
        public List<NodeId> writeTargets() {
            final Set<NodeId> out = new LinkedHashSet<>(from);
            out.addAll(to);
            return new ArrayList<>(out);
        }
    }

    /**
     * A partition that stopped moving.
     *
     * @param partition the partition
     * @param move its last state (its {@code from} and {@code to} tell who lost it)
     */
    public record Settled(int partition, Move move) {
    }

    private final Map<Integer, Move> moves = new TreeMap<>();

    /**
     * Adds a ring change (epoch e to e + 1, or a jump over several).
     *
     * @param partitionCount Q
     * @param before each partition's preference list of N under the ring the node held (empty: no data anywhere yet)
     * @param after the same under the ring being installed
     * @param epoch the new ring's epoch
     * @return the partitions that settled with this change (a move undone, or every gainer already confirmed)
     */
    public List<Settled> change(final int partitionCount, final IntFunction<List<NodeId>> before,
                                final IntFunction<List<NodeId>> after, final long epoch) {
        final List<Settled> settled = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            final Move old = moves.get(p);
            final List<NodeId> to = Objects.requireNonNull(after.apply(p), "after");
            final List<NodeId> from = old != null ? old.from() : Objects.requireNonNull(before.apply(p), "before");
            if (from.isEmpty() || new HashSet<>(from).equals(new HashSet<>(to))) {
                if (old != null) {
                    moves.remove(p);
                    settled.add(new Settled(p, new Move(from, to, Map.of())));
                }
                continue;
            }
            final Map<NodeId, Long> waiting = new LinkedHashMap<>();
            for (final NodeId g : to) {
                if (from.contains(g)) {
                    continue;
                }
                if (old == null || !old.to().contains(g)) {
                    waiting.put(g, epoch);
                } else if (old.waiting().containsKey(g)) {
                    waiting.put(g, old.waiting().get(g));
                }
            }
            final Move move = new Move(from, to, waiting);
            if (waiting.isEmpty()) {
                moves.remove(p);
                settled.add(new Settled(p, move));
            } else {
                moves.put(p, move);
            }
        }
        return settled;
    }

    /**
     * A gainer holds a partition: its copy ended in sync with an old replica at ring epoch {@code epoch}.
     *
     * @param partition the partition
     * @param gainer the node that holds it
     * @param epoch the ring epoch the gainer held when its copy completed
     * @return the settled partition if this was its last gainer, else null
     */
    public Settled confirm(final int partition, final NodeId gainer, final long epoch) {
        final Move move = moves.get(partition);
        if (move == null || !move.waiting().containsKey(gainer) || epoch < move.waiting().get(gainer)) {
            return null;
        }
        final Map<NodeId, Long> waiting = new LinkedHashMap<>(move.waiting());
        waiting.remove(gainer);
        final Move next = new Move(move.from(), move.to(), waiting);
        if (waiting.isEmpty()) {
            moves.remove(partition);
            return new Settled(partition, next);
        }
        moves.put(partition, next);
        return null;
    }

    /**
     * @param partition a partition
     * @return its move, or null if it is not pending
     */
    public Move get(final int partition) {
        return moves.get(partition);
    }

    /** @return every pending partition with its move, ascending (what a restart must find again) */
    public Map<Integer, Move> moves() {
        return Collections.unmodifiableMap(moves);
    }

    /**
     * Replaces what is pending with moves read back after a restart.
     *
     * @param restored the moves, as {@link #moves()} returned them before the restart
     */
    public void restore(final Map<Integer, Move> restored) {
        moves.clear();
        moves.putAll(restored);
    }

    /** @return the pending partitions, ascending */
    public Set<Integer> partitions() {
        return Collections.unmodifiableSet(moves.keySet());
    }

    /**
     * @param node a node
     * @return the pending partitions that node still has to receive
     */
    public List<Integer> awaitedBy(final NodeId node) {
        final List<Integer> out = new ArrayList<>();
        moves.forEach((p, m) -> {
            if (m.waiting().containsKey(node)) {
                out.add(p);
            }
        });
        return out;
    }

    /**
     * @param node a node
     * @return the pending partitions that node holds and is losing (it keeps serving them)
     */
    public List<Integer> lostBy(final NodeId node) {
        final List<Integer> out = new ArrayList<>();
        moves.forEach((p, m) -> {
            if (m.loses(node)) {
                out.add(p);
            }
        });
        return out;
    }

    /** @return true if nothing is moving */
    public boolean isEmpty() {
        return moves.isEmpty();
    }
}
