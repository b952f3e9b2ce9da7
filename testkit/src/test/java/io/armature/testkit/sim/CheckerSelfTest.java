package io.armature.testkit.sim;

import io.armature.engine.faults.FaultInjection;
import io.armature.engine.faults.FaultInjection.Fault;
import io.armature.testkit.sim.schedule.SimArbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;

import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checker catches real bugs: for each deliberate bug the engine can be built with
 * ({@link FaultInjection}), the simulation property fails within jqwik's default number of tries.
 * A bug counts as caught only by a scenario that the correct engine passes, so the violation is
 * the bug's doing. Scenarios come from the same generator as {@code SimulationProperties}, drawn
 * from a fixed seed, so these tests are repeatable.
 */
class CheckerSelfTest {
    private static final System.Logger LOG = System.getLogger(CheckerSelfTest.class.getName());
    /** jqwik's default number of tries. */
    private static final int DEFAULT_TRIES = 1000;

    /** Anti-entropy would repair what read repair skipped: off here, so the read-repair path is what is tested. */
    @Example
    void skippingReadRepairIsCaught() {
        caught(Fault.SKIP_READ_REPAIR, Simulation.builder().repairSettings(0, 2_000));
    }

    @Example
    void acknowledgingWithoutStoringIsCaught() {
        caught(Fault.ACK_WITHOUT_STORE);
    }

    @Example
    void lastWriterWinsInsteadOfSiblingsIsCaught() {
        caught(Fault.LAST_WRITE_WINS);
    }

    @Example
    void versioningAWriteWithoutTheStoredDotsIsCaught() {
        caught(Fault.FORGET_LOCAL_VERSIONS);
    }

    @Example
    void aWipedNodeReusingItsIncarnationIsCaught() {
        caught(Fault.REUSE_INCARNATION);
    }

    private static void caught(final Fault fault) {
        caught(fault, Simulation.builder());
    }

    private static void caught(final Fault fault, final Simulation.Builder settings) {
        final Simulation correct = settings.build();
        final Simulation buggy = settings.engineFaults(FaultInjection.of(Set.of(fault))).build();
        final RandomGenerator<Scenario> generator = SimArbitraries.scenarios().generator(1000);
        final Random random = new Random(20261124L);
        for (int i = 1; i <= DEFAULT_TRIES; i++) {
            final Scenario scenario = generator.next(random).value();
            final SimulationResult r = buggy.run(scenario);
            if (!r.report().ok() && correct.run(scenario).report().ok()) {
                LOG.log(System.Logger.Level.INFO, fault + " caught after " + i + " tries: " + r.report().violations().get(0)
                    + "\n  " + r.scenario());
                return;
            }
        }
        fail(fault + " was not caught in " + DEFAULT_TRIES + " tries");
    }
}
