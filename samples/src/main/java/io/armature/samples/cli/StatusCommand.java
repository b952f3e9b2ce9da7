package io.armature.samples.cli;

import io.armature.samples.demo.Ranges;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code armature status --cluster HOST:PORT[,...] [--metrics] [--json]}: membership, each
 * member's state, ring epoch, partitions, transfers, hints and load; exits
 * {@link ExitCodes#UNHEALTHY} when a member is down or the members hold different rings.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Prints the cluster's membership: each member's state (joining, up, suspected, leaving, left), the ring epoch it holds,",
        "its owned and replicated partitions, pending transfers in and out, hints it holds, keys and bytes stored, anti-entropy progress.",
        "Exits 5 when the cluster is unhealthy: a member suspected or not answering, or members holding different ring epochs."})
final class StatusCommand implements Callable<Integer> {
    /** The version of the JSON document {@code status --json} prints (docs/operations.md). */
    static final int JSON_SCHEMA = 1;

    @CommandLine.ParentCommand
    ArmatureCli parent;

    @CommandLine.Mixin
    ClusterOptions cluster;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--metrics", description = "Also print each node's meters.")
    boolean metrics;

    @Option(names = "--json", description = "Print one JSON document (schema in docs/operations.md) instead of text.")
    boolean json;

    @Override
    public Integer call() {
        final ClusterStatus status = parent.connector().status(cluster.seeds(), cluster.secret(), metrics, cluster.timeout());
        final PrintWriter out = spec.commandLine().getOut();
        final List<String> problems = status.problems(!status.loads().isEmpty());
        if (json) {
            out.println(json(status, problems));
        } else {
            print(status, out);
            for (final String p : problems) {
                out.println("unhealthy: " + p);
            }
        }
        out.flush();
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.UNHEALTHY;
    }

    /**
     * @param status a status
     * @param out where to print it
     */
    static void print(final ClusterStatus status, final PrintWriter out) {
        out.printf("ring epoch %d, %d partitions, %d members (as seen by %s)%n",
            status.ringEpoch(), status.partitions(), status.members().size(), status.reportedBy());
        int idWidth = 4;
        int addressWidth = 7;
        int zoneWidth = 0;
        for (final ClusterStatus.Member m : status.members()) {
            idWidth = Math.max(idWidth, m.nodeId().length());
            addressWidth = Math.max(addressWidth, m.address().length());
            zoneWidth = Math.max(zoneWidth, m.zone().length());
        }
        // A ZONE column only when zones are in use, so a cluster without them prints as it always did.
        final String zoneCell = zoneWidth == 0 ? "" : "%-" + Math.max(4, zoneWidth) + "s  ";
        final boolean loads = !status.loads().isEmpty();
        final String lead = "%-" + idWidth + "s  %-" + addressWidth + "s  ";
        final String row = "%-10s %5s  %s%n";
        final String loadRow = "%-10s %5s %5s %5s %4s %4s %6s %9s %11s  %s%n";
        out.print(String.format(lead, "NODE", "ADDRESS") + (zoneWidth == 0 ? "" : String.format(zoneCell, "ZONE")));
        if (loads) {
            out.printf(loadRow, "STATE", "EPOCH", "OWNED", "REPL", "IN", "OUT", "HINTS", "KEYS", "BYTES", "PARTITIONS");
        } else {
            out.printf(row, "STATE", "OWNED", "PARTITIONS");
        }
        for (final ClusterStatus.Member m : status.members()) {
            out.print(String.format(lead, m.nodeId(), m.address()) + (zoneWidth == 0 ? "" : String.format(zoneCell, m.zone())));
            if (loads) {
                final ClusterStatus.Load l = status.loads().get(m.nodeId());
                final long epoch = l != null ? l.ringEpoch() : m.ringEpoch();
                out.printf(loadRow, m.state(), epoch < 0 ? "?" : Long.toString(epoch), m.ownedPartitions().size(),
                    m.replicatedPartitions(), l == null ? "?" : l.transfersIn(), l == null ? "?" : l.transfersOut(),
                    l == null ? "?" : l.hintsHeld(), l == null ? "?" : l.keys(), l == null ? "?" : l.bytes(), Ranges.of(m.ownedPartitions()));
            } else {
                out.printf(row, m.state(), m.ownedPartitions().size(), Ranges.of(m.ownedPartitions()));
            }
        }
        for (final Map.Entry<String, List<ClusterStatus.MeterSample>> e : status.meters().entrySet()) {
            out.printf("meters of %s:%n", e.getKey());
            for (final ClusterStatus.MeterSample s : e.getValue()) {
                out.printf("  %s%s %s %s%n", s.name(), s.tags().isEmpty() ? "" : s.tags().toString(), s.statistic(), Json.number(s.value()));
            }
        }
    }

    /**
     * @param s a status
     * @param problems its problems
     * @return the JSON document of docs/operations.md, "status --json"
     */
    static String json(final ClusterStatus s, final List<String> problems) {
        final StringBuilder sb = new StringBuilder("{\"schema\":").append(JSON_SCHEMA);
        sb.append(",\"reportedBy\":").append(Json.string(s.reportedBy()));
        sb.append(",\"healthy\":").append(problems.isEmpty());
        sb.append(",\"problems\":[").append(String.join(",", problems.stream().map(Json::string).toList())).append(']');
        sb.append(",\"ring\":{\"epoch\":").append(s.ringEpoch()).append(",\"partitions\":").append(s.partitions()).append('}');
        final List<String> members = new ArrayList<>();
        for (final ClusterStatus.Member m : s.members()) {
            final ClusterStatus.Load l = s.loads().get(m.nodeId());
            final StringBuilder mb = new StringBuilder("{\"node\":").append(Json.string(m.nodeId()));
            mb.append(",\"address\":").append(Json.string(m.address()));
            mb.append(",\"zone\":").append(Json.string(m.zone()));
            mb.append(",\"state\":").append(Json.string(m.state()));
            mb.append(",\"inRing\":").append(m.inRing());
            final long epoch = l != null ? l.ringEpoch() : m.ringEpoch();
            mb.append(",\"ringEpoch\":").append(epoch < 0 ? "null" : Long.toString(epoch));
            mb.append(",\"ownedPartitions\":").append(m.ownedPartitions().size());
            mb.append(",\"owned\":").append(Json.string(Ranges.of(m.ownedPartitions())));
            mb.append(",\"replicatedPartitions\":").append(m.replicatedPartitions());
            mb.append(",\"reported\":").append(l != null);
            if (l != null) {
                mb.append(",\"ready\":").append(l.ready());
                mb.append(",\"transfersIn\":").append(l.transfersIn());
                mb.append(",\"transfersOut\":").append(l.transfersOut());
                mb.append(",\"releasing\":").append(l.releasing());
                final List<String> hints = new ArrayList<>();
                l.hints().forEach((owner, n) -> hints.add(Json.string(owner) + ":" + n));
                mb.append(",\"hintsHeld\":{").append(String.join(",", hints)).append('}');
                mb.append(",\"keys\":").append(l.keys());
                mb.append(",\"bytes\":").append(l.bytes());
                mb.append(",\"antiEntropy\":{\"exchanges\":").append(l.antiEntropyExchanges()).append(",\"keysRepaired\":")
                    .append(l.antiEntropyKeysRepaired()).append('}');
            }
            final List<ClusterStatus.MeterSample> meters = s.meters().get(m.nodeId());
            if (meters != null) {
                final List<String> ms = new ArrayList<>();
                for (final ClusterStatus.MeterSample x : meters) {
                    final List<String> tags = new ArrayList<>();
                    x.tags().forEach((k, v) -> tags.add(Json.string(k) + ":" + Json.string(v)));
                    ms.add("{\"name\":" + Json.string(x.name()) + ",\"tags\":{" + String.join(",", tags) + "},\"statistic\":"
                        + Json.string(x.statistic()) + ",\"value\":" + Json.number(x.value()) + "}");
                }
                mb.append(",\"meters\":[").append(String.join(",", ms)).append(']');
            }
            members.add(mb.append('}').toString());
        }
        sb.append(",\"members\":[").append(String.join(",", members)).append("]}");
        return sb.toString();
    }
}
