package io.armature.testkit.sim.schedule;

import io.armature.testkit.sim.Scenario;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleProperties {
    @Provide
    Arbitrary<Scenario> scenarios() {
        return SimArbitraries.scenarios();
    }

    @Property(tries = 300)
    void aScenarioReadsBackFromItsOneLineForm(@ForAll("scenarios") final Scenario s) {
        assertEquals(s, Scenario.parse(s.toString()));
    }

    @Property(tries = 300)
    void generatedScenariosStayWithinTheirLimits(@ForAll("scenarios") final Scenario s) {
        assertTrue(s.nodes() >= s.n() && s.nodes() >= 3 && s.nodes() <= 7, s::toString);
        assertTrue(SimArbitraries.QUORUMS.contains(java.util.List.of(s.n(), s.r(), s.w())), s::toString);
        assertTrue(s.ops().steps().size() >= 1 && s.ops().steps().size() <= 24);
        for (final Fault f : s.faults().faults()) {
            if (f.kind() == Fault.Kind.PARTITION) {
                assertTrue(f.arg() > 0 && f.arg() < (1 << s.nodes()) - 1, "a partition has two non-empty sides: " + f);
            } else if (f.kind() == Fault.Kind.SLOW) {
                assertTrue(f.arg() % 1000 < s.nodes() && f.arg() / 1000 >= 5, f::toString);
            } else if (f.kind() == Fault.Kind.CLOCK) {
                assertTrue(f.node() < s.nodes() && f.clockSeconds() != 0 && Math.abs(f.clockSeconds()) <= 30, f::toString);
            } else if (f.kind() != Fault.Kind.LOSS) {
                assertTrue(f.arg() < s.nodes(), f::toString);
            }
        }
    }

    @Test
    void faultsDescribeThemselvesForPeople() {
        assertEquals("partition {n1,n3} | {n2,n4}" + " at 10ms for 20ms", new Fault(Fault.Kind.PARTITION, 10, 20, 5).describe(4));
        assertEquals("crash n3 at 0ms for 5ms, restart wiped", new Fault(Fault.Kind.WIPE, 0, 5, 2).describe(4));
        assertEquals("c2:blind:k1:+7", new ClientStep(2, 1, StepKind.PUT_BLIND, 7).toString());
    }

    @Test
    void malformedTextIsRejectedWithTheOffendingPart() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse("seed=1 nodes=3"));
        assertTrue(e.getMessage().contains("nrw"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientStep.parse("c1:jump:k1:+0"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("crash@5"));
    }
}
