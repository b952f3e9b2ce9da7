package io.armature.samples.cli;

import io.armature.testkit.chaos.ChaosConfig;
import io.armature.testkit.chaos.ChaosResult;
import io.armature.testkit.chaos.ChaosRun;
import io.armature.testkit.chaos.Hosts;
import io.armature.testkit.chaos.Nemesis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code armature chaos}: the testkit's Jepsen-style run of real node processes, each in its own
 * network namespace (needs root and iproute2), from the command line. Exit code 0 when every run
 * passed the checker and every node served again after every fault, 1 otherwise.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs node processes in network namespaces (bridge armchaos-br, 10.77.0.0/24) under partitions, kills,",
        "pauses, wipes and clock jumps from a seeded schedule, with concurrent clients; checks the history.",
        "Needs root. Removes its namespaces on exit. Each run writes history, report, summary and timeline.svg."})
final class ChaosCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "5", description = "Node processes, 3..9 (default: ${DEFAULT-VALUE}; N=3 R=2 W=2).")
    int nodes;

    @Option(names = "--seconds", defaultValue = "120", description = "Time budget of each run's nemeses (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--runs", defaultValue = "1", description = "Runs, seeds seed, seed+1, ... (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", defaultValue = "1", description = "First run's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", defaultValue = "chaos-runs", paramLabel = "DIR", description = "Where run directories go (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A node setting for every node, repeatable (node.faults=LAST_WRITE_WINS runs a mutant).")
    Map<String, String> settings;

    @Override
    public Integer call() {
        final PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        final String unavailable = Hosts.unavailableReason();
        if (unavailable != null) {
            spec.commandLine().getErr().println("chaos: " + unavailable);
            return ExitCodes.FAILURE;
        }
        if (runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1");
        }
        // C1 only: a node process starts listening about twice as fast on a loaded 2-core machine
        // (mean of 6 starts 2.9 s against 6.3 s at load average 20-35), and the paced chaos clients need no C2 code.
        final List<String> launcher = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ArmatureCli.class.getName());
        final List<String> verdicts = new ArrayList<>();
        boolean allPassed = true;
        for (int i = 0; i < runs; i++) {
            ChaosConfig config;
            try {
                final ChaosConfig base = nodes == 3 ? ChaosConfig.shortRun(launcher, output, seed + i)
                    : ChaosConfig.longRun(launcher, output, seed + i, seconds);
                config = new ChaosConfig(nodes, base.n(), base.r(), base.w(), base.partitions(), base.clients(), base.keys(), seed + i,
                    seconds, base.pauseSeconds(), base.clockJumpSeconds(), base.repairSeconds(), launcher, Map.of(), output,
                    EnumSet.allOf(Nemesis.Kind.class));
                if (settings != null) {
                    config = config.withNodeSettings(settings);
                }
            } catch (final IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            final ChaosResult r = ChaosRun.run(config, out);
            final boolean passed = r.ok() && r.unrecovered().isEmpty();
            allPassed &= passed;
            verdicts.add("seed " + (seed + i) + ": " + (passed ? "passed" : "FAILED") + ", " + r.operations() + " operations, "
                + r.acknowledgedWrites() + " acknowledged writes, lost " + r.lostWrites() + ", resurrected " + r.resurrections()
                + " (" + r.directory() + ")");
        }
        verdicts.forEach(out::println);
        out.flush();
        return allPassed ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
