package io.armature.samples.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * What one phase (load or run) measured.
 *
 * @param phase {@code load} or {@code run}
 * @param elapsedNanos wall time from the first request to the last answer
 * @param cutShort true if the duration cap stopped the phase before all its operations
 * @param operations one entry per operation type that ran
 */
public record PhaseResult(String phase, long elapsedNanos, boolean cutShort, List<OpResult> operations) {
    /**
     * @return successful operations of every type
     */
    public long completed() {
        return operations.stream().mapToLong(o -> o.latencies().getTotalCount()).sum();
    }

    /**
     * @return failed operations of every type
     */
    public long errors() {
        return operations.stream().mapToLong(OpResult::errors).sum();
    }

    /**
     * @return successful operations per second
     */
    public double throughput() {
        return elapsedNanos == 0 ? 0 : completed() * 1e9 / elapsedNanos;
    }

    /**
     * One operation type's figures.
     *
     * @param operation the operation
     * @param latencies latencies of the successful ones, in nanoseconds
     * @param errors failed ones
     * @param errorKinds failed ones by exception type
     */
    public record OpResult(Operation operation, Histogram latencies, long errors, Map<String, Long> errorKinds) {
    }
}
