package io.armature.samples.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Writes a Micrometer registry in the Prometheus text exposition format (version 0.0.4) from
 * {@link Meter#measure()}, so that a node needs no Prometheus client library. Each measurement
 * becomes one sample: {@code armature.requests} with statistic COUNT becomes
 * {@code armature_requests_count}; timers add {@code _seconds} quantile samples for the
 * percentiles they publish. Samples of one name share a single {@code # TYPE} line.
 */
public final class PrometheusText {
    /** The content type Prometheus expects for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /**
     * @param registry the meters
     * @return the exposition text, families sorted by name
     */
    public static String scrape(final MeterRegistry registry) {
        final Map<String, Family> families = new TreeMap<>();
        for (final Meter meter : registry.getMeters()) {
            final String base = sanitize(meter.getId().getName());
            final Map<String, String> labels = new TreeMap<>();
            for (final Tag t : meter.getId().getTagsAsIterable()) {
                labels.put(sanitize(t.getKey()), t.getValue());
            }
            for (final Measurement m : meter.measure()) {
                final String name = base + suffix(meter, m.getStatistic());
                families.computeIfAbsent(name, n -> new Family(type(m.getStatistic()))).samples.add(sample(name, labels, m.getValue()));
            }
            HistogramSnapshot snapshot = null;
            if (meter instanceof Timer) {
                snapshot = ((Timer) meter).takeSnapshot();
            } else if (meter instanceof DistributionSummary) {
                snapshot = ((DistributionSummary) meter).takeSnapshot();
            }
            if (snapshot != null && snapshot.percentileValues().length > 0) {
                final String name = base + (meter instanceof Timer ? "_seconds" : "");
                final Family f = families.computeIfAbsent(name, n -> new Family("summary"));
                for (final ValueAtPercentile p : snapshot.percentileValues()) {
                    final Map<String, String> withQuantile = new TreeMap<>(labels);
                    withQuantile.put("quantile", Double.toString(p.percentile()));
                    f.samples.add(sample(name, withQuantile, meter instanceof Timer ? p.value(TimeUnit.SECONDS) : p.value()));
                }
            }
        }
        final StringBuilder sb = new StringBuilder();
        for (final Map.Entry<String, Family> e : families.entrySet()) {
            sb.append("# TYPE ").append(e.getKey()).append(' ').append(e.getValue().type).append('\n');
            for (final String s : e.getValue().samples) {
                sb.append(s).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * @param name a Micrometer name or tag key
     * @return a valid Prometheus metric or label name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*})
     */
    static String sanitize(final String name) {
        final StringBuilder sb = new StringBuilder(name.length() + 1);
        if (!name.isEmpty() && name.charAt(0) >= '0' && name.charAt(0) <= '9') {
            sb.append('_');
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            final boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= '0' && c <= '9';
            sb.append(ok ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /**
     * @param value a label value
     * @return it escaped for the text format (backslash, double quote, line feed)
     */
    static String escape(final String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String suffix(final Meter meter, final Statistic statistic) {
        final boolean timer = meter instanceof Timer || meter.getId().getType() == Meter.Type.LONG_TASK_TIMER;
        switch (statistic) {
            case VALUE:
                return "";
            case COUNT:
                return meter.getId().getType() == Meter.Type.COUNTER ? "_total" : "_count";
            case TOTAL:
                return "_sum";
            case TOTAL_TIME:
                return timer ? "_seconds_sum" : "_sum";
            case MAX:
                return timer ? "_seconds_max" : "_max";
            case DURATION:
                return "_seconds_duration";
            default:
                return "_" + statistic.name().toLowerCase(Locale.ROOT);
        }
    }

    private static String type(final Statistic statistic) {
        switch (statistic) {
            case COUNT:
            case TOTAL:
            case TOTAL_TIME:
                return "counter";
            default:
                return "gauge";
        }
    }

    private static String sample(final String name, final Map<String, String> labels, final double value) {
        final StringBuilder sb = new StringBuilder(name);
        if (!labels.isEmpty()) {
            sb.append('{');
            boolean first = true;
            for (final Map.Entry<String, String> e : labels.entrySet()) {
                sb.append(first ? "" : ",").append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
                first = false;
            }
            sb.append('}');
        }
        return sb.append(' ').append(number(value)).toString();
    }

    private static String number(final double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Samples sharing one metric name. */
    private static final class Family {
        final String type;
        final List<String> samples = new ArrayList<>();

        Family(final String type) {
            this.type = type;
        }
    }
}
