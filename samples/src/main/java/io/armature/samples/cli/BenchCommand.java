package io.armature.samples.cli;

import io.armature.api.Consistency;
import io.armature.api.KvClient;
import io.armature.samples.bench.BenchConfig;
import io.armature.samples.bench.BenchReport;
import io.armature.samples.bench.BenchRunner;
import io.armature.samples.bench.CpuUsage;
import io.armature.samples.bench.PhaseResult;
import io.armature.samples.bench.Workload;
import io.armature.spi.transport.Endpoint;
import org.HdrHistogram.HistogramLogWriter;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code armature bench}: a YCSB-style load phase then run phase against an embedded cluster or
 * a running one, with a progress line a second on standard error and HdrHistogram percentiles at
 * the end.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"YCSB-style benchmark: load --records records, then run --operations operations of a workload.",
        "Workloads: a = 50%% read / 50%% update, b = 95/5, c = read only, w = write only.",
        "An update is a read-modify-write with the read's context, as on any versioned store."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    ArmatureCli parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--workload", defaultValue = "a", paramLabel = "a|b|c|w", converter = WorkloadConverter.class,
        description = "Operation mix (default: ${DEFAULT-VALUE}).")
    Workload workload;

    @Option(names = "--distribution", defaultValue = "zipfian", paramLabel = "zipfian|uniform",
        description = "Key popularity (default: ${DEFAULT-VALUE}).")
    String distribution;

    @Option(names = "--records", defaultValue = "10000", description = "Records loaded (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--operations", defaultValue = "100000", description = "Operations in the run phase (default: ${DEFAULT-VALUE}).")
    long operations;

    @Option(names = "--threads", defaultValue = "4", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--outstanding", defaultValue = "8",
        description = "Asynchronous requests in flight per thread, at most (default: ${DEFAULT-VALUE}).")
    int outstanding;

    @Option(names = "--value-size", defaultValue = "1024", description = "Bytes per value (default: ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--duration", defaultValue = "60s", converter = Converters.DurationConverter.class,
        description = "Cap on each phase, like 30s or 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "10s", converter = Converters.NonNegativeDurationConverter.class,
        description = "Run the mix this long before the measured run, and forget it: the JIT compiles and caches fill "
            + "first (default: ${DEFAULT-VALUE}; 0s for none).")
    Duration warmup;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "A plugin or node setting of the embedded cluster, repeatable: bdb.durability=no-sync, "
            + "aeron.idle-yields=100, node.record-cache=256m.")
    Map<String, String> settings;

    @Option(names = "--n", description = "Replicas per key N (embedded cluster only; default 3).")
    Integer n;

    @Option(names = "--r", description = "Read quorum R (default: the store's).")
    Integer r;

    @Option(names = "--w", description = "Write quorum W (default: the store's).")
    Integer w;

    @Option(names = "--storage", defaultValue = "bdb", description = "Storage plugin of the embedded cluster (default: ${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--transport", defaultValue = "aeron", description = "Transport plugin of the embedded cluster (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the key choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--secret-file", paramLabel = "PATH", description = "The cluster secret of a running cluster, if it has one.")
    Path secretFile;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--target", paramLabel = "OPS", defaultValue = "0",
        description = "Offer OPS operations a second in all during the warm-up and the run, on a fixed schedule (open loop; "
            + "latencies count from each operation's intended start). 0 (default): closed loop, as fast as the in-flight budget allows.")
    double targetOps;

    @Option(names = "--cpu-pid", split = ",", paramLabel = "PID",
        description = "Processes on this machine (the nodes) whose CPU seconds during the run, and resident memory after it, "
            + "go into the JSON and --row; this process's own CPU is always measured.")
    List<Long> cpuPids;

    @Option(names = "--row", description = "Print the run as one Markdown table row: ops/s, read p99, update p99, CPU, RSS per node.")
    boolean row;

    @Option(names = "--row-label", paramLabel = "TEXT", defaultValue = "Armature",
        description = "First cell of the --row (default: ${DEFAULT-VALUE}).")
    String rowLabel;

    @Option(names = "--hdr-log", paramLabel = "FILE", description = "Write per-second latency histograms (HdrHistogram log) to FILE.")
    Path hdrLog;

    /** Where to run: exactly one of these. */
    static final class Target {
        @Option(names = "--embedded", paramLabel = "S", description = "Start an S-node cluster in this JVM.")
        Integer embedded;

        @Option(names = "--cluster", split = ",", paramLabel = "HOST:PORT", converter = Converters.EndpointConverter.class,
            description = "Measure a running cluster.")
        List<Endpoint> cluster;
    }

    @Override
    public Integer call() throws IOException {
        final CommandLine cl = spec.commandLine();
        if (!distribution.equals("zipfian") && !distribution.equals("uniform")) {
            throw new CommandLine.ParameterException(cl, "--distribution must be zipfian or uniform, was '" + distribution + "'");
        }
        if (target.cluster != null && settings != null) {
            throw new CommandLine.ParameterException(cl, "--set configures an embedded cluster: a running cluster's nodes have their own");
        }
        final PluginSettings routed;
        try {
            routed = PluginSettings.route(settings, storage, transport);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if (target.cluster != null && n != null) {
            throw new CommandLine.ParameterException(cl, "--n sets up an embedded cluster: a running cluster's N is its own");
        }
        final BenchConfig config;
        try {
            Consistency c = Consistency.defaults();
            if (r != null) {
                c = c.withR(r);
            }
            if (w != null) {
                c = c.withW(w);
            }
            config = new BenchConfig(workload, distribution.equals("zipfian"), records, operations, threads, outstanding,
                valueSize, duration, c, seed, targetOps);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        final PrintStream out = new PrintStream(new WriterOutputStream(cl.getOut()), true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(new WriterOutputStream(cl.getErr()), true, StandardCharsets.UTF_8);
        try (BenchTarget bench = open(err, routed)) {
            out.printf(Locale.ROOT, "bench: workload %s, %s keys, %d records, %d operations, %d threads x %d outstanding, %d-byte values, %s, on %s%n",
                workload.id(), distribution, records, operations, threads, outstanding, valueSize,
                config.openLoop() ? String.format(Locale.ROOT, "open loop at %.0f ops/s", targetOps) : "closed loop", bench.description());
            final HistogramLogWriter log = hdrLog == null ? null : openLog(hdrLog);
            try {
                final BenchRunner runner = new BenchRunner(bench.client(), config, err, log);
                final PhaseResult load = runner.load();
                BenchReport.printTable(load, out);
                long failed = load.errors();
                if (!warmup.isZero()) {
                    final PhaseResult warm = runner.warmup(warmup);
                    failed += warm.errors();
                    out.printf(Locale.ROOT, "warmup: %d operations in %.1f s, not counted%s%n", warm.completed(), warm.elapsedNanos() / 1e9,
                        warm.errors() == 0 ? "" : ", " + warm.errors() + " failed");
                }
                final CpuUsage cpu = CpuUsage.start(cpuPids == null ? List.of() : cpuPids);
                final PhaseResult run = runner.run();
                final CpuUsage.Result used = cpu.stop();
                failed += run.errors();
                BenchReport.printTable(run, out);
                if (row) {
                    out.println(BenchReport.row(rowLabel, run, used));
                }
                if (json != null) {
                    Files.writeString(json, BenchReport.json(settingsJson(bench.description()) + ",\"run_cpu\":{" + used.jsonMembers() + "}",
                        List.of(load, run)) + "\n");
                }
                if (failed > 0) {
                    err.printf(Locale.ROOT, "bench: %d operations failed%n", failed);
                    return ExitCodes.OPERATIONS_FAILED;
                }
            } finally {
                if (log != null) {
                    log.close();
                }
            }
        }
        return ExitCodes.OK;
    }

    private BenchTarget open(final PrintStream err, final PluginSettings routed) {
        if (target.cluster != null) {
            final KvClient client = parent.connector().connect(target.cluster, ClusterOptions.readSecret(secretFile));
            return BenchTarget.of(client, "cluster " + target.cluster);
        }
        return EmbeddedBench.start(target.embedded, storage, transport, n, r, w, routed);
    }

    private String settingsJson(final String on) {
        return "\"workload\":" + Json.string(workload.id()) + ",\"distribution\":" + Json.string(distribution)
            + ",\"records\":" + records + ",\"operations\":" + operations + ",\"threads\":" + threads
            + ",\"warmup_seconds\":" + warmup.toSeconds() + ",\"target_ops\":" + targetOps + ",\"outstanding\":" + outstanding + ",\"value_size\":" + valueSize + ",\"target\":" + Json.string(on);
    }

    private static HistogramLogWriter openLog(final Path file) {
        try {
            final HistogramLogWriter log = new HistogramLogWriter(file.toFile());
            final long now = System.currentTimeMillis();
            log.outputLogFormatVersion();
            log.outputComment("armature bench: latencies in nanoseconds, tagged PHASE.OPERATION");
            log.outputStartTime(now);
            log.setBaseTime(now);
            log.outputBaseTime(now);
            log.outputLegend();
            return log;
        } catch (final FileNotFoundException e) {
            throw new UncheckedIOException("cannot write --hdr-log " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code a|b|c|w}, case-insensitive. */
    static final class WorkloadConverter implements CommandLine.ITypeConverter<Workload> {
        @Override
        public Workload convert(final String value) {
            try {
                return Workload.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("workload must be a, b, c or w, was '" + value + "'");
            }
        }
    }
}
