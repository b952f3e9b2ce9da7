package io.armature.samples.bench;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.samples.testing.FakeKvClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.EncodableHistogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchRunnerTest {
    private static BenchConfig config(final Workload w, final long records, final long ops) {
        return new BenchConfig(w, true, records, ops, 3, 4, 64, Duration.ofSeconds(30), Consistency.defaults(), 7);
    }

    private static long count(final PhaseResult r, final Operation op) {
        return r.operations().stream().filter(o -> o.operation() == op).mapToLong(o -> o.latencies().getTotalCount()).sum();
    }

    @Test
    void loadWritesEveryRecordOnceThenRunDoesTheMixItWasAsked() {
        final FakeKvClient kv = new FakeKvClient();
        final BenchRunner runner = new BenchRunner(kv, config(Workload.A, 200, 1000), null, null);
        final PhaseResult load = runner.load();
        assertEquals(200, load.completed());
        assertEquals(0, load.errors());
        for (int i = 0; i < 200; i++) {
            assertEquals(1, kv.blocking().get(BenchRunner.key(i)).values().size(), "record " + i);
        }
        final PhaseResult run = runner.run();
        assertFalse(run.cutShort());
        assertEquals(1000, run.completed());
        assertTrue(count(run, Operation.READ) > 350 && count(run, Operation.UPDATE) > 350, "about half each: " + run);
        for (int i = 0; i < 200; i++) {
            assertTrue(kv.blocking().get(BenchRunner.key(i)).values().size() <= 3,
                "updates carry the read's context, so siblings only come from truly concurrent updates");
        }
    }

    @Test
    void workloadCOnlyReadsAndWorkloadWOnlyWrites() {
        final FakeKvClient kv = new FakeKvClient();
        final BenchRunner c = new BenchRunner(kv, config(Workload.C, 50, 300), null, null);
        c.load();
        final PhaseResult reads = c.run();
        assertEquals(300, count(reads, Operation.READ));
        assertEquals(1, reads.operations().size());

        final FakeKvClient kv2 = new FakeKvClient();
        final BenchRunner w = new BenchRunner(kv2, new BenchConfig(Workload.W, true, 50, 300, 1, 1, 16, Duration.ofSeconds(30),
            Consistency.defaults(), 1), null, null);
        w.load();
        final PhaseResult writes = w.run();
        assertEquals(300, count(writes, Operation.WRITE));
        for (int i = 0; i < 50; i++) {
            assertEquals(1, kv2.blocking().get(BenchRunner.key(i)).values().size(),
                "one sequential writer with each key's last context never makes a sibling");
        }
    }

    @Test
    void errorsAreCountedByKindAndNotTimed() {
        final FakeKvClient kv = new FakeKvClient();
        kv.failWith(new QuorumNotReachedException("get", 2, 1));
        final PhaseResult r = new BenchRunner(kv, config(Workload.C, 10, 100), null, null).run();
        assertEquals(0, r.completed());
        assertEquals(100, r.errors());
        assertEquals(100L, r.operations().get(0).errorKinds().get("QuorumNotReachedException"));
    }

    @Test
    void theDurationCapStopsAPhase() {
        final FakeKvClient kv = new FakeKvClient();
        final BenchConfig slow = new BenchConfig(Workload.C, false, 10, Long.MAX_VALUE / 2, 1, 1, 8, Duration.ofMillis(300),
            Consistency.defaults(), 1);
        final PhaseResult r = new BenchRunner(kv, slow, null, null).run();
        assertTrue(r.cutShort());
        assertTrue(r.elapsedNanos() < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void progressAndHdrLogAreWrittenAndTheReportsNameEveryPercentile(@TempDir final Path dir) throws Exception {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final Path logFile = dir.resolve("bench.hlog");
        final HistogramLogWriter log = new HistogramLogWriter(logFile.toFile());
        log.outputLogFormatVersion();
        final FakeKvClient kv = new FakeKvClient();
        final BenchRunner runner = new BenchRunner(kv, config(Workload.B, 100, 500), new PrintStream(progress, true, StandardCharsets.UTF_8), log);
        final PhaseResult load = runner.load();
        final PhaseResult run = runner.run();
        log.close();
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("[run "), progress.toString(StandardCharsets.UTF_8));

        final Set<String> tags = new HashSet<>();
        final HistogramLogReader reader = new HistogramLogReader(logFile.toFile());
        long total = 0;
        for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
            tags.add(h.getTag());
            total += ((Histogram) h).getTotalCount();
        }
        reader.close();
        assertTrue(tags.containsAll(Set.of("load.insert", "run.read")), tags.toString());
        assertEquals(600, total, "every timed operation is in the log");

        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        BenchReport.printTable(run, new PrintStream(table, true, StandardCharsets.UTF_8));
        final String text = table.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("run phase: 500 operations in "), text);
        assertTrue(text.contains("p50 ms") && text.contains("p99.9 ms") && text.contains("max ms"), text);

        final String json = BenchReport.json("\"workload\":\"b\"", List.of(load, run));
        assertTrue(json.startsWith("{\"workload\":\"b\",\"phases\":[{\"phase\":\"load\""), json);
        for (final String field : new String[] {"\"p50_us\":", "\"p95_us\":", "\"p99_us\":", "\"p99_9_us\":", "\"max_us\":", "\"throughput\":"}) {
            assertTrue(json.contains(field), field + " in " + json);
        }
    }

    @Test
    void aTargetRateHoldsTheOfferedLoadInsteadOfRunningFlatOut() {
        final FakeKvClient kv = new FakeKvClient();
        final BenchConfig paced = new BenchConfig(Workload.C, false, 10, Long.MAX_VALUE / 2, 3, 4, 8, Duration.ofMillis(500),
            Consistency.defaults(), 1, 2000);
        final PhaseResult r = new BenchRunner(kv, paced, null, null).run();
        assertTrue(r.cutShort(), "the duration ends an open-loop run");
        // 2,000 ops/s for 0.5 s schedules 1,000; an instant fake would do far more flat out.
        assertTrue(r.completed() <= 1000 + 3, "no more than the schedule: " + r.completed());
        assertTrue(r.completed() >= 300, "the schedule is kept up with, even late: " + r.completed());
    }

    @Test
    void anOpenLoopCountsAStallAsLatencyOfEveryOperationScheduledDuringIt() {
        final FakeKvClient kv = new FakeKvClient();
        final AtomicBoolean first = new AtomicBoolean(true);
        // The first read takes 200 ms; with one slot in flight, all reads due meanwhile wait for it.
        final KvClient stalling = new KvClient() {
            @Override
            public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final Consistency c) {
                if (first.getAndSet(false)) {
                    return CompletableFuture.supplyAsync(() -> kv.get(key, c).join(),
                        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
                }
                return kv.get(key, c);
            }

            @Override
            public CompletableFuture<ReadResult<byte[]>> put(final byte[] key, final byte[] value, final Context context, final Consistency c) {
                return kv.put(key, value, context, c);
            }

            @Override
            public CompletableFuture<ReadResult<byte[]>> delete(final byte[] key, final Context context, final Consistency c) {
                return kv.delete(key, context, c);
            }

            @Override
            public void close() {
            }
        };
        final BenchConfig paced = new BenchConfig(Workload.C, false, 10, Long.MAX_VALUE / 2, 1, 1, 8, Duration.ofMillis(600),
            Consistency.defaults(), 1, 1000);
        final PhaseResult r = new BenchRunner(stalling, paced, null, null).run();
        final Histogram h = r.operations().get(0).latencies();
        // Reads due in the stall's first 100 ms all finish after it, so at least ~100 of them
        // show >= 100 ms; a closed loop (timing from the actual send) would show just one.
        final long slow = h.getTotalCount() - h.getCountBetweenValues(0, TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(slow >= 50, "reads delayed by the stall count it: " + slow + " of " + h.getTotalCount());
    }

    @Test
    void aNegativeOrNanTargetIsRefused() {
        for (final double bad : new double[] {-1, Double.NaN, 1e9}) {
            assertThrows(IllegalArgumentException.class, () -> new BenchConfig(Workload.C, false, 10, 10, 1, 1, 8,
                Duration.ofSeconds(1), Consistency.defaults(), 1, bad), "target " + bad);
        }
    }
}
