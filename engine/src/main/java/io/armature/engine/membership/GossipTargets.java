package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Whom to gossip with this round, following Cassandra's Gossiper: one random live member; with
 * probability {@code unreachable / (live + 1)} one unreachable member as well, so that a healed
 * node is noticed without a flood of messages to dead ones; and a seed when the live member chosen
 * was not one (probability {@code seeds / (live + unreachable)}), or always while fewer members
 * are live than there are seeds, so that partitions of the cluster re-merge through the seeds and
 * a new node finds the cluster (DeCandia et al. 2007, section 4.8.2). Random peers give an
 * epidemic: a change reaches all n nodes in O(log n) rounds.
 */
public final class GossipTargets {
    private GossipTargets() {
    }

    /**
     * @param view this node's view
     * @param self this node
     * @param seeds the configured seed endpoints (may include this node's own)
     * @param isAvailable the failure detector's verdict
     * @param random the node's seeded random source
     * @return the endpoints to send this round's gossip to, without duplicates, at most three
     */
    public static List<Endpoint> choose(final MembershipView view, final NodeId self, final Collection<Endpoint> seeds,
                                        final Predicate<NodeId> isAvailable, final RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        final MemberState me = view.get(self);
        final Endpoint selfEndpoint = me == null ? null : me.endpoint();
        final List<Endpoint> live = new ArrayList<>();
        final List<Endpoint> unreachable = new ArrayList<>();
        for (final MemberState s : view.members()) {
            if (s.node().equals(self) || s.status() == MemberState.Status.LEFT) {
                continue;
            }
            (isAvailable.test(s.node()) ? live : unreachable).add(s.endpoint());
        }
        final List<Endpoint> seedList = new ArrayList<>();
        for (final Endpoint seed : seeds) {
            if (!seed.equals(selfEndpoint) && !seedList.contains(seed)) {
                seedList.add(seed);
            }
        }
        final Set<Endpoint> targets = new LinkedHashSet<>();
        Endpoint liveTarget = null;
        if (!live.isEmpty()) {
            liveTarget = live.get(random.nextInt(live.size()));
            targets.add(liveTarget);
        }
        if (!unreachable.isEmpty() && random.nextDouble() < (double) unreachable.size() / (live.size() + 1)) {
            targets.add(unreachable.get(random.nextInt(unreachable.size())));
        }
        if (!seedList.isEmpty() && (liveTarget == null || !seedList.contains(liveTarget) || live.size() < seedList.size())) {
            final boolean always = live.isEmpty() || live.size() < seedList.size();
            if (always || random.nextDouble() < (double) seedList.size() / (live.size() + unreachable.size())) {
                targets.add(seedList.get(random.nextInt(seedList.size())));
            }
        }
        return List.copyOf(targets);
    }
}
