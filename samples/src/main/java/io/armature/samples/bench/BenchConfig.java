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
 */
public record BenchConfig(Workload workload, boolean zipfian, long records, long operations, int threads,
                          int outstanding, int valueSize, Duration duration, Consistency consistency, long seed) {
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
