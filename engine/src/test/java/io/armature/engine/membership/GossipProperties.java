package io.armature.engine.membership;

import io.armature.engine.membership.MemberState.Status;
import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GossipProperties {

    private static NodeId id(final int i) {
        return new NodeId("n" + i);
    }

    private static Endpoint endpoint(final int i) {
        return new Endpoint("10.0.0." + i, 7000);
    }

    private static MemberState state(final int i, final Status status) {
        return new MemberState(id(i), endpoint(i), status, 1, 0, 1);
    }

    @Property(tries = 300)
    void targetsAreNeverSelfNorLeftMembersAndAtMostThree(@ForAll @IntRange(min = 1, max = 30) final int n,
                                                        @ForAll final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final List<MemberState> states = new ArrayList<>();
        final Set<NodeId> down = new HashSet<>();
        for (int i = 0; i < n; i++) {
            states.add(state(i, Status.values()[r.nextInt(4)]));
            if (r.nextInt(3) == 0) {
                down.add(id(i));
            }
        }
        final MembershipView view = MembershipView.of(states);
        final List<Endpoint> seeds = List.of(endpoint(0), endpoint(1), new Endpoint("seed.example", 7000));
        for (int round = 0; round < 20; round++) {
            final List<Endpoint> targets = GossipTargets.choose(view, id(0), seeds, node -> !down.contains(node), r);
            assertTrue(targets.size() <= 3);
            assertFalse(targets.contains(endpoint(0)), "never self");
            for (final MemberState s : states) {
                if (s.status() == Status.LEFT && targets.contains(s.endpoint()) && !seeds.contains(s.endpoint())) {
                    throw new AssertionError("gossiped to LEFT member " + s.node());
                }
            }
            assertEquals(targets.size(), new HashSet<>(targets).size());
        }
    }

    @Test
    void aNewNodeKnowingOnlyItselfGossipsToASeed() {
        final MembershipView view = MembershipView.of(List.of(state(5, Status.JOINING)));
        final List<Endpoint> targets = GossipTargets.choose(view, id(5), List.of(endpoint(1)), n -> true, new SplittableRandom(1));
        assertEquals(List.of(endpoint(1)), targets);
    }

    @Test
    void unreachableMembersAreProbedNowAndThen() {
        final List<MemberState> states = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            states.add(state(i, Status.UP));
        }
        final MembershipView view = MembershipView.of(states);
        final SplittableRandom r = new SplittableRandom(7);
        int probes = 0;
        for (int round = 0; round < 1000; round++) {
            if (GossipTargets.choose(view, id(0), List.of(), n -> !n.equals(id(9)), r).contains(endpoint(9))) {
                probes++;
            }
        }
        // probability 1 / (8 live + 1) per round
        assertTrue(probes > 60 && probes < 180, probes + " probes in 1000 rounds");
    }

    /**
     * An epidemic: each round every node push-pull gossips with its chosen targets. Nodes that
     * know only a seed find each other, and a later change of one node reaches every view, in
     * O(log n) rounds.
     */
    @Property(tries = 30)
    void pushPullGossipConvergesInLogarithmicRounds(@ForAll @IntRange(min = 2, max = 64) final int n,
                                                    @ForAll final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final Map<Endpoint, Integer> byEndpoint = new HashMap<>();
        final MembershipView[] views = new MembershipView[n];
        for (int i = 0; i < n; i++) {
            byEndpoint.put(endpoint(i), i);
            views[i] = MembershipView.of(List.of(state(i, Status.JOINING)));
        }
        final int limit = 4 + 3 * (32 - Integer.numberOfLeadingZeros(n));
        final int bootstrap = roundsToConverge(views, byEndpoint, r);
        assertTrue(bootstrap <= limit, "bootstrap took " + bootstrap + " rounds for " + n + " nodes");
        assertEquals(n, views[0].size());
        final int changer = r.nextInt(n);
        views[changer] = views[changer].replace(views[changer].get(id(changer)).withStatus(Status.LEAVING));
        final int spread = roundsToConverge(views, byEndpoint, r);
        assertTrue(spread <= limit, "a change took " + spread + " rounds to reach " + n + " nodes");
        for (final MembershipView v : views) {
            assertEquals(Status.LEAVING, v.get(id(changer)).status());
        }
    }

    private static int roundsToConverge(final MembershipView[] views, final Map<Endpoint, Integer> byEndpoint,
                                        final SplittableRandom r) {
        final List<Endpoint> seeds = List.of(endpoint(0));
        int rounds = 0;
        while (!java.util.Arrays.stream(views).allMatch(v -> v.equals(views[0]))) {
            rounds++;
            assertTrue(rounds < 1000, "no convergence");
            for (int i = 0; i < views.length; i++) {
                for (final Endpoint target : GossipTargets.choose(views[i], id(i), seeds, node -> true, r)) {
                    final int j = byEndpoint.get(target);
                    views[j] = views[j].merge(views[i]);
                    views[i] = views[i].merge(views[j]);
                }
            }
        }
        return rounds;
    }
}
