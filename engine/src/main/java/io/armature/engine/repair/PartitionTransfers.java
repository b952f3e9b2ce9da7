package io.armature.engine.repair;

import io.armature.engine.ring.NodeId;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * What a ring change (join or leave: epoch e to e+1) moves. For every partition whose replica set
 * (preference list of N) changes, each node that gains it must receive its data from a node that
 * had it, and each node that loses it may drop its copy once the gainers have it. The data moves
 * in the background with the anti-entropy machinery (an exchange against the gainer's empty tree),
 * so it is rate-limited and resumable; meanwhile writes go to old and new replicas alike and reads
 * use the old ones (Cassandra's "pending ranges"), so requests keep working during the transfer.
 */
public final class PartitionTransfers {
    private PartitionTransfers() {
    }

    /**
     * One partition to copy to one node.
     *
     * @param partition the partition
     * @param target the node that gains it
     * @param sources the nodes that held it, in preference order, target excluded: stream from the
     *     first one the failure detector trusts
     */
    public record Transfer(int partition, NodeId target, List<NodeId> sources) {
    }

    /**
     * One partition a node no longer replicates.
     *
     * @param partition the partition
     * @param node the node that may drop its copy after every {@link Transfer} of the partition completed
     */
    public record Release(int partition, NodeId node) {
    }

    /**
     * The moves of one ring change.
     *
     * @param transfers copies to make, by partition then preference order of the new ring
     * @param releases copies to drop afterwards, by partition
     */
    public record Plan(List<Transfer> transfers, List<Release> releases) {
        /**
         * @param node a node
         * @return the transfers that node must receive
         */
        public List<Transfer> incomingTo(final NodeId node) {
            return transfers.stream().filter(t -> t.target().equals(node)).toList();
        }
    }

    /**
     * @param partitionCount Q
     * @param before the preference list of N of each partition under the old ring (empty for a first ring)
     * @param after the same under the new ring
     * @return the plan; partitions whose replica set did not change appear nowhere
     */
    public static Plan plan(final int partitionCount, final IntFunction<List<NodeId>> before,
                            final IntFunction<List<NodeId>> after) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be positive, was " + partitionCount);
        }
        final List<Transfer> transfers = new ArrayList<>();
        final List<Release> releases = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            final List<NodeId> old = Objects.requireNonNull(before.apply(p), "before");
            final List<NodeId> now = Objects.requireNonNull(after.apply(p), "after");
            if (old.isEmpty()) {
                continue;
            }
            for (final NodeId node : now) {
                if (!old.contains(node)) {
                    transfers.add(new Transfer(p, node, List.copyOf(old)));
                }
            }
            for (final NodeId node : old) {
                if (!now.contains(node)) {
                    releases.add(new Release(p, node));
                }
            }
        }
        return new Plan(List.copyOf(transfers), List.copyOf(releases));
    }
}
