package io.armature.samples.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies and errors of one operation type. Workers record from any thread through an
 * HdrHistogram {@link Recorder}; the reporter thread drains interval histograms into the total.
 */
final class OpStats {
    /** Longest latency tracked exactly: anything above counts as this (a request's deadline is far below). */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Operation operation;
    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
    private final Histogram total = new Histogram(HIGHEST_NANOS, 3);
    private final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
    private Histogram interval;

    OpStats(final Operation operation) {
        this.operation = operation;
    }

    Operation operation() {
        return operation;
    }

    void record(final long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos, 1), HIGHEST_NANOS));
    }

    void error(final Throwable e) {
        errors.increment();
        errorKinds.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
    }

    /**
     * Moves what was recorded since the last call into the total. Call from one thread only.
     *
     * @return the interval's histogram (reused by the next call: copy it to keep it)
     */
    synchronized Histogram drainInterval() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval;
    }

    synchronized Histogram total() {
        return total.copy();
    }

    long errors() {
        return errors.sum();
    }

    Map<String, Long> errorKinds() {
        final Map<String, Long> kinds = new TreeMap<>();
        errorKinds.forEach((k, v) -> kinds.put(k, v.sum()));
        return kinds;
    }
}
