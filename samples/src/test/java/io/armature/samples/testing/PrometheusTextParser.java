package io.armature.samples.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, as the Prometheus server reads
 * it: metric and label names, escaped label values, float values with +Inf/-Inf/NaN, optional
 * timestamps. On top of the format it checks what the issue asks of every scrape: each family has
 * a HELP and a TYPE line before its samples, each sample belongs to a declared family (a
 * histogram's {@code _bucket}, {@code _count} and {@code _sum} to the histogram), and histogram
 * buckets are cumulative and end in {@code le="+Inf"} equal to {@code _count}. No Java parser of
 * the format is published (the Prometheus Java client and Micrometer only write it), hence this.
 */
public final class PrometheusTextParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");

    /**
     * One sample.
     *
     * @param name its name
     * @param labels its labels
     * @param value its value
     */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /**
     * One family.
     *
     * @param name its name
     * @param help its HELP text
     * @param type its TYPE
     * @param samples its samples
     */
    public record Family(String name, String help, String type, List<Sample> samples) {
    }

    private PrometheusTextParser() {
    }

    /**
     * @param text a scrape
     * @return its families by name
     * @throws AssertionError naming the line at fault
     */
    public static Map<String, Family> parse(final String text) {
        final Map<String, String> help = new LinkedHashMap<>();
        final Map<String, String> type = new LinkedHashMap<>();
        final Map<String, List<Sample>> samples = new LinkedHashMap<>();
        final String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        for (int i = 0; i < lines.length - 1; i++) {
            final String line = lines[i];
            final String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                final String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("HELP")) {
                    name(parts[2], where);
                    if (help.put(parts[2], parts.length == 4 ? parts[3] : "") != null) {
                        throw new AssertionError(where + "a second HELP for " + parts[2]);
                    }
                } else if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    name(parts[2], where);
                    if (parts.length != 4 || !TYPES.contains(parts[3])) {
                        throw new AssertionError(where + "TYPE must be one of " + TYPES);
                    }
                    if (samples.containsKey(parts[2]) || type.put(parts[2], parts[3]) != null) {
                        throw new AssertionError(where + "TYPE must come once, before the family's samples");
                    }
                }
                continue;
            }
            final Sample s = sample(line, where);
            final String family = familyOf(s.name(), type);
            if (family == null) {
                throw new AssertionError(where + "sample of no family with a TYPE line");
            }
            if (!help.containsKey(family)) {
                throw new AssertionError(where + "family " + family + " has no HELP line before its samples");
            }
            samples.computeIfAbsent(family, f -> new ArrayList<>()).add(s);
        }
        final Map<String, Family> families = new TreeMap<>();
        for (final Map.Entry<String, String> e : type.entrySet()) {
            final Family f = new Family(e.getKey(), help.get(e.getKey()), e.getValue(), samples.getOrDefault(e.getKey(), List.of()));
            if (f.help() == null) {
                throw new AssertionError("family " + f.name() + " has no HELP line");
            }
            if (f.type().equals("histogram")) {
                checkHistogram(f);
            }
            families.put(f.name(), f);
        }
        return families;
    }

    private static String familyOf(final String sample, final Map<String, String> type) {
        if (type.containsKey(sample)) {
            return sample;
        }
        for (final String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sample.endsWith(suffix)) {
                final String base = sample.substring(0, sample.length() - suffix.length());
                final String t = type.get(base);
                if ("histogram".equals(t) || "summary".equals(t) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return null;
    }

    private static void checkHistogram(final Family f) {
        final Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
        final Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (final Sample s : f.samples()) {
            final Map<String, String> labels = new TreeMap<>(s.labels());
            labels.remove("le");
            if (s.name().endsWith("_bucket")) {
                if (!s.labels().containsKey("le")) {
                    throw new AssertionError(f.name() + ": a bucket without le: " + s);
                }
                series.computeIfAbsent(labels, l -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(labels, s.value());
            }
        }
        for (final Map.Entry<Map<String, String>, List<Sample>> e : series.entrySet()) {
            double le = Double.NEGATIVE_INFINITY;
            double count = 0;
            for (final Sample b : e.getValue()) {
                final double bound = value(b.labels().get("le"), f.name());
                if (bound <= le || b.value() < count) {
                    throw new AssertionError(f.name() + e.getKey() + ": buckets must rise in le and be cumulative: " + b);
                }
                le = bound;
                count = b.value();
            }
            if (le != Double.POSITIVE_INFINITY) {
                throw new AssertionError(f.name() + e.getKey() + ": the last bucket must be le=\"+Inf\"");
            }
            if (!Double.valueOf(count).equals(counts.get(e.getKey()))) {
                throw new AssertionError(f.name() + e.getKey() + ": the +Inf bucket " + count + " must equal _count " + counts.get(e.getKey()));
            }
        }
    }

    private static Sample sample(final String line, final String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        final String name = name(line.substring(0, i), where);
        final Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                final int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new AssertionError(where + "a label without '='");
                }
                final String label = line.substring(i, eq);
                if (!LABEL.matcher(label).matches()) {
                    throw new AssertionError(where + "bad label name '" + label + "'");
                }
                if (line.charAt(eq + 1) != '"') {
                    throw new AssertionError(where + "a label value must be quoted");
                }
                final StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        c = line.charAt(++j);
                        if (c == 'n') {
                            c = '\n';
                        } else if (c != '\\' && c != '"') {
                            throw new AssertionError(where + "bad escape \\" + c);
                        }
                    }
                    v.append(c);
                }
                if (labels.put(label, v.toString()) != null) {
                    throw new AssertionError(where + "label " + label + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new AssertionError(where + "a space must separate the value");
        }
        final String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new AssertionError(where + "only a value and an optional timestamp may follow");
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value(rest[0], where));
    }

    private static double value(final String text, final String where) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (final NumberFormatException e) {
                    throw new AssertionError(where + "'" + text + "' is not a number");
                }
        }
    }

    private static String name(final String name, final String where) {
        final Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new AssertionError(where + "bad metric name '" + name + "'");
        }
        return name;
    }
}
