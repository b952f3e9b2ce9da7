package io.armature.testkit.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Replays a scenario on the real engine, and shows that a seed replays event for event.
 * A failed property prints the command: {@code mvn ... -Dtest=SimulationReplayTest -Dsim.scenario='...'}.
 */
class SimulationReplayTest {
    private static final String BUSY = "seed=4242 nodes=5 nrw=3/2/2 dup=5 reorder=true "
        + "ops=c0:put:k0:+0,c1:blind:k0:+1,c2:get:k0:+3,c0:put:k0:+2,c1:del:k1:+0,c2:put:k1:+4,c0:get:k1:+1,c1:put:k0:+9,"
        + "c2:get:k0:+20,c0:del:k0:+5,c1:get:k2:+0,c2:blind:k2:+0"
        + " faults=partition@0+300:3,crash@5+400:2,loss@0+500:20,wipe@200+100:4";

    @Test
    void replaysTheScenarioGivenOnTheCommandLine() {
        final String text = System.getProperty("sim.scenario");
        assumeTrue(text != null && !text.isBlank(), "no -Dsim.scenario given");
        final String settings = System.getProperty("sim.settings", "");
        final Simulation sim = settings.isBlank() ? Simulation.builder().build() : Simulation.builder().settings(settings).build();
        final SimulationResult r = sim.run(Scenario.parse(text));
        assertTrue(r.report().ok(), r::failureReport);
    }

    @Test
    void twoRunsOfOneSeedProduceIdenticalHistories() {
        final SimulationResult a = Simulation.simulate(Scenario.parse(BUSY));
        final SimulationResult b = Simulation.simulate(Scenario.parse(BUSY));
        assertTrue(a.history().operations().size() >= 12);
        assertTrue(a.history().faults().size() >= 6, a.history().faults()::toString);
        assertEquals(a.history().lines(), b.history().lines());
        assertEquals(a.stats().events(), b.stats().events());
        assertEquals(a.stats().network(), b.stats().network());
        assertEquals(a.finalState().toString(), b.finalState().toString());
        assertTrue(a.report().ok(), a::failureReport);
    }

    @Test
    void theSettingsLineRebuildsTheSameSimulation() {
        final Simulation custom = Simulation.builder().settleMillis(700).repair(3_000, 20_000).maxRunMillis(60_000)
            .repairSettings(800, 1_500).engineFaults(io.armature.engine.faults.FaultInjection.of(java.util.EnumSet.of(
                io.armature.engine.faults.FaultInjection.Fault.SKIP_READ_REPAIR, io.armature.engine.faults.FaultInjection.Fault.LAST_WRITE_WINS)))
            .build();
        final Simulation again = Simulation.builder().settings(custom.settings()).build();
        assertEquals(custom.settings(), again.settings());
        assertEquals(custom.run(Scenario.parse(BUSY)).history().lines(), again.run(Scenario.parse(BUSY)).history().lines());
    }
}
