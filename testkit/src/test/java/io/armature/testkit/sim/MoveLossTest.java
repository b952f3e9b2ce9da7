package io.armature.testkit.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays a scenario the simulator found once joins ran under the checker: an old replica that
 * had not heard of the join yet acknowledged a W=1 write alone (cut off from the other old
 * replicas, not from the joiner), and then dropped the partition on the joiner's HANDOFF notice,
 * although the joiner had pulled the partition from another old replica before that write.
 */
class MoveLossTest {
    private static final String SETTINGS = "storage=memory settle=1000 quiet=600 max-repair=30000 max-run=120000 ae=250 "
        + "grace=2000 durability=write-no-sync mutants=none";

    @Test
    void aWriteAnOldReplicaTookAloneBeforeHearingOfAJoinSurvivesItsDropOfThePartition() {
        final SimulationResult r = Simulation.builder().settings(SETTINGS).build().run(Scenario.parse(
            "seed=-2330269803 nodes=3 nrw=3/1/1 dup=0 reorder=false check=replicas ops=c1:del:k2:+5,c1:get:k0:+28,"
                + "c1:put:k0:+23,c1:put:k0:+3 faults=partition@57+824:5,join@19+35:1"));
        assertTrue(r.report().ok(), r::failureReport);
    }
}
