package io.armature.engine.repair;

import io.armature.engine.config.RepairSettings;
import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.Membership;
import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Clock;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hinted handoff delivery (Dynamo section 4.6, docs/repair.md): a stand-in hands the hints it
 * holds back to their owner once the failure detector sees the owner available, at a bounded rate,
 * and deletes each hint only after the owner acknowledged storing exactly that set. Hints live in
 * the HINTS keyspace, so delivery resumes after a restart of the stand-in. Event loop only.
 */
public final class HintedHandoff {
    /** Meter names. */
    public static final String PENDING = "armature.hints.pending";
    /** Hints the owner acknowledged. */
    public static final String DELIVERED = "armature.hints.delivered";
    /** Deliveries that could not be sent or were not acknowledged in time. */
    public static final String FAILED = "armature.hints.failed";

    private static final System.Logger LOG = System.getLogger(HintedHandoff.class.getName());
    private static final byte VERSION = 1;
    private static final int MAX_HINT_KEY = 1 + 64 + 2 + 8 + HintKey.MAX_KEY_BYTES;

    /** How the handoff reaches other nodes. */
    public interface Outbound {
        /**
         * @param to the receiver
         * @param message the body
         * @return true if sent
         */
        boolean send(Endpoint to, Message message);
    }

    private final NodeId self;
    private final ReplicaStore store;
    private final Membership membership;
    private final FailureDetector detector;
    private final Outbound out;
    private final Scheduler scheduler;
    private final Clock clock;
    private final RepairSettings settings;
    private final TokenBucket bucket;
    private final long ackTimeoutNanos;
    private record InFlight(NodeId owner, long sentNanos) {
    }

    /** Hint keys awaiting an ack. */
    private final Map<ByteBuffer, InFlight> inFlight = new HashMap<>();
    private final AtomicLong pending = new AtomicLong();
    /** Owners with hints whose last delivery was skipped or failed. */
    private final java.util.Set<NodeId> waiting = new java.util.HashSet<>();
    private final Counter delivered;
    private final Counter failed;
    private Cancellable periodic;
    private Cancellable retry;
    private boolean running;

    /**
     * @param self this node
     * @param store where the hints are
     * @param membership the ring and endpoints
     * @param detector who is available
     * @param out how to send
     * @param scheduler the node's event loop
     * @param clock the node's clock
     * @param settings period and rate
     * @param ackTimeoutNanos how long a delivery may wait for its ack
     * @param meters where to register the meters
     */
    public HintedHandoff(final NodeId self, final ReplicaStore store, final Membership membership, final FailureDetector detector,
                         final Outbound out, final Scheduler scheduler, final Clock clock, final RepairSettings settings,
                         final long ackTimeoutNanos, final MeterRegistry meters) {
        this.self = self;
        this.store = store;
        this.membership = membership;
        this.detector = detector;
        this.out = out;
        this.scheduler = scheduler;
        this.clock = clock;
        this.settings = settings;
        this.ackTimeoutNanos = ackTimeoutNanos;
        this.bucket = new TokenBucket(clock, settings.hintBytesPerSecond(), settings.hintBurstBytes());
        this.delivered = Counter.builder(DELIVERED).tag("node", self.value()).register(meters);
        this.failed = Counter.builder(FAILED).tag("node", self.value()).register(meters);
        // A restarted node registers again: drop the old life's gauge, which reads a dead object.
        final Meter old = meters.find(PENDING).tag("node", self.value()).gauge();
        if (old != null) {
            meters.remove(old);
        }
        Gauge.builder(PENDING, pending, AtomicLong::get).tag("node", self.value()).strongReference(true).register(meters);
    }

    /** Counts the hints kept from a previous run and starts the periodic delivery. */
    public void start() {
        running = true;
        pending.set(store.pendingHints());
        tick();
    }

    // One-shot timers re-armed each period rather than schedulePeriodic: every Scheduler has them.
    private void tick() {
        periodic = scheduler.schedule(settings.hintPeriod().toNanos(), () -> {
            if (running) {
                round();
                tick();
            }
        });
    }

    /** Stops delivering; hints stay in storage. */
    public void stop() {
        running = false;
        if (periodic != null) {
            periodic.cancel();
        }
        if (retry != null) {
            retry.cancel();
        }
    }

    /** @return hints held for other nodes */
    public long pending() {
        return pending.get();
    }

    /**
     * Direct news from a node: if a delivery to it failed or was skipped since, try again now
     * rather than at the next period (a successful exchange shows the owner is back).
     *
     * @param node the sender of a message just received
     */
    public void heard(final NodeId node) {
        if (running && waiting.remove(node) && pending.get() > 0) {
            scheduleRetry(0);
        }
    }

    /** Notes a hint stored for another node (the gauge). */
    public void stored() {
        pending.set(store.pendingHints());
    }

    /**
     * One delivery round: every available owner with hints gets them, within the window and the
     * rate; a suspected owner gets one hint as a probe, whose ack (direct news) clears the
     * suspicion and lets the rest follow at once, so a recovered owner is served within a period
     * whatever the detector still believes.
     */
    public void round() {
        if (!running) {
            return;
        }
        expire();
        if (pending.get() == 0) {
            return;
        }
        for (final NodeId owner : membership.ring().members()) {
            if (owner.equals(self)) {
                continue;
            }
            if (detector.isAvailable(owner)) {
                if (!deliver(owner, settings.hintWindow() - inFlight.size())) {
                    return;
                }
            } else {
                waiting.add(owner);
                if (inFlight.values().stream().noneMatch(f -> f.owner().equals(owner)) && !deliver(owner, 1)) {
                    return;
                }
            }
        }
    }

    /** @return false when the window or the rate stops this round */
    private boolean deliver(final NodeId owner, final int room) {
        final Endpoint to = membership.endpointOf(owner);
        if (to == null) {
            return true;
        }
        final List<byte[][]> batch = new ArrayList<>();
        if (room <= 0) {
            return false;
        }
        store.scanHints(owner, (k, v) -> {
            if (!inFlight.containsKey(ByteBuffer.wrap(k))) {
                batch.add(new byte[][] {k, v});
            }
            return batch.size() < room;
        });
        for (final byte[][] hint : batch) {
            final byte[] body = deliveryBody(hint[0], hint[1]);
            final long cost = Math.min(body.length, bucket.capacity());
            if (!bucket.tryAcquire(cost)) {
                scheduleRetry(bucket.nanosUntilAvailable(cost));
                return false;
            }
            if (!out.send(to, new Message.Opaque(MessageType.HINT_DELIVERY, body))) {
                failed.increment();
                waiting.add(owner);
                return true;
            }
            inFlight.put(ByteBuffer.wrap(hint[0]), new InFlight(owner, clock.nanoTime()));
        }
        return true;
    }

    private void scheduleRetry(final long delayNanos) {
        if (retry == null) {
            retry = scheduler.schedule(Math.max(1, delayNanos), () -> {
                retry = null;
                round();
            });
        }
    }

    private void expire() {
        final long now = clock.nanoTime();
        final var it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            final var e = it.next();
            if (now - e.getValue().sentNanos() >= ackTimeoutNanos) {
                it.remove();
                failed.increment();
                waiting.add(e.getValue().owner());
                detector.timedOut(e.getValue().owner());
            }
        }
    }

    /**
     * The owner's side: merges the hinted set into its own data and acknowledges it.
     *
     * @param frame a HINT_DELIVERY frame
     * @param merge stores a set as this node's own (the replica write path)
     */
    public void onDelivery(final Frame frame, final Merge merge) {
        final ByteBuffer b = ByteBuffer.wrap(((Message.Opaque) frame.message()).body());
        final byte[] hk = readKey(b, "hint delivery");
        final byte[] set = new byte[b.remaining()];
        b.get(set);
        final HintKey key = HintKey.decode(hk);
        if (!key.owner().equals(self)) {
            throw new IllegalArgumentException("hint for " + key.owner() + " delivered to " + self);
        }
        if (key.partition() >= membership.ring().partitionCount()) {
            throw new IllegalArgumentException("hint partition " + key.partition() + " beyond the ring");
        }
        merge.merge(key.partition(), key.key(), VersionSet.decode(set));
        final ByteBuffer ack = ByteBuffer.allocate(1 + 4 + hk.length + 8);
        ack.put(VERSION).putInt(hk.length).put(hk).putLong(Digests.ofVersionSet(set));
        out.send(frame.replyTo(), new Message.Opaque(MessageType.HINT_ACK, ack.array()));
    }

    /**
     * The stand-in's side: the owner stored the hint, so it may go.
     *
     * @param frame a HINT_ACK frame
     */
    public void onAck(final Frame frame) {
        final ByteBuffer b = ByteBuffer.wrap(((Message.Opaque) frame.message()).body());
        final byte[] hk = readKey(b, "hint ack");
        if (b.remaining() != 8) {
            throw new RepairCodecException("hint ack: " + b.remaining() + " bytes after the key, expected 8");
        }
        final long digest = b.getLong();
        if (inFlight.remove(ByteBuffer.wrap(hk)) == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: late or unknown hint ack", self);
        }
        if (store.deleteHintIf(hk, digest, Digests::ofVersionSet)) {
            delivered.increment();
            pending.set(store.pendingHints());
        }
        if (inFlight.size() <= settings.hintWindow() / 2 && pending.get() > inFlight.size() && running) {
            // Half the window drained: refill it at the bucket's pace rather than waiting a period.
            scheduleRetry(0);
        }
    }

    private static byte[] readKey(final ByteBuffer b, final String what) {
        if (b.remaining() < 5 || b.get() != VERSION) {
            throw new RepairCodecException(what + ": too short or unknown version");
        }
        final int n = b.getInt();
        if (n < 1 || n > MAX_HINT_KEY || n > b.remaining()) {
            throw new RepairCodecException(what + ": key length " + n + " does not fit " + b.remaining() + " bytes");
        }
        final byte[] hk = new byte[n];
        b.get(hk);
        return hk;
    }

    private static byte[] deliveryBody(final byte[] hintKey, final byte[] set) {
        return ByteBuffer.allocate(1 + 4 + hintKey.length + set.length).put(VERSION).putInt(hintKey.length).put(hintKey)
            .put(set).array();
    }

    /** The replica write path the owner merges a delivered hint through. */
    @FunctionalInterface
    public interface Merge {
        /**
         * @param partition the key's partition
         * @param key the client key
         * @param set the hinted set
         */
        void merge(int partition, byte[] key, VersionSet set);
    }
}
