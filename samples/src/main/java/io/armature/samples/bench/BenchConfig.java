package io.armature.samples.bench;

import io.armature.api.Consistency;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one benchmark run, validated once.
 *
 * @param workload the run phase's operation mix
 * @param zipfian Zipfian key choice if true, else uniform
 * @param records records loaded, then chosen from
 * @param operations operations in the run phase
 * @param threads worker threads
 * @param outstanding asynchronous requests each worker keeps in flight at most
 * @param valueSize bytes per value
 * @param duration cap on each phase
 * @param consistency per-call R and W (defaults: the store's)
 * @param seed seeds the workers' generators, so two runs choose the same keys
 * @param targetOpsPerSecond 0 for a closed loop (each worker keeps {@code outstanding} requests in
 *     flight); above 0, the warm-up and the run offer this many operations a second in all at a
 *     fixed schedule (open loop), and latencies count from each operation's scheduled start, so a
 *     stalled cluster shows as latency instead of as fewer requests (no coordinated omission)
 */
public record BenchConfig(Workload workload, boolean zipfian, long records, long operations, int threads,
                          int outstanding, int valueSize, Duration duration, Consistency consistency, long seed,
                          double targetOpsPerSecond) {
    /**
     * Validates the settings.
     */
    public BenchConfig {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(consistency, "consistency");
        check(records >= 1, "records must be at least 1, was " + records);
        check(operations >= 0, "operations must not be negative, was " + operations);
        check(threads >= 1 && threads <= 1024, "threads must be in 1..1024, was " + threads);
        check(outstanding >= 1 && outstanding <= 1024, "outstanding requests per thread must be in 1..1024, was " + outstanding);
        check(valueSize >= 0 && valueSize <= 1 << 20, "value-size must be in 0..1048576 bytes, was " + valueSize);
        check(!duration.isNegative() && !duration.isZero(), "duration must be positive, was " + duration);
        check(targetOpsPerSecond >= 0 && targetOpsPerSecond <= 1e8 && !Double.isNaN(targetOpsPerSecond),
            "target must be in 0..100000000 operations a second, was " + targetOpsPerSecond);
    }

    /**
     * A closed-loop run: each worker keeps at most {@code outstanding} requests in flight.
     *
     * @param workload the run phase's operation mix
     * @param zipfian Zipfian key choice if true, else uniform
     * @param records records loaded, then chosen from
     * @param operations operations in the run phase
     * @param threads worker threads
     * @param outstanding asynchronous requests each worker keeps in flight at most
     * @param valueSize bytes per value
     * @param duration cap on each phase
     * @param consistency per-call R and W (defaults: the store's)
     * @param seed seeds the workers' generators
     */
    public BenchConfig(final Workload workload, final boolean zipfian, final long records, final long operations, final int threads,
                       final int outstanding, final int valueSize, final Duration duration, final Consistency consistency, final long seed) {
        this(workload, zipfian, records, operations, threads, outstanding, valueSize, duration, consistency, seed, 0);
    }

    /**
     * @return true if the warm-up and the run follow a fixed schedule
     */
    public boolean openLoop() {
        return targetOpsPerSecond > 0;
    }

    private static void check(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * @return the key chooser this configuration asks for
     */
    public KeyChooser keyChooser() {
        return zipfian ? KeyChooser.zipfian(records) : KeyChooser.uniform(records);
    }
}
