package io.armature.testkit.chaos;

import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.history.Outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The picture of a run, as SVG: operations per second stacked as ok / failed / unknown, the
 * nemesis intervals shaded and named, and the p50 / p99 latency of each second's completed
 * operations on a logarithmic axis.
 */
public final class Timeline {
    private static final int W = 1000;
    private static final int TOP = 40;
    private static final int BAR_H = 220;
    private static final int LAT_TOP = TOP + BAR_H + 40;
    private static final int LAT_H = 160;
    private static final int LEFT = 60;

    private Timeline() {
    }

    /** One second's counts. */
    record Second(int ok, int failed, int unknown, double p50Ms, double p99Ms) {
    }

    /**
     * @param op an operation
     * @return ok, failed (a definite answer that it did not succeed) or unknown (no answer in time)
     */
    static String category(final Operation op) {
        if (op.outcome() == Outcome.OK) {
            return "ok";
        }
        return op.error() != null && op.error().contains("Timeout") ? "unknown" : "failed";
    }

    static List<Second> seconds(final History history, final int seconds) {
        final int[] ok = new int[seconds];
        final int[] failed = new int[seconds];
        final int[] unknown = new int[seconds];
        final List<List<Double>> lat = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            lat.add(new ArrayList<>());
        }
        for (final Operation op : history.operations()) {
            final int s = (int) (op.invokedAt() / 1_000_000_000L);
            if (s < 0 || s >= seconds || op.completedAt() < 0) {
                continue;
            }
            switch (category(op)) {
                case "ok" -> {
                    ok[s]++;
                    lat.get(s).add((op.completedAt() - op.invokedAt()) / 1e6);
                }
                case "unknown" -> unknown[s]++;
                default -> failed[s]++;
            }
        }
        final List<Second> out = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            final double[] l = lat.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.add(new Second(ok[i], failed[i], unknown[i], percentile(l, 0.50), percentile(l, 0.99)));
        }
        return out;
    }

    private static double percentile(final double[] sorted, final double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /**
     * @param title the run's name
     * @param history its operations
     * @param schedule its nemeses
     * @return the SVG document
     */
    public static String svg(final String title, final History history, final ChaosSchedule schedule) {
        long last = 0;
        for (final Operation op : history.operations()) {
            last = Math.max(last, op.invokedAt());
        }
        final int seconds = Math.max(1, (int) (last / 1_000_000_000L) + 1);
        final List<Second> data = seconds(history, seconds);
        final int maxOps = Math.max(1, data.stream().mapToInt(s -> s.ok + s.failed + s.unknown).max().orElse(1));
        final double bw = (W - LEFT - 20) / (double) seconds;
        final StringBuilder b = new StringBuilder();
        final int height = LAT_TOP + LAT_H + 50;
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "font-family=\"sans-serif\" font-size=\"11\">%n", W, height));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        for (final Nemesis n : schedule.nemeses()) {
            final double x = LEFT + n.start() * bw;
            final double w = (n.end() - n.start()) * bw;
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.25\"/>%n",
                x, TOP, w, LAT_TOP + LAT_H - TOP, n.kind().partition() ? "#f0a030" : "#a070d0"));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" transform=\"rotate(-90 %.1f %d)\" "
                + "text-anchor=\"end\">%s</text>%n", x + 9, TOP + 4, x + 9, TOP + 4,
                escape(n.kind().name().toLowerCase(Locale.ROOT) + (n.node() == 0 ? "" : " n" + n.node()))));
        }
        for (int i = 0; i < seconds; i++) {
            final Second s = data.get(i);
            double y = TOP + BAR_H;
            for (final Object[] part : new Object[][] {{s.ok, "#3a9d3a"}, {s.failed, "#d03030"}, {s.unknown, "#909090"}}) {
                final int count = (Integer) part[0];
                final double h = count * BAR_H / (double) maxOps;
                y -= h;
                if (count > 0) {
                    b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                        LEFT + i * bw, y, Math.max(0.5, bw - 1), h, part[1]));
                }
            }
        }
        axis(b, TOP, BAR_H, "ops/s", 0, maxOps);
        final double maxLat = Math.max(10, data.stream().mapToDouble(s -> Double.isNaN(s.p99Ms) ? 0 : s.p99Ms).max().orElse(10));
        final double logMax = Math.log10(maxLat);
        for (final String[] series : new String[][] {{"p50", "#2060c0"}, {"p99", "#c02060"}}) {
            final StringBuilder path = new StringBuilder();
            for (int i = 0; i < seconds; i++) {
                final double v = series[0].equals("p50") ? data.get(i).p50Ms : data.get(i).p99Ms;
                if (Double.isNaN(v)) {
                    continue;
                }
                final double y = LAT_TOP + LAT_H - Math.max(0, Math.log10(Math.max(1, v))) / logMax * LAT_H;
                path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ", LEFT + (i + 0.5) * bw, y));
            }
            b.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", path, series[1]));
        }
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, LAT_TOP, LEFT, LAT_TOP + LAT_H));
        for (final double tick : new double[] {1, 10, 100, 1000, 10000}) {
            if (tick <= maxLat * 1.01) {
                final double y = LAT_TOP + LAT_H - Math.log10(tick) / logMax * LAT_H;
                b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n", LEFT - 4, y + 4,
                    tick >= 1000 ? (int) (tick / 1000) + "000" : Integer.toString((int) tick)));
            }
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">latency of completed operations (log): p50 blue, p99 red</text>%n",
            LEFT + 5, LAT_TOP - 6));
        for (int s = 0; s < seconds; s += 10) {
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%ds</text>%n", LEFT + s * bw,
                LAT_TOP + LAT_H + 16, s));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">bars: ok (green), failed (red), unknown / timed out (grey) "
            + "per second of invocation; shaded: partitions (orange), node faults (purple)</text>%n", LEFT, height - 10));
        b.append("</svg>\n");
        return b.toString();
    }

    private static void axis(final StringBuilder b, final int top, final int h, final String label, final int min, final int max) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, top, LEFT, top + h));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, top + h, W - 20, top + h));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", LEFT - 4, top + 4, max));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", LEFT - 4, top + h, min));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 4, top + h / 2, label));
    }

    private static String escape(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static int[] totals(final List<Second> data) {
        final int[] t = new int[3];
        for (final Second s : data) {
            t[0] += s.ok;
            t[1] += s.failed;
            t[2] += s.unknown;
        }
        return Arrays.copyOf(t, 3);
    }
}
