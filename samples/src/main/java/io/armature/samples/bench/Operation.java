package io.armature.samples.bench;

import java.util.Locale;

/**
 * What the benchmark measures, one histogram each.
 */
public enum Operation {
    /** Load phase: a write of a new record. */
    INSERT,
    /** A read (get with the store's or the given R). */
    READ,
    /** Read-modify-write: a get, then a put with the read's context (YCSB's update on a versioned store). */
    UPDATE,
    /** A put with the key's last known context, without reading first (workload W). */
    WRITE;

    /**
     * @return the lower-case name used in reports
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
