package io.armature.testkit.sim;

import io.armature.engine.faults.FaultInjection;
import io.armature.engine.faults.FaultInjection.Fault;
import io.armature.testkit.sim.check.Guarantee;
import io.armature.testkit.sim.schedule.SimArbitraries;
import net.jqwik.api.RandomGenerator;

import java.util.EnumSet;
import java.util.Random;

/**
 * How the self-tests hunt a deliberate bug: scenarios from the default generator, drawn from a
 * seed, until one makes the buggy engine break the expected guarantee while the correct engine
 * passes it.
 */
final class Mutants {
    /** The simulator's default settings. */
    static final String DEFAULT = Simulation.builder().build().settings();
    /** The default settings with anti-entropy off: read repair and hints must do the repair. */
    static final String NO_ANTI_ENTROPY = Simulation.builder().repairSettings(0, 2_000).build().settings();

    private Mutants() {
    }

    /**
     * @param fault the bug
     * @param expected the guarantee it must break
     * @param settings the simulation's settings ({@link Simulation#settings()})
     * @param seed the generator's seed
     * @param maxTries most scenarios to try
     * @return the number of scenarios tried until caught, or -1 if not caught
     */
    static int triesToCatch(final Fault fault, final Guarantee expected, final String settings, final long seed,
                            final int maxTries) {
        final Simulation correct = Simulation.builder().settings(settings).build();
        final Simulation buggy = Simulation.builder().settings(settings).engineFaults(FaultInjection.of(EnumSet.of(fault))).build();
        final RandomGenerator<Scenario> generator = SimArbitraries.scenarios().generator(1000);
        final Random random = new Random(seed);
        for (int i = 1; i <= maxTries; i++) {
            final Scenario scenario = generator.next(random).value();
            final SimulationResult r = buggy.run(scenario);
            if (r.report().violates(expected) && correct.run(scenario).report().ok()) {
                return i;
            }
        }
        return -1;
    }
}
