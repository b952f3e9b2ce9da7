package io.armature.samples.cli;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The line format a node's status endpoint answers with; fields are URL-encoded so that any id,
 * address or tag value survives:
 * <pre>
 * armature-status 1
 * reported-by ID
 * ring EPOCH PARTITIONS
 * member ID HOST:PORT STATE P,P,P...       (one per member; "-" for no partitions)
 * member-detail ID RINGEPOCH REPLICATED INRING   (1 or 0; after its member line)
 * member-zone ID ZONE                      (only for a member in a zone; after its member line)
 * load ID K=V&amp;K=V...                     (what the reporting node says of itself: ring-epoch, ready,
 *                                          transfers-in, transfers-out, releasing, keys, bytes,
 *                                          ae-exchanges, ae-keys-repaired)
 * hints ID OWNER COUNT                     (hints the reporting node holds, per owner)
 * meter NAME TAGS STATISTIC VALUE           (TAGS as k=v&amp;k=v, "-" for none; only when asked)
 * </pre>
 * A client of version 1 skips the lines it does not know, so each addition keeps old clients working.
 */
final class StatusText {
    static final String HEADER = "armature-status 1";

    private StatusText() {
    }

    static String format(final ClusterStatus s) {
        final StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("reported-by ").append(enc(s.reportedBy())).append('\n');
        sb.append("ring ").append(s.ringEpoch()).append(' ').append(s.partitions()).append('\n');
        for (final ClusterStatus.Member m : s.members()) {
            final List<String> parts = new ArrayList<>();
            for (final int p : m.ownedPartitions()) {
                parts.add(Integer.toString(p));
            }
            sb.append("member ").append(enc(m.nodeId())).append(' ').append(enc(m.address())).append(' ').append(enc(m.state()))
                .append(' ').append(parts.isEmpty() ? "-" : String.join(",", parts)).append('\n');
            sb.append("member-detail ").append(enc(m.nodeId())).append(' ').append(m.ringEpoch()).append(' ')
                .append(m.replicatedPartitions()).append(' ').append(m.inRing() ? 1 : 0).append('\n');
            if (!m.zone().isEmpty()) {
                sb.append("member-zone ").append(enc(m.nodeId())).append(' ').append(enc(m.zone())).append('\n');
            }
        }
        for (final Map.Entry<String, ClusterStatus.Load> e : s.loads().entrySet()) {
            final ClusterStatus.Load l = e.getValue();
            sb.append("load ").append(enc(e.getKey())).append(" ring-epoch=").append(l.ringEpoch()).append("&ready=").append(l.ready() ? 1 : 0)
                .append("&transfers-in=").append(l.transfersIn()).append("&transfers-out=").append(l.transfersOut())
                .append("&releasing=").append(l.releasing()).append("&keys=").append(l.keys()).append("&bytes=").append(l.bytes())
                .append("&ae-exchanges=").append(l.antiEntropyExchanges()).append("&ae-keys-repaired=").append(l.antiEntropyKeysRepaired())
                .append('\n');
            l.hints().forEach((owner, count) -> sb.append("hints ").append(enc(e.getKey())).append(' ').append(enc(owner)).append(' ')
                .append(count).append('\n'));
        }
        for (final List<ClusterStatus.MeterSample> samples : s.meters().values()) {
            for (final ClusterStatus.MeterSample m : samples) {
                final List<String> tags = new ArrayList<>();
                m.tags().forEach((k, v) -> tags.add(enc(k) + "=" + enc(v)));
                sb.append("meter ").append(enc(m.name())).append(' ').append(tags.isEmpty() ? "-" : String.join("&", tags))
                    .append(' ').append(enc(m.statistic())).append(' ').append(Double.toString(m.value())).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * @param text what a status endpoint answered
     * @return the status; its meters (if any) keyed by the reporting node
     * @throws IllegalArgumentException if the text is not in this format
     */
    static ClusterStatus parse(final String text) {
        final List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException("not an armature status answer");
        }
        String reportedBy = "?";
        long epoch = 0;
        int partitions = 0;
        final List<ClusterStatus.Member> members = new ArrayList<>();
        final List<ClusterStatus.MeterSample> meters = new ArrayList<>();
        final Map<String, Map<String, Long>> loadFields = new TreeMap<>();
        final Map<String, Map<String, Long>> hints = new TreeMap<>();
        for (final String line : lines.subList(1, lines.size())) {
            final String[] f = line.split(" ");
            try {
                switch (f[0]) {
                    case "reported-by" -> reportedBy = dec(f[1]);
                    case "ring" -> {
                        epoch = Long.parseLong(f[1]);
                        partitions = Integer.parseInt(f[2]);
                    }
                    case "member" -> {
                        final List<Integer> owned = new ArrayList<>();
                        if (!f[4].equals("-")) {
                            for (final String p : f[4].split(",")) {
                                owned.add(Integer.parseInt(p));
                            }
                        }
                        members.add(new ClusterStatus.Member(dec(f[1]), dec(f[2]), dec(f[3]), List.copyOf(owned)));
                    }
                    case "member-detail" -> {
                        final String id = dec(f[1]);
                        for (int i = 0; i < members.size(); i++) {
                            final ClusterStatus.Member m = members.get(i);
                            if (m.nodeId().equals(id)) {
                                members.set(i, new ClusterStatus.Member(m.nodeId(), m.address(), m.state(), m.ownedPartitions(),
                                    Long.parseLong(f[2]), Integer.parseInt(f[3]), f[4].equals("1"), m.zone()));
                            }
                        }
                    }
                    case "member-zone" -> {
                        final String id = dec(f[1]);
                        members.replaceAll(m -> m.nodeId().equals(id) ? m.inZone(dec(f[2])) : m);
                    }
                    case "load" -> {
                        final Map<String, Long> fields = new TreeMap<>();
                        for (final String kv : f[2].split("&")) {
                            final int eq = kv.indexOf('=');
                            fields.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                        }
                        loadFields.put(dec(f[1]), fields);
                    }
                    case "hints" -> hints.computeIfAbsent(dec(f[1]), k -> new TreeMap<>()).put(dec(f[2]), Long.parseLong(f[3]));
                    case "meter" -> {
                        final Map<String, String> tags = new TreeMap<>();
                        if (!f[2].equals("-")) {
                            for (final String kv : f[2].split("&")) {
                                final int eq = kv.indexOf('=');
                                tags.put(dec(kv.substring(0, eq)), dec(kv.substring(eq + 1)));
                            }
                        }
                        meters.add(new ClusterStatus.MeterSample(dec(f[1]), tags, dec(f[3]), Double.parseDouble(f[4])));
                    }
                    default -> {
                        // Lines a later version adds are skipped, so old clients keep working.
                    }
                }
            } catch (final RuntimeException e) {
                throw new IllegalArgumentException("malformed status line '" + line + "'", e);
            }
        }
        members.sort(Comparator.comparing(ClusterStatus.Member::nodeId));
        final Map<String, ClusterStatus.Load> loads = new TreeMap<>();
        loadFields.forEach((id, l) -> loads.put(id, new ClusterStatus.Load(l.getOrDefault("ring-epoch", -1L),
            l.getOrDefault("ready", 0L) == 1, l.getOrDefault("transfers-in", 0L).intValue(), l.getOrDefault("transfers-out", 0L).intValue(),
            l.getOrDefault("releasing", 0L).intValue(), Map.copyOf(hints.getOrDefault(id, Map.of())), l.getOrDefault("keys", 0L),
            l.getOrDefault("bytes", 0L), l.getOrDefault("ae-exchanges", 0L), l.getOrDefault("ae-keys-repaired", 0L))));
        return new ClusterStatus(reportedBy, epoch, partitions, members, meters.isEmpty() ? Map.of() : Map.of(reportedBy, meters),
            loads.isEmpty() ? Map.of() : Map.copyOf(loads));
    }

    /**
     * @param registry a node's meters
     * @return every measurement of every meter, sorted by name then tags
     */
    static List<ClusterStatus.MeterSample> samples(final MeterRegistry registry) {
        final List<ClusterStatus.MeterSample> out = new ArrayList<>();
        for (final Meter meter : registry.getMeters()) {
            final Map<String, String> tags = new TreeMap<>();
            for (final Tag t : meter.getId().getTagsAsIterable()) {
                tags.put(t.getKey(), t.getValue());
            }
            for (final Measurement m : meter.measure()) {
                out.add(new ClusterStatus.MeterSample(meter.getId().getName(), tags,
                    m.getStatistic().name().toLowerCase(Locale.ROOT), m.getValue()));
            }
        }
        out.sort(Comparator.comparing(ClusterStatus.MeterSample::name).thenComparing(s -> s.tags().toString())
            .thenComparing(ClusterStatus.MeterSample::statistic));
        return out;
    }

    private static String enc(final String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(final String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
