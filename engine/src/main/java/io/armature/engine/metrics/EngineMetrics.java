package io.armature.engine.metrics;

import io.armature.engine.wire.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The meters of one node, tagged with its id: request timers at the coordinator (with
 * percentiles), quorum failures, forwards, read repairs, sibling warnings and rejected frames.
 */
public final class EngineMetrics {
    /** Timer of coordinated requests, tagged {@code op}. */
    public static final String REQUESTS = "armature.requests";
    /** Counter of requests that missed their quorum, tagged {@code op}. */
    public static final String QUORUM_FAILURES = "armature.quorum.failures";
    /** Counter of writes forwarded to a preference-list node. */
    public static final String FORWARDED = "armature.requests.forwarded";
    /** Counter of read-repair writes sent. */
    public static final String READ_REPAIRS = "armature.read.repairs";
    /** Counter of hinted stand-in copies sent. */
    public static final String HINTS_SENT = "armature.hints.sent";
    /** Counter of writes above the sibling warning threshold. */
    public static final String SIBLING_WARNINGS = "armature.siblings.warnings";
    /** Counter of rejected frames, tagged {@code reason}. */
    public static final String FRAMES_REJECTED = "armature.frames.rejected";

    private final Timer get;
    private final Timer put;
    private final Timer delete;
    private final Counter quorumGet;
    private final Counter quorumPut;
    private final Counter quorumDelete;
    private final Counter forwarded;
    private final Counter readRepairs;
    private final Counter hintsSent;
    private final Counter siblingWarnings;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    /**
     * @param registry where to register
     * @param node the node id, as tag {@code node}
     */
    public EngineMetrics(final MeterRegistry registry, final String node) {
        get = timer(registry, node, "get");
        put = timer(registry, node, "put");
        delete = timer(registry, node, "delete");
        quorumGet = Counter.builder(QUORUM_FAILURES).tag("node", node).tag("op", "get").register(registry);
        quorumPut = Counter.builder(QUORUM_FAILURES).tag("node", node).tag("op", "put").register(registry);
        quorumDelete = Counter.builder(QUORUM_FAILURES).tag("node", node).tag("op", "delete").register(registry);
        forwarded = Counter.builder(FORWARDED).tag("node", node).register(registry);
        readRepairs = Counter.builder(READ_REPAIRS).tag("node", node).register(registry);
        hintsSent = Counter.builder(HINTS_SENT).tag("node", node).register(registry);
        siblingWarnings = Counter.builder(SIBLING_WARNINGS).tag("node", node).register(registry);
        for (final RejectReason r : RejectReason.values()) {
            rejected.put(r, Counter.builder(FRAMES_REJECTED).tag("node", node).tag("reason", r.tag()).register(registry));
        }
    }

    private static Timer timer(final MeterRegistry registry, final String node, final String op) {
        return Timer.builder(REQUESTS).tag("node", node).tag("op", op)
            .publishPercentiles(0.5, 0.99, 0.999).register(registry);
    }

    /**
     * @param op "get", "put" or "delete"
     * @return its timer
     */
    public Timer timer(final String op) {
        return "get".equals(op) ? get : "put".equals(op) ? put : delete;
    }

    /**
     * @param op "get", "put" or "delete"
     */
    public void quorumFailure(final String op) {
        ("get".equals(op) ? quorumGet : "put".equals(op) ? quorumPut : quorumDelete).increment();
    }

    /** A write was forwarded. */
    public void forwarded() {
        forwarded.increment();
    }

    /** A read repair was sent. */
    public void readRepair() {
        readRepairs.increment();
    }

    /** A hinted stand-in copy was sent. */
    public void hintSent() {
        hintsSent.increment();
    }

    /** A write left a key above the sibling warning threshold. */
    public void siblingWarning() {
        siblingWarnings.increment();
    }

    /**
     * @param reason why a frame was rejected
     */
    public void rejected(final RejectReason reason) {
        rejected.get(reason).increment();
    }
}
