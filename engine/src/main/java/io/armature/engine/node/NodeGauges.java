package io.armature.engine.node;

import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageStats;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The meters an operator watches besides the request meters: what the storage and transport
 * plugins report of themselves ({@link StorageEngine#stats()}, {@link Transport#stats()}; only the
 * figures a plugin measures are registered), sends that failed by reason, and the partitions in
 * transfer. A node restarted in the same registry replaces its earlier life's meters, which would
 * otherwise keep reporting the old storage and transport.
 */
public final class NodeGauges {
    /** Bytes of the storage's files on disk. */
    public static final String STORAGE_DISK = "armature.storage.disk";
    /** The most bytes the storage's own cache may hold. */
    public static final String STORAGE_CACHE_SIZE = "armature.storage.cache.size";
    /** Bytes the storage's own cache holds. */
    public static final String STORAGE_CACHE_USED = "armature.storage.cache.used";
    /** Bytes compaction may still reclaim in the storage (JE: obsolete log data, cleaned files not yet deleted). */
    public static final String STORAGE_CLEANER_BACKLOG = "armature.storage.cleaner.backlog";
    /** Sends that found the link full at least once, sent after the wait or dropped. */
    public static final String TRANSPORT_BACK_PRESSURE = "armature.transport.back.pressure";
    /** Sends that did not leave, by {@code reason}: not_connected, back_pressured, closed, error. */
    public static final String SENDS_FAILED = "armature.sends.failed";
    /** Partitions in transfer, by {@code direction}: in (this node still pulls), out (others still pull from it). */
    public static final String TRANSFERS_PENDING = "armature.transfers.pending";
    /** Partitions this node lost and keeps until their gainers hold them. */
    public static final String TRANSFERS_RELEASING = "armature.transfers.releasing";

    private static final String ERROR = "error";
    private static final List<String> NAMES = List.of(STORAGE_DISK, STORAGE_CACHE_SIZE, STORAGE_CACHE_USED,
        STORAGE_CLEANER_BACKLOG, TRANSPORT_BACK_PRESSURE, SENDS_FAILED, TRANSFERS_PENDING, TRANSFERS_RELEASING);

    private final Map<SendStatus, Counter> failed = new EnumMap<>(SendStatus.class);
    private final Counter errors;
    private final AtomicLong transfersIn = new AtomicLong();
    private final AtomicLong transfersOut = new AtomicLong();
    private final AtomicLong releasing = new AtomicLong();

    /**
     * Registers the meters.
     *
     * @param node the node's id, the {@code node} tag
     * @param storage its storage
     * @param transport its transport
     * @param meters where to register
     */
    public NodeGauges(final String node, final StorageEngine storage, final Transport transport, final MeterRegistry meters) {
        for (final String name : NAMES) {
            for (final Meter m : meters.find(name).tag("node", node).meters()) {
                meters.remove(m);
            }
        }
        final StorageStats known = storage.stats();
        storageGauge(meters, node, STORAGE_DISK, storage, known.diskBytes(), StorageStats::diskBytes, "bytes");
        storageGauge(meters, node, STORAGE_CACHE_SIZE, storage, known.cacheBytes(), StorageStats::cacheBytes, "bytes");
        storageGauge(meters, node, STORAGE_CACHE_USED, storage, known.cacheUsedBytes(), StorageStats::cacheUsedBytes, "bytes");
        storageGauge(meters, node, STORAGE_CLEANER_BACKLOG, storage, known.cleanerBacklogBytes(), StorageStats::cleanerBacklogBytes, "bytes");
        if (transport.stats().backPressureEvents() != TransportStats.UNKNOWN) {
            FunctionCounter.builder(TRANSPORT_BACK_PRESSURE, transport, t -> t.stats().backPressureEvents())
                .tag("node", node).register(meters);
        }
        for (final SendStatus s : SendStatus.values()) {
            if (s != SendStatus.SENT) {
                failed.put(s, Counter.builder(SENDS_FAILED).tag("node", node).tag("reason", s.name().toLowerCase(Locale.ROOT))
                    .register(meters));
            }
        }
        errors = Counter.builder(SENDS_FAILED).tag("node", node).tag("reason", ERROR).register(meters);
        Gauge.builder(TRANSFERS_PENDING, transfersIn, AtomicLong::get).tag("node", node).tag("direction", "in").register(meters);
        Gauge.builder(TRANSFERS_PENDING, transfersOut, AtomicLong::get).tag("node", node).tag("direction", "out").register(meters);
        Gauge.builder(TRANSFERS_RELEASING, releasing, AtomicLong::get).tag("node", node).register(meters);
    }

    private static void storageGauge(final MeterRegistry meters, final String node, final String name, final StorageEngine storage,
                                     final long known, final ToDoubleFunction<StorageStats> figure, final String unit) {
        if (known == StorageStats.UNKNOWN) {
            return;
        }
        // Strong: the registry, not a weak reference the collector may clear, decides when it goes (on the node's next life).
        Gauge.builder(name, storage, s -> figure.applyAsDouble(s.stats())).tag("node", node).baseUnit(unit).strongReference(true)
            .register(meters);
    }

    /**
     * @param status what a send returned; {@link SendStatus#SENT} is not counted
     */
    void sent(final SendStatus status) {
        if (status != SendStatus.SENT) {
            failed.get(status).increment();
        }
    }

    /** A send that threw (a message too large, a transport bug): counted as reason {@code error}. */
    void sendError() {
        errors.increment();
    }

    /**
     * Updates the transfer gauges, on the event loop (the scrape reads the last figures from any thread).
     *
     * @param in partitions this node still pulls
     * @param out partitions others still pull from it
     * @param held partitions it lost and keeps until their gainers hold them
     */
    void transfers(final int in, final int out, final int held) {
        transfersIn.set(in);
        transfersOut.set(out);
        releasing.set(held);
    }
}
