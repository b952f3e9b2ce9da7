package io.armature.testkit.chaos;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one chaos run does.
 *
 * @param nodes node processes (3..9)
 * @param n replicas per key
 * @param r read quorum
 * @param w write quorum
 * @param partitions ring partitions
 * @param clients concurrent clients, each on its own connections
 * @param keys keys the clients share (few, so that they contend)
 * @param seed the schedule's and the clients' seed
 * @param seconds how long the nemeses run, about
 * @param pauseSeconds how long a SIGSTOP lasts (longer than the failure detector's threshold)
 * @param clockJumpSeconds how far a clock jump moves one node's clock
 * @param repairSeconds the bound on the wait for repair after healing
 * @param launcher the command line that runs the {@code armature} command (java, its options, the class path and main class)
 * @param nodeSettings {@code --set} settings every node gets
 * @param outputDir where the run's directory is made
 * @param kinds the nemesis kinds the schedule draws from
 */
public record ChaosConfig(int nodes, int n, int r, int w, int partitions, int clients, int keys, long seed, int seconds,
                          int pauseSeconds, int clockJumpSeconds, int repairSeconds, List<String> launcher,
                          Map<String, String> nodeSettings, Path outputDir, Set<Nemesis.Kind> kinds) {
    /**
     * Checks and copies.
     *
     * @param nodes nodes
     * @param n n
     * @param r r
     * @param w w
     * @param partitions partitions
     * @param clients clients
     * @param keys keys
     * @param seed seed
     * @param seconds seconds
     * @param pauseSeconds pause
     * @param clockJumpSeconds clock jump
     * @param repairSeconds repair bound
     * @param launcher launcher
     * @param nodeSettings settings
     * @param outputDir output
     * @param kinds nemesis kinds
     */
    public ChaosConfig {
        if (nodes < 3 || nodes > 9) {
            throw new IllegalArgumentException("nodes must be in 3..9, was " + nodes);
        }
        if (n < 1 || n > nodes || r < 1 || r > n || w < 1 || w > n) {
            throw new IllegalArgumentException("need 1 <= R, W <= N <= nodes, got N=" + n + " R=" + r + " W=" + w);
        }
        if (clients < 1 || keys < 1 || seconds < 1 || pauseSeconds < 1 || repairSeconds < 1) {
            throw new IllegalArgumentException("clients, keys, seconds, pause and repair bound must be positive");
        }
        launcher = List.copyOf(launcher);
        if (launcher.isEmpty()) {
            throw new IllegalArgumentException("launcher: the command that runs armature is needed");
        }
        nodeSettings = Map.copyOf(new TreeMap<>(nodeSettings));
        Objects.requireNonNull(outputDir, "outputDir");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("kinds: at least one nemesis kind");
        }
        kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    }

    /**
     * The default build's short run: 3 nodes, N=3 R=2 W=2, about a minute.
     *
     * @param launcher the armature command line
     * @param outputDir where runs go
     * @param seed the seed
     * @return the config
     */
    public static ChaosConfig shortRun(final List<String> launcher, final Path outputDir, final long seed) {
        return new ChaosConfig(3, 3, 2, 2, 32, 4, 16, seed, 60, 14, 60, 60, launcher, Map.of(), outputDir,
            EnumSet.allOf(Nemesis.Kind.class));
    }

    /**
     * The {@code -Pchaos} run: 5 nodes, N=3 R=2 W=2.
     *
     * @param launcher the armature command line
     * @param outputDir where runs go
     * @param seed the seed
     * @param seconds about how long
     * @return the config
     */
    public static ChaosConfig longRun(final List<String> launcher, final Path outputDir, final long seed, final int seconds) {
        return new ChaosConfig(5, 3, 2, 2, 64, 6, 24, seed, seconds, 14, 60, 90, launcher, Map.of(), outputDir,
            EnumSet.allOf(Nemesis.Kind.class));
    }

    /**
     * @param settings more node settings
     * @return a copy with them added
     */
    public ChaosConfig withNodeSettings(final Map<String, String> settings) {
        final Map<String, String> m = new TreeMap<>(nodeSettings);
        m.putAll(settings);
        return new ChaosConfig(nodes, n, r, w, partitions, clients, keys, seed, seconds, pauseSeconds, clockJumpSeconds,
            repairSeconds, launcher, m, outputDir, kinds);
    }

    /**
     * @param only the nemesis kinds to draw from
     * @param budget about how long the nemeses run
     * @return a copy with them
     */
    public ChaosConfig withKinds(final Set<Nemesis.Kind> only, final int budget) {
        return new ChaosConfig(nodes, n, r, w, partitions, clients, keys, seed, budget, pauseSeconds, clockJumpSeconds,
            repairSeconds, launcher, nodeSettings, outputDir, only);
    }
}
