package io.armature.spi.storage;

/**
 * What a storage engine reports of itself for an operator's gauges ({@link StorageEngine#stats()}).
 * Each figure is a snapshot, {@link #UNKNOWN} when the engine does not measure it; the node
 * exports only the figures an engine knows.
 *
 * @param diskBytes bytes of the engine's files on disk (for a log-structured engine the whole log,
 *     live and obsolete), or {@link #UNKNOWN}
 * @param cacheBytes the most bytes the engine's own cache may hold, or {@link #UNKNOWN}
 * @param cacheUsedBytes bytes its cache holds now, or {@link #UNKNOWN}
 * @param cleanerBacklogBytes bytes compaction may still reclaim (obsolete data in a log-structured
 *     engine's files, and files cleaned but not yet deleted), or {@link #UNKNOWN}
 */
public record StorageStats(long diskBytes, long cacheBytes, long cacheUsedBytes, long cleanerBacklogBytes) {
    /** A figure the engine does not measure. */
    public static final long UNKNOWN = -1;

    /** Nothing measured: the default of {@link StorageEngine#stats()}. */
    public static final StorageStats NONE = new StorageStats(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);

    /**
     * Validates the figures.
     */
    public StorageStats {
        if (diskBytes < UNKNOWN || cacheBytes < UNKNOWN || cacheUsedBytes < UNKNOWN || cleanerBacklogBytes < UNKNOWN) {
            throw new IllegalArgumentException("storage stats are at least 0, or UNKNOWN (-1): disk " + diskBytes + ", cache "
                + cacheBytes + ", cache used " + cacheUsedBytes + ", cleaner backlog " + cleanerBacklogBytes);
        }
    }
}
