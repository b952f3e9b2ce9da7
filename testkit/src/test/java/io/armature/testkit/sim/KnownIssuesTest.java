package io.armature.testkit.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reproduces each engine bug listed in {@link KnownIssues}. When one of these tests fails, the
 * bug is fixed: delete the test and the tolerance in {@link KnownIssues}.
 */
class KnownIssuesTest {
    /** n2 forwards c1's put to n5; n7 is down so n5 waits past the replica timeout and n2 hedges to n6. */
    private static final String HEDGED_FORWARD = "seed=7236918427098975627 nodes=7 nrw=3/1/3 dup=0 reorder=false "
        + "ops=c2:blind:k1:+8,c1:blind:k0:+8,c0:get:k1:+7,c2:get:k1:+27 faults=loss@193+2561:6,crash@410+868:0,crash@7+4:6";

    @Test
    void aHedgedForwardAppliesOneWriteTwice() {
        final SimulationResult r = Simulation.simulate(Scenario.parse(HEDGED_FORWARD));
        assertTrue(KnownIssues.hedgedForwardAppliesAWriteTwice(r),
            "the hedged-forward bug no longer reproduces: remove it from KnownIssues\n" + r.failureReport());
    }
}
