package io.armature.engine.coordinator;

import io.armature.engine.faults.FaultInjection;
import io.armature.api.InvalidRequestException;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.engine.ring.NodeId;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.wire.Message;
import io.armature.spi.runtime.Cancellable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A write already versioned and stored at the coordinator, being spread to the other replicas.
 * Sloppy quorum (Dynamo section 4.6): a primary that is suspected, or that has not acknowledged
 * within the replica timeout, has its copy sent to the next healthy node of the extended list
 * with a hint naming it; acknowledgements of such stand-ins count towards W.
 */
final class PutOperation extends Operation {
    private final int partition;
    private final byte[] key;
    private final byte[] encoded;
    private final ReadResult<byte[]> result;
    private final int w;
    private final List<NodeId> primaries;
    private final List<NodeId> extended;
    private final Set<NodeId> sent = new HashSet<>();
    private final Set<NodeId> acked = new HashSet<>();
    private final Set<NodeId> handedOff = new HashSet<>();
    /** Replicas (or stand-ins) that refused because their merged set would exceed store.max-object-size. */
    private final Set<NodeId> tooLarge = new HashSet<>();
    private Cancellable replicaTimer;

    PutOperation(final Coordinator c, final String name, final CompletableFuture<ReadResult<byte[]>> future,
                 final int partition, final byte[] key, final byte[] encoded, final ReadResult<byte[]> result, final int w,
                 final List<NodeId> primaries, final List<NodeId> extended) {
        super(c, name, future);
        this.partition = partition;
        this.key = key;
        this.encoded = encoded;
        this.result = result;
        this.w = w;
        this.primaries = primaries;
        this.extended = extended;
    }

    @Override
    void start() {
        c.writeOpened(key);
        // The coordinator stored the write before this operation began.
        sent.add(c.self);
        acked.add(c.self);
        for (final NodeId p : primaries) {
            sent.add(p);
        }
        for (final NodeId p : primaries) {
            if (!c.detector.isAvailable(p)) {
                handOff(p);
            } else if (!c.send(p, id, new Message.ReplicaPut(partition, key, encoded, null))) {
                // The copy did not leave: a stand-in now rather than after the replica timeout. A
                // local failure (back pressure, not connected yet) says nothing of the peer, so no suspicion.
                handOff(p);
            }
        }
        check();
        if (!isComplete()) {
            replicaTimer = c.scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(c.settings.replicaTimeout().toMillis()),
                this::onReplicaTimeout);
        }
    }

    private void onReplicaTimeout() {
        for (final NodeId p : primaries) {
            if (!acked.contains(p) && !handedOff.contains(p)) {
                c.detector.timedOut(p);
                handOff(p);
            }
        }
        check();
    }

    private void handOff(final NodeId owner) {
        handedOff.add(owner);
        final byte[] current = currentSet();
        if (current == null) {
            // The write's record is gone here: only a tombstone covering it can have been purged,
            // after every replica held that tombstone. Handing the write off now would bring it back.
            return;
        }
        for (final NodeId candidate : extended) {
            if (!sent.contains(candidate) && c.detector.isAvailable(candidate)) {
                sent.add(candidate);
                if (c.send(candidate, id, new Message.ReplicaPut(partition, key, current, owner.value()))) {
                    c.metrics.hintSent();
                    return;
                }
                // Not sent: count it as settled so the operation can finish, and try the next (no suspicion).
                handedOff.add(candidate);
            }
        }
    }

    /**
     * What a stand-in gets: the coordinator's record now, not the write as it was. A hand-off can
     * come a replica timeout after the write, when later deletes (and a purge of their tombstone)
     * have superseded it; the stale set would then outlive the tombstone as a hint and resurrect
     * the value. The record here holds the write or what dominates it, so nothing is lost.
     *
     * @return the encoded record, or null if this node holds none for the key any more
     */
    private byte[] currentSet() {
        try {
            final VersionSet set = c.store.read(partition, key);
            return set == null ? null : set.encode();
        } catch (final RuntimeException e) {
            // An unreadable record: the write as sent to the primaries is the best this node has.
            return encoded;
        }
    }

    @Override
    void onReply(final NodeId from, final Message message) {
        if (!(message instanceof Message.ReplicaPutReply reply) || !sent.contains(from)) {
            return;
        }
        if (reply.ok()) {
            if (acked.add(from)) {
                check();
            }
        } else if (reply.tooLarge()) {
            // Settled without a stand-in: its hint would be refused by this replica at delivery.
            if (!acked.contains(from) && tooLarge.add(from)) {
                handedOff.add(from);
                check();
            }
        } else if (primaries.contains(from) && !acked.contains(from) && handedOff.add(from)) {
            // Refused (not a replica by its ring, or its storage failed): a stand-in now, not after the replica timeout.
            handOff(from);
            check();
        }
    }

    private void check() {
        if (acked.size() >= (c.store.faults().has(FaultInjection.Fault.ACK_BEFORE_W) ? 1 : w)) {
            succeed(result);
        }
        if (isComplete()) {
            // Nothing more can arrive: a quorum still missing will not be reached. The usual case is
            // a write already answered (all N acked): no exception then, its stack trace was ~1% of
            // a node's CPU under load.
            if (!answered()) {
                fail(failure());
            }
            finish();
        }
    }

    private io.armature.api.ArmatureException failure() {
        if (tooLarge.isEmpty()) {
            return new QuorumNotReachedException(name, w, acked.size());
        }
        return new InvalidRequestException(name + ": " + tooLarge + " refused the write: merged with what they hold, the key's"
            + " versions would exceed store.max-object-size (" + c.settings.maxObjectSize() + " bytes); read the key and write"
            + " a merged value with the read's context (" + acked.size() + " of " + w + " acknowledgements)");
    }

    /** Every node sent a copy acknowledged it, or is a primary whose copy went to a stand-in. */
    private boolean isComplete() {
        for (final NodeId n : sent) {
            if (!acked.contains(n) && !handedOff.contains(n)) {
                return false;
            }
        }
        return true;
    }

    @Override
    void onDeadline() {
        fail(failure());
    }

    @Override
    void finished() {
        c.writeClosed(key);
    }

    @Override
    void cancelTimers() {
        if (replicaTimer != null) {
            replicaTimer.cancel();
        }
    }
}
