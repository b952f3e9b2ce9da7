package io.armature.samples.cli;

import io.armature.samples.demo.Ranges;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code armature status --cluster HOST:PORT[,...] [--metrics]}: membership, node states, owned
 * partitions, and with {@code --metrics} every node's meters.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Prints the cluster's membership, each node's state and the partitions it owns.")
final class StatusCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    ArmatureCli parent;

    @CommandLine.Mixin
    ClusterOptions cluster;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--metrics", description = "Also print each node's meters.")
    boolean metrics;

    @Option(names = "--json", description = "Print one JSON object (docs/cli-json.md) instead of text.")
    boolean json;

    @Override
    public Integer call() {
        final ClusterStatus status = parent.connector().status(cluster.seeds(), cluster.secret(), metrics, cluster.timeout());
        final PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(status));
        } else {
            print(status, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * @param status a status
     * @return it as the JSON object of docs/cli-json.md
     */
    static String json(final ClusterStatus status) {
        final StringBuilder sb = new StringBuilder("{\"command\":\"status\",\"reported_by\":").append(Json.string(status.reportedBy()))
            .append(",\"ring_epoch\":").append(status.ringEpoch()).append(",\"partitions\":").append(status.partitions())
            .append(",\"members\":[");
        boolean first = true;
        for (final ClusterStatus.Member m : status.members()) {
            sb.append(first ? "" : ",").append("{\"node\":").append(Json.string(m.nodeId()))
                .append(",\"address\":").append(Json.string(m.address())).append(",\"state\":").append(Json.string(m.state()))
                .append(",\"owned\":").append(m.ownedPartitions().size())
                .append(",\"owned_partitions\":").append(Json.string(Ranges.of(m.ownedPartitions()))).append('}');
            first = false;
        }
        sb.append("],\"meters\":{");
        first = true;
        for (final Map.Entry<String, List<ClusterStatus.MeterSample>> e : status.meters().entrySet()) {
            sb.append(first ? "" : ",").append(Json.string(e.getKey())).append(":[");
            boolean firstSample = true;
            for (final ClusterStatus.MeterSample s : e.getValue()) {
                sb.append(firstSample ? "" : ",").append("{\"name\":").append(Json.string(s.name())).append(",\"tags\":{");
                boolean firstTag = true;
                for (final Map.Entry<String, String> t : new java.util.TreeMap<>(s.tags()).entrySet()) {
                    sb.append(firstTag ? "" : ",").append(Json.string(t.getKey())).append(':').append(Json.string(t.getValue()));
                    firstTag = false;
                }
                sb.append("},\"statistic\":").append(Json.string(s.statistic())).append(",\"value\":").append(Json.number(s.value())).append('}');
                firstSample = false;
            }
            sb.append(']');
            first = false;
        }
        return sb.append("}}").toString();
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
        for (final ClusterStatus.Member m : status.members()) {
            idWidth = Math.max(idWidth, m.nodeId().length());
            addressWidth = Math.max(addressWidth, m.address().length());
        }
        final String row = "%-" + idWidth + "s  %-" + addressWidth + "s  %-10s %5s  %s%n";
        out.printf(row, "NODE", "ADDRESS", "STATE", "OWNED", "PARTITIONS");
        for (final ClusterStatus.Member m : status.members()) {
            out.printf(row, m.nodeId(), m.address(), m.state(), m.ownedPartitions().size(), Ranges.of(m.ownedPartitions()));
        }
        for (final Map.Entry<String, List<ClusterStatus.MeterSample>> e : status.meters().entrySet()) {
            out.printf("meters of %s:%n", e.getKey());
            for (final ClusterStatus.MeterSample s : e.getValue()) {
                out.printf("  %s%s %s %s%n", s.name(), s.tags().isEmpty() ? "" : s.tags().toString(), s.statistic(), Json.number(s.value()));
            }
        }
    }
}
