package io.armature.testkit.sim.schedule;

import io.armature.testkit.sim.Scenario;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * jqwik generators for simulated runs. Everything generated is plain data with a readable
 * {@code toString}, so jqwik shrinks a failing run to a minimal schedule and prints it: fewer
 * client steps, fewer and shorter faults, smaller clusters, seed 0.
 */
public final class SimArbitraries {
    /** The replication settings (N, R, W) the simulator explores by default. */
    public static final List<List<Integer>> QUORUMS = List.of(List.of(3, 2, 2), List.of(3, 1, 1), List.of(3, 1, 3), List.of(5, 3, 3));

    /** A step's round trip in the simulator, a few milliseconds at most on a healthy network. */
    private static final int STEP_MILLIS = 3;

    private SimArbitraries() {
    }

    /**
     * How big generated runs get.
     *
     * @param minNodes smallest cluster
     * @param maxNodes largest cluster (a quorum with a larger N raises the smallest cluster to N)
     * @param clients most clients
     * @param keys most distinct keys
     * @param maxSteps most client steps in a run
     * @param maxThinkMillis longest pause of a client between its steps
     * @param maxFaults most faults in a run
     * @param maxLossPercent highest message loss of a loss fault
     * @param horizonMillis faults start within this many milliseconds of the clients' start, and
     *     no later than the clients' estimated last step (so that faults hit operations in flight)
     * @param wipes whether faults may wipe a node's storage (a permanent failure)
     * @param maxDuplicatePercent highest share of messages delivered twice (0: the transport
     *     contract's promise; above: beyond it)
     * @param reorder whether links may reorder messages (beyond the transport contract's promise
     *     for a healthy link)
     */
    public record Limits(int minNodes, int maxNodes, int clients, int keys, int maxSteps, int maxThinkMillis,
                         int maxFaults, int maxLossPercent, int horizonMillis, boolean wipes,
                         int maxDuplicatePercent, boolean reorder) {
        /**
         * The default run's limits: modest, so that thousands of runs take a few minutes, with low
         * rates of duplication (up to 5%: a forwarded client write must be duplicated now and then
         * for the node's duplicate guard to be tested) and reordering beyond the transport contract.
         */
        public static final Limits DEFAULT = new Limits(3, 7, 3, 3, 24, 40, 4, 30, 1500, true, 5, true);
        /** The soak run's limits: longer and busier runs, and networks that also duplicate and reorder. */
        public static final Limits SOAK = new Limits(3, 7, 5, 4, 60, 60, 8, 40, 5000, true, 10, true);

        /**
         * Validates the limits.
         *
         * @param minNodes smallest cluster
         * @param maxNodes largest cluster
         * @param clients clients
         * @param keys keys
         * @param maxSteps steps
         * @param maxThinkMillis think time
         * @param maxFaults faults
         * @param maxLossPercent loss
         * @param horizonMillis horizon
         * @param wipes wipes allowed
         * @param maxDuplicatePercent duplication
         * @param reorder reordering allowed
         */
        public Limits {
            if (minNodes < 1 || maxNodes < minNodes || maxNodes > 30 || clients < 1 || keys < 1 || maxSteps < 1
                || maxThinkMillis < 0 || maxFaults < 0 || maxLossPercent < 0 || maxLossPercent > 100 || horizonMillis < 1
                || maxDuplicatePercent < 0 || maxDuplicatePercent > 100) {
                throw new IllegalArgumentException("simulation limits out of range: " + this);
            }
        }
    }

    /**
     * @return scenarios within {@link Limits#DEFAULT} over {@link #QUORUMS}
     */
    public static Arbitrary<Scenario> scenarios() {
        return scenarios(Limits.DEFAULT, QUORUMS);
    }

    /**
     * @param limits how big runs get
     * @param quorums the (N, R, W) triples to draw from
     * @return scenarios
     */
    public static Arbitrary<Scenario> scenarios(final Limits limits, final List<List<Integer>> quorums) {
        return Arbitraries.of(quorums).flatMap(q -> {
            final int lo = Math.max(limits.minNodes(), q.get(0));
            final int hi = Math.max(lo, limits.maxNodes());
            return Arbitraries.integers().between(lo, hi).flatMap(nodes -> Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.integers().between(0, limits.maxDuplicatePercent()),
                limits.reorder() ? Arbitraries.of(false, true) : Arbitraries.just(false),
                opSchedules(limits.clients(), limits.keys(), limits.maxSteps(), limits.maxThinkMillis())
                    .flatMap(ops -> faultSchedules(nodes, limits.maxFaults(), limits.maxLossPercent(),
                        Math.min(limits.horizonMillis(), estimatedSpanMillis(ops)), 2 * limits.horizonMillis(), limits.wipes())
                        .map(faults -> new Object[] {ops, faults})),
                Arbitraries.of(false, true))
                .as((seed, dup, reorder, pair, replicaCheck) -> new Scenario(seed, nodes, q.get(0), q.get(1), q.get(2), dup,
                    reorder, (OpSchedule) pair[0], (FaultSchedule) pair[1], replicaCheck)));
        });
    }

    /**
     * @param ops a client schedule
     * @return about when its last step runs, in milliseconds after the clients start: the
     *     busiest client's think times plus a few milliseconds per step, at least 1
     */
    public static int estimatedSpanMillis(final OpSchedule ops) {
        final int[] span = new int[Math.max(1, ops.clients())];
        for (final ClientStep s : ops.steps()) {
            span[s.client()] += s.thinkMillis() + STEP_MILLIS;
        }
        int max = 1;
        for (final int v : span) {
            max = Math.max(max, v);
        }
        return max;
    }

    /**
     * @param clients most clients
     * @param keys most keys
     * @param maxSteps most steps
     * @param maxThinkMillis longest think time
     * @return client schedules of 1..maxSteps steps
     */
    public static Arbitrary<OpSchedule> opSchedules(final int clients, final int keys, final int maxSteps, final int maxThinkMillis) {
        final Arbitrary<ClientStep> step = Combinators.combine(
            Arbitraries.integers().between(0, clients - 1),
            Arbitraries.integers().between(0, keys - 1),
            Arbitraries.of(StepKind.class),
            Arbitraries.integers().between(0, maxThinkMillis)).as(ClientStep::new);
        return step.list().ofMinSize(1).ofMaxSize(maxSteps).withSizeDistribution(RandomDistribution.uniform()).map(OpSchedule::new);
    }

    /**
     * @param nodes the cluster size
     * @param maxFaults most faults
     * @param maxLossPercent highest loss percentage
     * @param horizonMillis latest start of a fault
     * @param wipes whether wipes are allowed
     * @return fault schedules of 0..maxFaults faults
     */
    public static Arbitrary<FaultSchedule> faultSchedules(final int nodes, final int maxFaults, final int maxLossPercent,
                                                          final int horizonMillis, final boolean wipes) {
        return faultSchedules(nodes, maxFaults, maxLossPercent, horizonMillis, 2 * horizonMillis, wipes);
    }

    /**
     * @param nodes the cluster size
     * @param maxFaults most faults
     * @param maxLossPercent highest loss percentage
     * @param horizonMillis latest start of a fault
     * @param maxDurationMillis longest fault
     * @param wipes whether wipes are allowed
     * @return fault schedules of 0..maxFaults faults
     */
    public static Arbitrary<FaultSchedule> faultSchedules(final int nodes, final int maxFaults, final int maxLossPercent,
                                                          final int horizonMillis, final int maxDurationMillis, final boolean wipes) {
        final Arbitrary<Integer> at = Arbitraries.integers().between(0, horizonMillis);
        final Arbitrary<Integer> duration = Arbitraries.integers().between(1, maxDurationMillis);
        final Arbitrary<Fault> partition = Combinators.combine(at, duration, Arbitraries.integers().between(1, (1 << nodes) - 2))
            .as((a, d, mask) -> new Fault(Fault.Kind.PARTITION, a, d, mask));
        final Arbitrary<Fault> crash = Combinators.combine(at, duration, Arbitraries.integers().between(0, nodes - 1))
            .as((a, d, node) -> new Fault(Fault.Kind.CRASH, a, d, node));
        final Arbitrary<Fault> wipe = Combinators.combine(at, duration, Arbitraries.integers().between(0, nodes - 1))
            .as((a, d, node) -> new Fault(Fault.Kind.WIPE, a, d, node));
        final Arbitrary<Fault> loss = Combinators.combine(at, duration, Arbitraries.integers().between(0, maxLossPercent))
            .as((a, d, pct) -> new Fault(Fault.Kind.LOSS, a, d, pct));
        final Arbitrary<Fault> power = Combinators.combine(at, duration, Arbitraries.integers().between(0, nodes - 1))
            .as((a, d, node) -> new Fault(Fault.Kind.POWER, a, d, node));
        final Arbitrary<Fault> slow = Combinators.combine(at, duration, Arbitraries.integers().between(0, nodes - 1),
                Arbitraries.integers().between(5, 400))
            .as((a, d, node, ms) -> new Fault(Fault.Kind.SLOW, a, d, node + 1000 * ms));
        final Arbitrary<Fault> join = Combinators.combine(at, duration, Arbitraries.integers().between(0, nodes - 1))
            .as((a, d, node) -> new Fault(Fault.Kind.JOIN, a, d, node));
        final Arbitrary<Fault> leave = Combinators.combine(at, duration, Arbitraries.integers().between(0, nodes - 1))
            .as((a, d, node) -> new Fault(Fault.Kind.LEAVE, a, d, node));
        final Arbitrary<Fault> pause = Combinators.combine(at, duration, Arbitraries.integers().between(0, nodes - 1))
            .as((a, d, node) -> new Fault(Fault.Kind.PAUSE, a, d, node));
        final Arbitrary<Fault> clock = Combinators.combine(at, duration, Arbitraries.integers().between(0, nodes - 1),
                Arbitraries.integers().between(-30, 30).filter(sec -> sec != 0))
            .as((a, d, node, sec) -> new Fault(Fault.Kind.CLOCK, a, d, node + 1000 * sec));
        // Moves are rarer than the other kinds: each costs seconds of streaming, and a run needs
        // only one to route through a ring change.
        final List<Tuple.Tuple2<Integer, Arbitrary<Fault>>> kinds = new ArrayList<>(List.of(
            Tuple.of(6, partition), Tuple.of(6, crash), Tuple.of(6, loss), Tuple.of(6, power), Tuple.of(6, slow),
            Tuple.of(3, join), Tuple.of(2, leave), Tuple.of(3, pause), Tuple.of(3, clock)));
        if (wipes) {
            kinds.add(Tuple.of(6, wipe));
        }
        final Arbitrary<Fault> fault = Arbitraries.frequencyOf(kinds);
        return fault.list().ofMaxSize(maxFaults).withSizeDistribution(RandomDistribution.uniform()).map(FaultSchedule::new);
    }
}
