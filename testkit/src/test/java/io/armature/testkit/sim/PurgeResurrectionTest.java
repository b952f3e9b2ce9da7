package io.armature.testkit.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays scenarios the simulator found where a delete acknowledged at W=1 came back after the
 * coordinated tombstone purge ran (guarantee 7): a value written while one owner was crashed.
 */
class PurgeResurrectionTest {
    private static final String SETTINGS = "storage=memory settle=1000 quiet=600 max-repair=30000 max-run=120000 ae=250 "
        + "grace=2000 durability=write-no-sync mutants=none";

    @Test
    void aDeleteOfAValueWrittenWhileAnOwnerWasCrashedStaysDeletedAfterThePurge() {
        final SimulationResult r = Simulation.builder().settings(SETTINGS).build().run(Scenario.parse(
            "seed=-4 nodes=4 nrw=3/1/1 dup=0 reorder=false ops=c1:get:k0:+8,c0:get:k0:+0,c0:get:k0:+0,c0:get:k0:+0,"
                + "c0:get:k0:+0,c1:get:k0:+31,c1:get:k0:+12,c0:del:k0:+20,c0:blind:k1:+24,c2:get:k0:+23,c2:blind:k0:+0,"
                + "c0:del:k0:+1,c0:get:k1:+22,c0:blind:k2:+13,c0:blind:k1:+17,c1:put:k1:+18,c2:del:k1:+25,c1:del:k2:+40,"
                + "c1:blind:k1:+24,c1:del:k2:+11,c1:get:k1:+1,c1:get:k2:+20 faults=crash@3+78:0"));
        assertTrue(r.report().ok(), r::failureReport);
    }

    @Test
    void theReplicasAgreeAfterADeleteDuringACrashOnFiveNodes() {
        final SimulationResult r = Simulation.builder().settings(SETTINGS).build().run(Scenario.parse(
            "seed=72723460248141 nodes=5 nrw=3/1/1 dup=0 reorder=false check=replicas ops=c2:blind:k1:+23,c0:del:k0:+18,"
                + "c2:get:k0:+7,c0:del:k1:+8,c0:get:k1:+5,c0:get:k0:+34,c1:blind:k1:+30,c1:blind:k2:+11,c2:blind:k0:+9,"
                + "c2:blind:k0:+24,c0:get:k1:+12,c0:get:k2:+34,c0:del:k2:+15,c1:blind:k2:+5,c1:put:k1:+20,c0:blind:k1:+7,"
                + "c2:put:k0:+10,c2:blind:k2:+2,c0:get:k1:+4,c0:blind:k0:+28 faults=crash@0+56:4"));
        assertTrue(r.report().ok(), r::failureReport);
    }
}
