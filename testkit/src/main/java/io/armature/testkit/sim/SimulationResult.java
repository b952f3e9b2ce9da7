package io.armature.testkit.sim;

import io.armature.testkit.sim.check.CheckReport;
import io.armature.testkit.sim.check.FinalState;
import io.armature.testkit.sim.check.Violation;
import io.armature.testkit.sim.history.History;

import java.util.List;
import java.util.TreeSet;

/**
 * The outcome of one simulated run.
 *
 * @param scenario what ran
 * @param settings the simulation's other knobs ({@link Simulation#settings()}): storage, timings,
 *     repair settings, mutants
 * @param history every client operation and fault
 * @param finalState every replica's record of every written key after repair
 * @param report the checker's verdict
 * @param stats how much the run did and how fast
 */
public record SimulationResult(Scenario scenario, String settings, History history, FinalState finalState, CheckReport report,
                               SimulationStats stats) {
    /** The test that replays a scenario given as a system property. */
    public static final String REPLAY_COMMAND = "mvn -B -o -q -pl testkit -am verify -Dsurefire.failIfNoSpecifiedTests=false "
        + "-Dtest=SimulationReplayTest -Dsim.scenario=";

    /**
     * @return a one-line shell command that replays this run exactly: the scenario and every
     *     other knob of the simulation
     */
    public String replayCommand() {
        return REPLAY_COMMAND + "'" + scenario + "' -Dsim.settings='" + settings + "'";
    }

    /**
     * @return for a failed run: the scenario, how to replay it, the violations and the operations
     *     they involve; the last lines of the history otherwise
     */
    public String failureReport() {
        final StringBuilder b = new StringBuilder();
        b.append("scenario: ").append(scenario.describe()).append('\n');
        b.append("seed: ").append(scenario.seed()).append('\n');
        b.append("replay: ").append(replayCommand()).append('\n');
        b.append("  or in code: Simulation.builder().settings(\"").append(settings).append("\").build().run(Scenario.parse(\"")
            .append(scenario).append("\"))\n");
        b.append(report).append('\n');
        final TreeSet<Integer> involved = new TreeSet<>();
        for (final Violation v : report.violations()) {
            involved.addAll(v.operations());
        }
        if (!involved.isEmpty()) {
            b.append("operations involved:\n");
            involved.forEach(id -> b.append("  ").append(history.get(id)).append('\n'));
        }
        b.append("faults: ").append(history.faults()).append('\n');
        final List<String> lines = history.lines();
        final int from = Math.max(0, lines.size() - 60);
        b.append("history (").append(lines.size() - from).append(" of ").append(lines.size()).append(" lines):\n");
        for (int i = from; i < lines.size(); i++) {
            b.append("  ").append(lines.get(i)).append('\n');
        }
        b.append("final state:\n").append(finalState);
        b.append("stats: ").append(stats);
        return b.toString();
    }
}
