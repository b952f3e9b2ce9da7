package io.armature.testkit.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays a scenario the simulator found once leaves ran under it: n1, the claimant, leaves and
 * installs a ring without itself, so it takes n2 for the claimant, while n2, not yet holding that
 * ring, still takes n1; the second leave (n3's) then bounced between them message after message
 * until gossip brought their rings together, and again each time the operator asked anew.
 */
class MembershipRelayLoopTest {
    private static final String SETTINGS = "storage=memory settle=1000 quiet=600 max-repair=30000 max-run=120000 ae=250 "
        + "grace=2000 durability=write-no-sync mutants=none";

    @Test
    void aLeaveAskedWhileTwoNodesTakeEachOtherForTheClaimantDoesNotBounceBetweenThem() {
        final SimulationResult r = Simulation.builder().settings(SETTINGS).build().run(Scenario.parse(
            "seed=-71 nodes=5 nrw=3/1/3 dup=1 reorder=true ops=c0:get:k2:+28,c0:blind:k0:+7,c0:get:k1:+37,c1:del:k0:+24,"
                + "c2:blind:k1:+29,c0:blind:k0:+24,c0:put:k2:+23,c2:del:k0:+11 faults=leave@25+1625:0,leave@50+28:2"));
        assertTrue(r.report().ok(), r::failureReport);
        final long sent = r.stats().network().get("sent");
        // A few thousand messages: gossip, anti-entropy and the streaming of two leaves.
        assertTrue(sent < 50_000, () -> sent + " messages sent: " + r.stats());
    }
}
