package io.armature.testkit.sim;

import io.armature.testkit.sim.history.FaultEvent;
import io.armature.testkit.sim.schedule.Fault;
import net.jqwik.api.Example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Joins and leaves as fault kinds: the ring changes during the clients' work, partitions move,
 * and the checker reads the final owners.
 */
class MembershipMovesTest {
    private static final String OPS = "seed=3 nodes=3 nrw=3/2/2 ops=c0:put:k0:+0,c1:put:k1:+5,c2:put:k2:+5,c0:get:k0:+20,"
        + "c1:del:k1:+30,c2:get:k2:+40,c0:put:k0:+30,c1:get:k1:+50 faults=";

    private static boolean happened(final SimulationResult r, final String kind, final String node) {
        return r.history().faults().stream().anyMatch(f -> f.kind().equals(kind) && node.equals(f.node()));
    }

    @Example
    void aNodeThatJoinsDuringTheWorkBecomesAnOwnerAndNothingIsLost() {
        final SimulationResult r = Simulation.simulate(Scenario.parse(OPS + "join@10+1:0"));
        assertTrue(r.report().ok(), r::failureReport);
        assertTrue(happened(r, FaultEvent.JOIN, "n4"), r.history().faults()::toString);
        assertTrue(r.finalState().keys().stream().anyMatch(k -> r.finalState().owners(k).contains("n4")), r.finalState()::toString);
        assertEquals(1, r.stats().movesDuringOperations());
    }

    @Example
    void aNodeThatLeavesDuringTheWorkHandsItsPartitionsOverAndIsStopped() {
        final SimulationResult r = Simulation.simulate(Scenario.parse(OPS.replace("nodes=3", "nodes=4") + "leave@10+1:1"));
        assertTrue(r.report().ok(), r::failureReport);
        assertTrue(happened(r, FaultEvent.LEFT, "n2"), r.history().faults()::toString);
        assertTrue(r.finalState().keys().stream().noneMatch(k -> r.finalState().owners(k).contains("n2")), r.finalState()::toString);
    }

    @Example
    void aLeaveThatWouldLeaveFewerThanNMembersIsNotMade() {
        final SimulationResult r = Simulation.simulate(Scenario.parse(OPS + "leave@10+1:1"));
        assertTrue(r.report().ok(), r::failureReport);
        assertTrue(r.history().faults().stream().noneMatch(f -> f.kind().equals(FaultEvent.LEAVE)), r.history().faults()::toString);
    }

    @Example
    void movesReadBackFromTheirTextForm() {
        for (final String text : new String[] {"join@10+500:2", "leave@0+1:3"}) {
            final Fault f = Fault.parse(text);
            assertEquals(text, f.toString());
            assertTrue(f.isMove());
        }
        assertEquals("n4 leaves the ring at 0ms, stopped once its partitions moved", Fault.parse("leave@0+1:3").describe(4));
    }
}
