package io.armature.testkit.sim;

import io.armature.testkit.sim.schedule.FaultSchedule;
import io.armature.testkit.sim.schedule.OpSchedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that decides a simulated run: the seed, the cluster's shape, the network's manners,
 * the clients' schedule and the faults. Two runs of one scenario are identical event for event.
 * Its one-line text form ({@link #toString()}, read back by {@link #parse(String)}) is what a
 * failed property prints for replay.
 *
 * @param seed the seed of every random choice (network delays and losses, node randomness)
 * @param nodes the number of nodes, 1..64
 * @param n replicas per key
 * @param r read quorum
 * @param w write quorum
 * @param duplicatePercent percentage of messages delivered twice
 * @param reorder whether messages of one link may overtake each other
 * @param ops what the clients do
 * @param faults what fails, and when
 * @param replicaCheck true for the variant whose final check reads each replica at R=1 without
 *     the R=N read that triggers read repair: convergence must then come from hinted handoff and
 *     anti-entropy alone
 */
public record Scenario(long seed, int nodes, int n, int r, int w, int duplicatePercent, boolean reorder,
                       OpSchedule ops, FaultSchedule faults, boolean replicaCheck) {
    /**
     * Validates the shape.
     *
     * @param seed seed
     * @param nodes nodes
     * @param n replicas
     * @param r read quorum
     * @param w write quorum
     * @param duplicatePercent duplication
     * @param reorder reordering
     * @param ops client schedule
     * @param faults fault schedule
     * @param replicaCheck final check without read repair
     */
    public Scenario {
        if (nodes < 1 || nodes > 64) {
            throw new IllegalArgumentException("scenario nodes must be in 1..64, was " + nodes);
        }
        if (n < 1 || r < 1 || w < 1 || r > n || w > n) {
            throw new IllegalArgumentException("scenario needs 1 <= r, w <= n, was n=" + n + " r=" + r + " w=" + w);
        }
        if (duplicatePercent < 0 || duplicatePercent > 100) {
            throw new IllegalArgumentException("scenario duplicate percentage must be in 0..100, was " + duplicatePercent);
        }
    }

    /**
     * A scenario whose final check reads at R=N (read repair included).
     *
     * @param seed seed
     * @param nodes nodes
     * @param n replicas
     * @param r read quorum
     * @param w write quorum
     * @param duplicatePercent duplication
     * @param reorder reordering
     * @param ops client schedule
     * @param faults fault schedule
     */
    public Scenario(final long seed, final int nodes, final int n, final int r, final int w, final int duplicatePercent,
                    final boolean reorder, final OpSchedule ops, final FaultSchedule faults) {
        this(seed, nodes, n, r, w, duplicatePercent, reorder, ops, faults, false);
    }

    /**
     * @return the one-line form: {@code seed=.. nodes=.. nrw=N/R/W dup=.. reorder=.. ops=.. faults=..}
     */
    @Override
    public String toString() {
        return "seed=" + seed + " nodes=" + nodes + " nrw=" + n + "/" + r + "/" + w + " dup=" + duplicatePercent
            + " reorder=" + reorder + (replicaCheck ? " check=replicas" : "") + " ops=" + ops + " faults=" + faults;
    }

    /**
     * @return the scenario for people: the shape, then one fault per clause
     */
    public String describe() {
        return nodes + " nodes, N=" + n + " R=" + r + " W=" + w + ", " + ops.steps().size() + " client steps by "
            + ops.clients() + " clients, " + faults.describe(nodes)
            + (replicaCheck ? "; final check per replica without read repair" : "");
    }

    /**
     * @param text the form {@link #toString()} gives
     * @return the scenario
     * @throws IllegalArgumentException naming the part that is malformed
     */
    public static Scenario parse(final String text) {
        final Map<String, String> m = new LinkedHashMap<>();
        for (final String part : text.trim().split("\\s+")) {
            final int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("scenario part '" + part + "' is not name=value");
            }
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        final String[] nrw = require(m, "nrw").split("/");
        if (nrw.length != 3) {
            throw new IllegalArgumentException("scenario nrw must be N/R/W, was " + m.get("nrw"));
        }
        return new Scenario(Long.parseLong(require(m, "seed")), Integer.parseInt(require(m, "nodes")),
            Integer.parseInt(nrw[0]), Integer.parseInt(nrw[1]), Integer.parseInt(nrw[2]),
            Integer.parseInt(m.getOrDefault("dup", "0")), Boolean.parseBoolean(m.getOrDefault("reorder", "false")),
            OpSchedule.parse(m.getOrDefault("ops", "")), FaultSchedule.parse(m.getOrDefault("faults", "")),
            finalCheck(m.getOrDefault("check", "quorum")));
    }

    private static boolean finalCheck(final String v) {
        return switch (v) {
            case "quorum" -> false;
            case "replicas" -> true;
            default -> throw new IllegalArgumentException("scenario check must be quorum or replicas, was " + v);
        };
    }

    private static String require(final Map<String, String> m, final String name) {
        final String v = m.get(name);
        if (v == null) {
            throw new IllegalArgumentException("scenario lacks '" + name + "='");
        }
        return v;
    }
}
