package io.armature.testkit.sim;

import io.armature.testkit.sim.check.Guarantee;
import io.armature.testkit.sim.check.Violation;
import io.armature.testkit.sim.history.Operation;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Engine bugs the simulator found that are not fixed yet, recognised by their signature so that
 * the properties can keep checking everything else meanwhile. Each has a test in
 * {@code KnownIssuesTest} that reproduces it; when the bug is fixed that test fails, and the
 * issue and its tolerance are to be removed. {@code -Dsim.strict=true} tolerates nothing.
 */
final class KnownIssues {
    /** True unless {@code -Dsim.strict=true}. */
    static final boolean TOLERATE = !Boolean.getBoolean("sim.strict");

    private KnownIssues() {
    }

    /**
     * The hedged forward ({@code coordinator.ForwardOperation}): a write received outside the
     * preference list is sent to a second preference node when the first has not answered within
     * the replica timeout, although the first may still apply it. Both version it with their own
     * dots, so one write becomes two siblings (guarantee 6), and a later write or delete based on
     * a read that saw one copy leaves the other behind (guarantees 4 and 7). A duplicated
     * forward message does the same (a network that duplicates is beyond the transport contract,
     * but forwarding is not idempotent either way). Its signature: only guarantees 4, 6 and 7 are
     * broken, and some result or replica holds one write's value twice, or some write was
     * forwarded (its coordinator is not a replica of its key) and either did not come back within
     * the replica timeout or went over a network that duplicates.
     *
     * @param r a run
     * @return true if the run shows the signature
     */
    static boolean hedgedForwardAppliesAWriteTwice(final SimulationResult r) {
        final Set<Guarantee> effects = EnumSet.of(Guarantee.NO_FALSE_CONFLICT, Guarantee.BOUNDED_SIBLINGS, Guarantee.NO_RESURRECTION);
        boolean twice = false;
        for (final Violation v : r.report().violations()) {
            if (!effects.contains(v.guarantee())) {
                return false;
            }
            twice |= v.message().contains("holds one write's value twice");
        }
        return !r.report().ok() && (twice || hedgedOrDuplicatedForward(r));
    }

    private static boolean hedgedOrDuplicatedForward(final SimulationResult r) {
        for (final Operation op : r.history().operations()) {
            final List<String> owners = r.finalState().owners(op.key());
            if (op.isWrite() && owners != null && !owners.contains(op.coordinator())
                && (r.scenario().duplicatePercent() > 0 || op.completedAt() < 0
                    || op.completedAt() - op.invokedAt() >= EngineNodes.REPLICA_TIMEOUT_MILLIS * 1_000_000L)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param r a run
     * @return true if the run's violations are to be tolerated as a known issue
     */
    static boolean tolerated(final SimulationResult r) {
        return TOLERATE && hedgedForwardAppliesAWriteTwice(r);
    }
}
