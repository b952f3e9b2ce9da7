package io.armature.samples.bench;

import java.util.Locale;

/**
 * The mix of operations in the run phase, after YCSB's core workloads (Cooper et al., "Benchmarking
 * Cloud Serving Systems with YCSB", SoCC 2010).
 */
public enum Workload {
    /** Update heavy: 50% reads, 50% read-modify-write updates (YCSB A). */
    A(0.50, 0.50),
    /** Read mostly: 95% reads, 5% updates (YCSB B). */
    B(0.95, 0.05),
    /** Read only (YCSB C). */
    C(1.00, 0.00),
    /** Write only: every operation a write with the key's last known context (no read first). */
    W(0.00, 0.00);

    private final double readProportion;
    private final double updateProportion;

    Workload(final double readProportion, final double updateProportion) {
        this.readProportion = readProportion;
        this.updateProportion = updateProportion;
    }

    /**
     * @param u a uniform number in [0, 1)
     * @return the operation it picks
     */
    public Operation pick(final double u) {
        if (u < readProportion) {
            return Operation.READ;
        }
        if (u < readProportion + updateProportion) {
            return Operation.UPDATE;
        }
        return Operation.WRITE;
    }

    /**
     * @return the lower-case name used on the command line
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
