package io.armature.samples.bench;

import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Runs the load phase and the run phase of a YCSB-style benchmark against any {@link KvClient}.
 * A fixed pool of worker threads each keeps at most {@code outstanding} asynchronous requests in
 * flight. Without a target rate the loop is closed (a slow cluster slows the offered load instead
 * of queueing without bound); with one ({@link BenchConfig#targetOpsPerSecond()}) the warm-up and
 * the run issue operations at fixed intended start times and time each from its intended start,
 * so waiting for an in-flight slot counts as latency (coordinated omission corrected). The load
 * phase always runs closed-loop with the same in-flight budget as the run. This is a
 * command-line tool, not engine logic: it reads the wall clock and owns threads.
 */
public final class BenchRunner {
    /** How long to wait for requests still in flight after a phase's deadline; each has its own timeout. */
    private static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final KvClient client;
    private final BenchConfig config;
    private final KeyChooser keys;
    private final PrintStream progress;
    private final HistogramLogWriter hdrLog;
    private final AtomicReferenceArray<Context> lastContexts;
    /** When the progress line was last printed; only the ticker thread (then the phase's thread) touch it. */
    private volatile long lastTick = Long.MIN_VALUE;

    /**
     * @param client the cluster to measure
     * @param config the run's settings
     * @param progress where the once-a-second progress line goes (standard error), or null for none
     * @param hdrLog where interval histograms go, or null
     */
    public BenchRunner(final KvClient client, final BenchConfig config, final PrintStream progress, final HistogramLogWriter hdrLog) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.keys = config.keyChooser();
        this.progress = progress;
        this.hdrLog = hdrLog;
        // Only workload W writes without reading first, so only it needs each key's last context.
        if (config.workload() == Workload.W) {
            if (config.records() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("workload w keeps a context per record: at most " + (Integer.MAX_VALUE - 8) + " records");
            }
            this.lastContexts = new AtomicReferenceArray<>((int) config.records());
        } else {
            this.lastContexts = null;
        }
    }

    /**
     * Writes every record once.
     *
     * @return what the phase measured
     */
    public PhaseResult load() {
        final long records = config.records();
        final int threads = config.threads();
        return phase("load", List.of(Operation.INSERT), config.duration().toNanos(), 0, worker -> new OpSource() {
            private long next = worker;

            @Override
            public boolean hasNext() {
                return next < records;
            }

            @Override
            public void next(final Op op) {
                op.set(Operation.INSERT, next);
                next += threads;
            }
        });
    }

    /**
     * Runs the configured operation mix.
     *
     * @return what the phase measured
     */
    public PhaseResult run() {
        final long total = config.operations();
        final int threads = config.threads();
        return phase("run", mixKinds(), config.duration().toNanos(), workerIntervalNanos(), worker -> new OpSource() {
            private final SplittableRandom random = new SplittableRandom(config.seed() * 31 + worker);
            private long left = total / threads + (worker < total % threads ? 1 : 0);

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public void next(final Op op) {
                left--;
                op.set(config.workload().pick(random.nextDouble()), keys.next(random));
            }
        });
    }

    /**
     * Runs the configured mix for a while and forgets what it measured: the JIT compiles the
     * request path and the caches fill before the measured run, as on any long-running node.
     * Its progress lines go out as usual, tagged {@code warmup}.
     *
     * @param length how long to run
     * @return what the warm-up measured (to show, not to report)
     */
    public PhaseResult warmup(final java.time.Duration length) {
        return phase("warmup", mixKinds(), length.toNanos(), workerIntervalNanos(), worker -> new OpSource() {
            private final SplittableRandom random = new SplittableRandom(config.seed() * 37 + worker + 1_000_003);

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public void next(final Op op) {
                op.set(config.workload().pick(random.nextDouble()), keys.next(random));
            }
        });
    }

    /** Nanoseconds between two intended starts of one worker, or 0 for a closed loop. */
    private long workerIntervalNanos() {
        return config.openLoop() ? Math.max(1, Math.round(1e9 * config.threads() / config.targetOpsPerSecond())) : 0;
    }

    private List<Operation> mixKinds() {
        final List<Operation> kinds = new ArrayList<>();
        for (final Operation o : List.of(Operation.READ, Operation.UPDATE, Operation.WRITE)) {
            if (o == Operation.WRITE ? config.workload() == Workload.W : isInMix(o)) {
                kinds.add(o);
            }
        }
        return kinds;
    }

    private boolean isInMix(final Operation o) {
        for (int i = 0; i < 100; i++) {
            if (config.workload().pick(i / 100.0) == o) {
                return true;
            }
        }
        return false;
    }

    private PhaseResult phase(final String name, final List<Operation> kinds, final long lengthNanos, final long intervalNanos,
                              final IntFunction<OpSource> sources) {
        final Map<Operation, OpStats> stats = new EnumMap<>(Operation.class);
        for (final Operation o : kinds) {
            stats.put(o, new OpStats(o));
        }
        final LongAdder done = new LongAdder();
        final AtomicBoolean cutShort = new AtomicBoolean();
        final long start = System.nanoTime();
        final long deadline = start + lengthNanos;
        final ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            final Thread t = new Thread(r, "armature-bench-" + name);
            t.setDaemon(true);
            return t;
        });
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "armature-bench-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> tick(name, stats, done, start), 1, 1, TimeUnit.SECONDS);
        try {
            final List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < config.threads(); w++) {
                final OpSource source = sources.apply(w);
                final int seed = w;
                workers.add(pool.submit(() -> {
                    work(source, stats, done, start, deadline, intervalNanos, cutShort, seed);
                    return null;
                }));
            }
            for (final Future<?> f : workers) {
                f.get();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            cutShort.set(true);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("benchmark worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            ticker.shutdown();
        }
        final long elapsed = System.nanoTime() - start;
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tick(name, stats, done, start);
        final List<PhaseResult.OpResult> results = new ArrayList<>();
        for (final OpStats s : stats.values()) {
            results.add(new PhaseResult.OpResult(s.operation(), s.total(), s.errors(), s.errorKinds()));
        }
        return new PhaseResult(name, elapsed, cutShort.get(), results);
    }

    private void work(final OpSource source, final Map<Operation, OpStats> stats, final LongAdder done, final long start,
                      final long deadline, final long intervalNanos, final AtomicBoolean cutShort, final int worker)
        throws InterruptedException {
        final Semaphore inflight = new Semaphore(config.outstanding());
        final SplittableRandom random = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (worker + 1)));
        final Op op = new Op();
        // Workers start staggered within one interval so that together they offer an even rate.
        long intended = start + intervalNanos * worker / config.threads();
        while (source.hasNext()) {
            if (intervalNanos > 0) {
                if (intended >= deadline) {
                    cutShort.set(true);
                    break;
                }
                for (long early = intended - System.nanoTime(); early > 0; early = intended - System.nanoTime()) {
                    LockSupport.parkNanos(early);
                }
            }
            final long wait = deadline - System.nanoTime();
            if (wait <= 0 || !inflight.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                cutShort.set(true);
                break;
            }
            source.next(op);
            final OpStats s = stats.get(op.operation);
            // Open loop: from the intended start, so time spent behind schedule is latency too.
            final long t0 = intervalNanos > 0 ? intended : System.nanoTime();
            intended += intervalNanos;
            CompletableFuture<?> f;
            try {
                f = issue(op.operation, op.record, random);
            } catch (final RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((r, e) -> {
                if (e == null) {
                    s.record(System.nanoTime() - t0);
                } else {
                    s.error(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                }
                done.increment();
                inflight.release();
            });
        }
        if (!inflight.tryAcquire(config.outstanding(), Math.max(0, deadline - System.nanoTime()) + DRAIN_GRACE_NANOS, TimeUnit.NANOSECONDS)) {
            cutShort.set(true);
        }
    }

    private CompletableFuture<?> issue(final Operation operation, final long record, final SplittableRandom random) {
        final byte[] key = key(record);
        switch (operation) {
            case READ:
                return client.get(key, config.consistency());
            case UPDATE:
                final byte[] value = value(random);
                return client.get(key, config.consistency())
                    .thenCompose(read -> client.put(key, value, read.context(), config.consistency()));
            case INSERT:
            case WRITE:
                final Context context = lastContexts == null ? null : lastContexts.get((int) record);
                final CompletableFuture<ReadResult<byte[]>> put =
                    client.put(key, value(random), context == null ? Context.empty() : context, config.consistency());
                return lastContexts == null ? put : put.thenApply(r -> {
                    lastContexts.set((int) record, r.context());
                    return r;
                });
            default:
                throw new IllegalStateException("unknown operation " + operation);
        }
    }

    private void tick(final String phase, final Map<Operation, OpStats> stats, final LongAdder done, final long start) {
        final StringBuilder line = new StringBuilder();
        final long now = System.nanoTime();
        final double seconds = (now - start) / 1e9;
        final long previous = lastTick < start ? start : lastTick;
        lastTick = now;
        long intervalCount = 0;
        final StringBuilder perOp = new StringBuilder();
        for (final OpStats s : stats.values()) {
            final Histogram h = s.drainInterval();
            intervalCount += h.getTotalCount();
            if (hdrLog != null) {
                h.setTag(phase + "." + s.operation().id());
                synchronized (hdrLog) {
                    hdrLog.outputIntervalHistogram(h);
                }
            }
            if (h.getTotalCount() > 0) {
                perOp.append(String.format(Locale.ROOT, "  %s p99=%.2fms", s.operation().id(), h.getValueAtPercentile(99) / 1e6));
            }
            if (s.errors() > 0) {
                perOp.append("  ").append(s.operation().id()).append(" errors=").append(s.errors());
            }
        }
        if (progress != null) {
            final double rate = now == previous ? 0 : intervalCount * 1e9 / (now - previous);
            line.append(String.format(Locale.ROOT, "[%s %5.1fs] %d ops, %.0f ops/s%s", phase, seconds, done.sum(), rate, perOp));
            progress.println(line);
            progress.flush();
        }
    }

    private byte[] value(final SplittableRandom random) {
        final byte[] v = new byte[config.valueSize()];
        random.nextBytes(v);
        return v;
    }

    /**
     * @param record a record number
     * @return its key, as YCSB names them
     */
    public static byte[] key(final long record) {
        return ("user" + record).getBytes(StandardCharsets.UTF_8);
    }

    /** The next operation of a worker: set in place to avoid an allocation per operation. */
    private static final class Op {
        Operation operation;
        long record;

        void set(final Operation operation, final long record) {
            this.operation = operation;
            this.record = record;
        }
    }

    /** A worker's sequence of operations. */
    private interface OpSource {
        boolean hasNext();

        void next(Op op);
    }
}
