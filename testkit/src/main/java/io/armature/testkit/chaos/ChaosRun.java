package io.armature.testkit.chaos;

import io.armature.api.KvClient;
import io.armature.engine.client.RemoteKvClient;
import io.armature.engine.config.StoreSettings;
import io.armature.spi.PluginRegistry;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.TransportConfig;
import io.armature.testkit.sim.check.CheckReport;
import io.armature.testkit.sim.check.Checker;
import io.armature.testkit.sim.check.FinalState;
import io.armature.testkit.sim.check.Guarantee;
import io.armature.testkit.sim.check.RunFacts;
import io.armature.testkit.sim.history.FaultEvent;
import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.history.Outcome;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One chaos run: hosts, node processes, the cluster formed, clients working while the schedule's
 * nemeses strike, then everything healed, a bounded wait for repair (reads at R = N of every
 * key until each answers), the nodes stopped, their data read and the history checked. Writes
 * {@code schedule.txt}, {@code history.txt}, {@code report.txt}, {@code summary.txt} and
 * {@code timeline.svg} into the run's directory; node logs always stay, node data only when the run failed.
 */
public final class ChaosRun {
    private static final Duration FORM_LIMIT = Duration.ofSeconds(90);
    /** The clients work on this long after the last nemesis, so that its recovery shows in the history. */
    static final int TAIL_SECONDS = 10;
    /** A node must coordinate a successful operation within this long of the end of a fault that touched it. */
    static final int RECOVERY_LIMIT_SECONDS = 30;

    private final ChaosConfig config;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ChaosNode> nodes = new ArrayList<>();
    private Hosts hosts;
    private ConcurrentHistory history;
    private Path dir;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private ChaosRun(final ChaosConfig config, final PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /**
     * @param config the run
     * @param log where progress goes
     * @return the result
     */
    public static ChaosResult run(final ChaosConfig config, final PrintStream log) {
        return new ChaosRun(config, log).go();
    }

    private ChaosResult go() {
        final ChaosSchedule schedule = ChaosSchedule.generate(config);
        dir = config.outputDir().resolve(String.format(Locale.ROOT, "chaos-%d-seed%d-%s", config.nodes(), config.seed(),
            Instant.now().toString().replace(':', '-')));
        write("schedule.txt", "seed " + config.seed() + ", " + config.nodes() + " nodes, N=" + config.n() + " R=" + config.r()
            + " W=" + config.w() + ", " + config.clients() + " clients, " + config.keys() + " keys, settings " + config.nodeSettings()
            + "\n" + schedule);
        log.println("chaos: seed " + config.seed() + ", run directory " + dir + "\nschedule:\n" + schedule);
        boolean passed = false;
        final List<KvClient> connections = new ArrayList<>();
        try {
            hosts = Hosts.open(config.nodes());
            for (int k = 1; k <= config.nodes(); k++) {
                nodes.add(new ChaosNode(k, config, dir));
            }
            formCluster();
            final long origin = System.nanoTime();
            history = new ConcurrentHistory(origin);

            for (int c = 0; c < config.clients(); c++) {
                final List<KvClient> mine = new ArrayList<>();
                for (final ChaosNode n : nodes) {
                    mine.add(connect(n));
                }
                connections.addAll(mine);
                final Thread t = new Thread(new ChaosClient("c" + (c + 1), mine, history, config, config.seed() * 31 + c, stop::get),
                    "chaos-client-" + (c + 1));
                threads.add(t);
            }
            final SloppyWatch sloppy = new SloppyWatch();
            threads.add(new Thread(() -> watchHints(sloppy), "chaos-hint-watch"));
            threads.forEach(Thread::start);
            runSchedule(schedule, origin);
            stopClients();
            healEverything();
            awaitFormed("the healed cluster is whole again", FORM_LIMIT);
            final Set<String> keys = finalReads(connections.subList(0, config.nodes()));
            for (final KvClient c : connections) {
                c.close();
            }
            connections.clear();
            for (final ChaosNode n : nodes) {
                n.stop();
            }
            final Map<String, Path> dataDirs = new LinkedHashMap<>();
            nodes.forEach(n -> dataDirs.put(n.name(), n.dataDir()));
            final FinalState state = StoredReplicas.read("bdb", dataDirs, keys, config.n());
            final History h = history.done();
            final CheckReport report = Checker.check(h, state, new RunFacts(config.nodes(), !schedule.nemeses().isEmpty(),
                sloppy.finish()));
            final ChaosResult result = summarize(h, state, report, schedule);
            passed = result.ok() && result.unrecovered().isEmpty();
            log.println(result.summary());
            return result;
        } finally {
            stopClients();
            for (final KvClient c : connections) {
                try {
                    c.close();
                } catch (final RuntimeException e) {
                    // closing is best effort once the run is over
                }
            }
            for (final ChaosNode n : nodes) {
                n.kill();
            }
            if (hosts != null) {
                hosts.close();
            }
            if (history != null) {
                write("history.txt", String.join("\n", history.done().lines()) + "\n");
                write("timeline.svg", Timeline.svg("chaos run, seed " + config.seed() + ", " + config.nodes() + " nodes"
                    + (config.nodeSettings().isEmpty() ? "" : " " + config.nodeSettings()), history.done(), schedule));
            }
            if (passed) {
                // The logs stay (small): their start times show where a restarted node's time goes.
                Hosts.deleteTree(dir.resolve("data"));
            }
        }
    }

    /** Polls every node's count of stand-in copies sent until the clients stop (see {@link SloppyWatch}). */
    private void watchHints(final SloppyWatch watch) {
        while (!stop.get()) {
            final long start = history.now();
            final Map<String, Double> counts = new LinkedHashMap<>();
            for (final ChaosNode n : nodes) {
                counts.put(n.name(), hintsSent(n));
            }
            watch.poll(start, history.now(), counts);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    /** The node's {@code armature.hints.sent} count, or null if it does not answer. */
    private Double hintsSent(final ChaosNode n) {
        try {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + n.endpoint() + "/status?metrics"))
                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            return r.body().lines().filter(l -> l.startsWith("meter armature.hints.sent ")).findFirst()
                .map(l -> Double.valueOf(l.substring(l.lastIndexOf(' ') + 1))).orElse(null);
        } catch (final IOException | RuntimeException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void stopClients() {
        stop.set(true);
        for (final Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private KvClient connect(final ChaosNode node) {
        final var transport = PluginRegistry.transport().get("aeron").create(TransportConfig.builder().build());
        try {
            return RemoteKvClient.connect(transport, new Endpoint(Hosts.HOST_ADDRESS, 0),
                List.of(new Endpoint(Hosts.address(node.number()), ChaosNode.PORT)),
                StoreSettings.builder().n(config.n()).r(config.r()).w(config.w()).build());
        } catch (final RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    private void formCluster() {
        nodes.get(0).start(Map.of());
        awaitUntil("n1 answers status", FORM_LIMIT, () -> members(nodes.get(0)) != null);
        for (int i = 1; i < nodes.size(); i++) {
            nodes.get(i).start(Map.of());
        }
        awaitFormed("every node sees all " + config.nodes() + " up, each owning partitions, on one ring", FORM_LIMIT);
        log.println("chaos: cluster formed");
    }

    private void awaitFormed(final String what, final Duration limit) {
        try {
            awaitUntil(what, limit, this::formed);
        } catch (final IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; last seen:\n" + String.join("\n", formation), e);
        }
    }

    /** What each node said at the last look, one line each: its ring epoch and each member's state (formation failures). */
    private final List<String> formation = new ArrayList<>();

    private boolean formed() {
        formation.clear();
        final Set<String> epochs = new TreeSet<>();
        boolean whole = true;
        for (final ChaosNode n : nodes) {
            final List<String> status = members(n);
            if (status == null) {
                formation.add("  " + n.name() + ": no answer");
                whole = false;
                continue;
            }
            int up = 0;
            final StringBuilder seen = new StringBuilder("  " + n.name() + ":");
            for (final String line : status) {
                final String[] p = line.split(" ");
                if (p[0].equals("ring") && p.length >= 2) {
                    epochs.add(p[1]);
                    seen.append(" ring ").append(p[1]);
                } else if (p[0].equals("member") && p.length >= 5) {
                    seen.append(", ").append(p[1]).append(' ').append(p[3]).append(p[4].equals("-") ? " (no partitions)" : "");
                    up += p[3].equals("up") && !p[4].equals("-") ? 1 : 0;
                }
            }
            formation.add(seen.toString());
            whole &= up == config.nodes();
        }
        return whole && epochs.size() == 1;
    }

    /** The node's status lines, or null if it does not answer. */
    private List<String> members(final ChaosNode n) {
        try {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + n.endpoint() + "/status"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().lines().toList() : null;
        } catch (final IOException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void awaitUntil(final String what, final Duration limit, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            for (final ChaosNode n : nodes) {
                if (n.pid() > 0 && !n.running()) {
                    throw new IllegalStateException(n.name() + " exited while waiting for " + what + "; see " + n.log());
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("after " + limit + ": not true: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    private void runSchedule(final ChaosSchedule schedule, final long origin) {
        for (final Nemesis n : schedule.nemeses()) {
            sleepUntil(origin, n.start());
            log.println(String.format(Locale.ROOT, "chaos: %5.1fs start %s", (System.nanoTime() - origin) / 1e9, n));
            apply(n);
            sleepUntil(origin, n.end());
            log.println(String.format(Locale.ROOT, "chaos: %5.1fs end   %s", (System.nanoTime() - origin) / 1e9, n));
            undo(n);
        }
        sleepUntil(origin, schedule.seconds() + TAIL_SECONDS);
    }

    private static void sleepUntil(final long origin, final int second) {
        final long at = origin + TimeUnit.SECONDS.toNanos(second);
        while (System.nanoTime() - at < 0) {
            LockSupport.parkNanos(at - System.nanoTime());
        }
    }

    private ChaosNode node(final int k) {
        return nodes.get(k - 1);
    }

    private void apply(final Nemesis n) {
        switch (n.kind()) {
            case PARTITION_HALVES, PARTITION_MAJORITY -> cutBetween(n.sides().get(0), n.sides().get(1));
            case PARTITION_BRIDGE -> cutBetween(n.sides().get(0), n.sides().get(1));
            case PARTITION_ONE_WAY -> {
                for (final int o : n.sides().get(0)) {
                    hosts.cut(o, n.node());
                }
            }
            case KILL -> {
                node(n.node()).kill();
                history.fault(FaultEvent.CRASH, node(n.node()).name(), "SIGKILL");
            }
            case PAUSE -> node(n.node()).pause();
            case WIPE -> {
                // recorded as a wipe when it restarts: its store is new, so the crash adds no actor of its own
                node(n.node()).kill();
                node(n.node()).wipe();
            }
            case CLOCK_JUMP -> clock(node(n.node()), TimeUnit.SECONDS.toMillis(config.clockJumpSeconds()));
        }
        if (n.kind().partition()) {
            history.fault("partition", null, n.kind().name().toLowerCase(Locale.ROOT) + " " + n.sides());
        } else if (n.kind() == Nemesis.Kind.PAUSE) {
            history.fault("pause", node(n.node()).name(), "SIGSTOP");
        } else if (n.kind() == Nemesis.Kind.CLOCK_JUMP) {
            history.fault("clock-jump", node(n.node()).name(), "+" + config.clockJumpSeconds() + "s");
        }
    }

    private void undo(final Nemesis n) {
        switch (n.kind()) {
            case PARTITION_HALVES, PARTITION_MAJORITY, PARTITION_BRIDGE, PARTITION_ONE_WAY -> {
                hosts.healAll();
                history.fault("heal", null, "");
            }
            case KILL -> {
                node(n.node()).start(Map.of());
                history.fault(FaultEvent.RESTART, node(n.node()).name(), "same data");
            }
            case PAUSE -> {
                node(n.node()).resume();
                history.fault("resume", node(n.node()).name(), "SIGCONT");
            }
            case WIPE -> {
                node(n.node()).start(Map.of());
                history.fault(FaultEvent.WIPE, node(n.node()).name(), "restarted with empty data");
            }
            case CLOCK_JUMP -> {
                clock(node(n.node()), 0);
                history.fault("clock-reset", node(n.node()).name(), "");
            }
        }
    }

    private void cutBetween(final List<Integer> a, final List<Integer> b) {
        for (final int x : a) {
            for (final int y : b) {
                hosts.cut(x, y);
                hosts.cut(y, x);
            }
        }
    }

    /**
     * Sets a node's clock offset through its hidden control endpoint (node.clock-offset), waiting
     * (bounded) for a node that is still starting after an earlier fault.
     */
    private void clock(final ChaosNode n, final long offsetMillis) {
        final String[] last = {"no answer"};
        awaitUntil("n" + n.number() + " takes the clock offset " + offsetMillis + " ms (" + last[0] + ")", FORM_LIMIT, () -> {
            try {
                setClock(n, offsetMillis);
                return true;
            } catch (final UncheckedIOException e) {
                last[0] = e.getCause().toString();
                return false;
            }
        });
    }

    private void setClock(final ChaosNode n, final long offsetMillis) {
        try {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + n.endpoint()
                    + "/control/clock-offset?millis=" + offsetMillis)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("clock offset on " + n.name() + " refused: HTTP " + r.statusCode() + " " + r.body());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("clock offset on " + n.name() + " failed", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void healEverything() {
        hosts.healAll();
        for (final ChaosNode n : nodes) {
            n.resume();
            if (!n.running()) {
                n.start(Map.of());
            }
        }
        for (int k = 1; k <= config.nodes(); k++) {
            final List<String> left = hosts.blackholes(k);
            if (!left.isEmpty()) {
                throw new IllegalStateException("n" + k + " still has blackhole routes after healing: " + left);
            }
        }
    }

    /** Reads every written key at R = N until each read succeeds (read repair), twice, within the repair bound. */
    private Set<String> finalReads(final List<KvClient> perNode) {
        final Set<String> keys = new TreeSet<>();
        for (final Operation op : history.done().operations()) {
            if (op.kind() != OpKind.GET) {
                keys.add(op.key());
            }
        }
        final ChaosClient reader = new ChaosClient("final", perNode, history, config, 0, () -> true);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.repairSeconds());
        for (int round = 0; round < 2; round++) {
            int first = 0;
            for (final String key : keys) {
                // Each key starts at another node, so that every node must coordinate after the heal.
                int node = first++;
                while (history.get(reader.get(node % config.nodes(), key, config.n())).outcome() != Outcome.OK) {
                    node++;
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("no read of " + key + " at R=N succeeded within " + config.repairSeconds() + " s");
                    }
                }
            }
            // read repair's writes are sent after the read answers: let them land
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
        }
        return keys;
    }

    private ChaosResult summarize(final History h, final FinalState state, final CheckReport report, final ChaosSchedule schedule) {
        int acked = 0;
        int ops = 0;
        final Map<String, int[]> availability = new TreeMap<>();
        final Map<String, Integer> byOutcome = new HashMap<>();
        for (final Operation op : h.operations()) {
            if (op.client().equals("final")) {
                continue;
            }
            ops++;
            byOutcome.merge(Timeline.category(op), 1, Integer::sum);
            if (op.isWrite() && op.outcome() == Outcome.OK) {
                acked++;
            }
            final Nemesis n = schedule.at(op.invokedAt() / 1e9);
            if (op.isWrite() && n != null && n.kind().partition()) {
                final int side = n.sideOf(Integer.parseInt(op.coordinator().substring(1)));
                final String label = String.format(Locale.ROOT, "%-18s side %s", n.kind().name().toLowerCase(Locale.ROOT),
                    sideName(n, side));
                final int[] c = availability.computeIfAbsent(label, x -> new int[2]);
                c[1]++;
                if (op.outcome() == Outcome.OK) {
                    c[0]++;
                }
            }
        }
        final List<String> recovery = new ArrayList<>();
        final List<String> unrecovered = new ArrayList<>();
        for (final Nemesis n : schedule.nemeses()) {
            final List<Integer> touched = n.kind().partition() ? n.sides().stream().flatMap(List::stream).sorted().toList() : List.of(n.node());
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-40s", n));
            for (final int k : touched) {
                final long end = TimeUnit.SECONDS.toNanos(n.end());
                long firstOk = Long.MAX_VALUE;
                for (final Operation op : h.operations()) {
                    if (op.outcome() == Outcome.OK && op.coordinator().equals("n" + k) && op.invokedAt() >= end) {
                        firstOk = Math.min(firstOk, op.completedAt());
                    }
                }
                final double secs = firstOk == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : (firstOk - end) / 1e9;
                line.append(String.format(Locale.ROOT, " n%d %s", k, Double.isInfinite(secs) ? "never" : String.format(Locale.ROOT, "%.1fs", secs)));
                if (secs > RECOVERY_LIMIT_SECONDS) {
                    unrecovered.add("n" + k + " after " + n + ": " + (Double.isInfinite(secs) ? "never served again" : "first served " + secs + " s later"));
                }
            }
            recovery.add(line.toString());
        }
        final long lost = report.violations().stream().filter(v -> v.guarantee() == Guarantee.NO_LOST_WRITE).count();
        final long resurrected = report.violations().stream().filter(v -> v.guarantee() == Guarantee.NO_RESURRECTION).count();
        final StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "chaos run seed %d: %d nodes, N=%d R=%d W=%d, %d clients, %d nemeses, %s%n",
            config.seed(), config.nodes(), config.n(), config.r(), config.w(), config.clients(), schedule.nemeses().size(),
            report.ok() ? "PASSED" : "FAILED"));
        s.append(String.format(Locale.ROOT, "operations %d (ok %d, failed %d, unknown %d), acknowledged writes %d, "
                + "writes lost %d, resurrections %d, keys checked %d%n", ops, byOutcome.getOrDefault("ok", 0),
            byOutcome.getOrDefault("failed", 0), byOutcome.getOrDefault("unknown", 0), acked, lost, resurrected, state.keys().size()));
        s.append("writes acknowledged during partitions, by coordinator's side:\n");
        availability.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %s %4d / %4d (%.0f%%)%n", k, v[0], v[1],
            v[1] == 0 ? 0.0 : 100.0 * v[0] / v[1])));
        s.append("first successful operation each node coordinated after each fault ended:\n");
        recovery.forEach(l -> s.append(l).append('\n'));
        unrecovered.forEach(u -> s.append("  NOT RECOVERED: ").append(u).append('\n'));
        s.append(report).append('\n');
        write("report.txt", report + "\n");
        write("summary.txt", s.toString());
        return new ChaosResult(report, h, schedule, dir, ops, acked, lost, resurrected, availability, unrecovered, s.toString());
    }

    private static String sideName(final Nemesis n, final int side) {
        if (side < 0) {
            return "?";
        }
        final String role = switch (n.kind()) {
            case PARTITION_MAJORITY -> side == 0 ? "majority" : "minority";
            case PARTITION_BRIDGE -> side == 2 ? "bridge" : side == 0 ? "A" : "B";
            case PARTITION_ONE_WAY -> side == 1 ? "deaf" : "others";
            default -> side == 0 ? "A" : "B";
        };
        return role + " " + n.sides().get(side);
    }

    private void write(final String name, final String text) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
