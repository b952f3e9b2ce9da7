package io.armature.samples.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints phase results as a table and as JSON. Latencies are in microseconds in JSON and in
 * milliseconds in the table.
 */
public final class BenchReport {
    private static final double[] PERCENTILES = {50, 95, 99, 99.9};

    private BenchReport() {
    }

    /**
     * @param result a phase's result
     * @param out where to print the table
     */
    public static void printTable(final PhaseResult result, final PrintStream out) {
        out.printf(Locale.ROOT, "%s phase: %d operations in %.2f s, %.0f ops/s%s%n", result.phase(), result.completed(),
            result.elapsedNanos() / 1e9, result.throughput(), result.cutShort() ? " (stopped by --duration)" : "");
        out.printf(Locale.ROOT, "  %-8s %10s %10s %9s %9s %9s %9s %9s %8s%n",
            "op", "count", "ops/s", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "errors");
        for (final PhaseResult.OpResult op : result.operations()) {
            final Histogram h = op.latencies();
            out.printf(Locale.ROOT, "  %-8s %10d %10.0f %9.3f %9.3f %9.3f %9.3f %9.3f %8d%n",
                op.operation().id(), h.getTotalCount(),
                result.elapsedNanos() == 0 ? 0.0 : h.getTotalCount() * 1e9 / result.elapsedNanos(),
                ms(h, 50), ms(h, 95), ms(h, 99), ms(h, 99.9), h.getTotalCount() == 0 ? 0.0 : h.getMaxValue() / 1e6, op.errors());
            for (final Map.Entry<String, Long> e : op.errorKinds().entrySet()) {
                out.printf(Locale.ROOT, "    %s: %d%n", e.getKey(), e.getValue());
            }
        }
    }

    /**
     * @param settings the run's settings, as a JSON object's members (already encoded)
     * @param phases the phases' results
     * @return the whole report as one JSON object
     */
    public static String json(final String settings, final List<PhaseResult> phases) {
        final StringBuilder sb = new StringBuilder("{").append(settings).append(",\"phases\":[");
        for (int p = 0; p < phases.size(); p++) {
            final PhaseResult r = phases.get(p);
            sb.append(p == 0 ? "" : ",").append("{\"phase\":\"").append(r.phase()).append('"')
                .append(",\"seconds\":").append(fmt(r.elapsedNanos() / 1e9))
                .append(",\"operations\":").append(r.completed())
                .append(",\"errors\":").append(r.errors())
                .append(",\"throughput\":").append(fmt(r.throughput()))
                .append(",\"cut_short\":").append(r.cutShort())
                .append(",\"ops\":{");
            for (int i = 0; i < r.operations().size(); i++) {
                final PhaseResult.OpResult op = r.operations().get(i);
                final Histogram h = op.latencies();
                sb.append(i == 0 ? "" : ",").append('"').append(op.operation().id()).append("\":{")
                    .append("\"count\":").append(h.getTotalCount())
                    .append(",\"errors\":").append(op.errors());
                for (final double pct : PERCENTILES) {
                    sb.append(",\"p").append(pct == Math.rint(pct) ? Long.toString((long) pct) : Double.toString(pct).replace('.', '_'))
                        .append("_us\":").append(fmt(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(pct) / 1e3));
                }
                sb.append(",\"max_us\":").append(fmt(h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e3)).append('}');
            }
            sb.append("}}");
        }
        return sb.append("]}").toString();
    }

    /**
     * One row of a Markdown table: | label | ops/s | read p99 | update p99 | CPU | RSS per node |,
     * as the performance notes compare stores.
     *
     * @param label the first cell
     * @param run the measured phase
     * @param cpu the CPU of the client and the nodes during it, or null if not measured
     * @return the row, without a line end
     */
    public static String row(final String label, final PhaseResult run, final CpuUsage.Result cpu) {
        final StringBuilder sb = new StringBuilder("| ").append(label).append(" | ")
            .append(String.format(Locale.ROOT, "%,.0f", run.throughput())).append(" | ")
            .append(p99(run, Operation.READ)).append(" | ").append(p99(run, Operation.UPDATE)).append(" | ");
        if (cpu == null || cpu.wallSeconds() <= 0) {
            sb.append("n/a | n/a |");
            return sb.toString();
        }
        final double wall = cpu.wallSeconds();
        double nodes = 0;
        final StringBuilder each = new StringBuilder();
        final StringBuilder rss = new StringBuilder();
        for (final CpuUsage.Process p : cpu.others()) {
            nodes += Math.max(0, p.cpuSeconds());
            each.append(each.length() == 0 ? "" : "/").append(p.cpuSeconds() < 0 ? "?" : String.format(Locale.ROOT, "%.2f", p.cpuSeconds() / wall));
            rss.append(rss.length() == 0 ? "" : "/").append(p.rssBytes() < 0 ? "?" : String.format(Locale.ROOT, "%.2f", p.rssBytes() / 1e9));
        }
        if (!cpu.others().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "nodes %.2f cores (%s), ", nodes / wall, each));
        }
        sb.append(String.format(Locale.ROOT, "client %.2f", Math.max(0, cpu.client().cpuSeconds()) / wall));
        if (run.completed() > 0 && !cpu.others().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "; per op: nodes %.0f us, client %.0f us",
                nodes / run.completed() * 1e6, Math.max(0, cpu.client().cpuSeconds()) / run.completed() * 1e6));
        }
        sb.append(" | ").append(cpu.others().isEmpty() ? "n/a" : rss + " GB").append(" |");
        return sb.toString();
    }

    private static String p99(final PhaseResult run, final Operation op) {
        for (final PhaseResult.OpResult o : run.operations()) {
            if (o.operation() == op && o.latencies().getTotalCount() > 0) {
                return String.format(Locale.ROOT, "%.1f ms", o.latencies().getValueAtPercentile(99) / 1e6);
            }
        }
        return "n/a";
    }

    private static double ms(final Histogram h, final double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
    }

    private static String fmt(final double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }
}
