package io.armature.engine.coordinator;

import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.engine.faults.FaultInjection;
import io.armature.engine.replica.ObjectTooLargeException;
import io.armature.engine.ring.NodeId;
import io.armature.engine.versioning.VersionCodecException;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.RejectReason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A read: asks the N nodes of the preference list, answers after R replies with their DVV-synced
 * merge, then stays until every replica answered or the deadline, so that replicas that answered
 * with an older or missing version, including late ones, receive the merged version
 * (read repair, Dynamo section 4.7).
 */
final class GetOperation extends Operation {
    private final int partition;
    private final byte[] key;
    private final int r;
    private final List<NodeId> targets;
    /** What each replica holds as far as this read knows; a null value means it holds nothing. */
    private final Map<NodeId, VersionSet> replies = new HashMap<>();
    private VersionSet merged;
    private byte[] mergedEncoded;
    /** Targets whose request did not leave this node. */
    private final java.util.Set<NodeId> unsent = new java.util.HashSet<>();

    GetOperation(final Coordinator c, final CompletableFuture<ReadResult<byte[]>> future, final int partition,
                 final byte[] key, final int r, final List<NodeId> targets) {
        super(c, "get", future);
        this.partition = partition;
        this.key = key;
        this.r = r;
        this.targets = targets;
    }

    @Override
    void start() {
        for (final NodeId t : targets) {
            if (t.equals(c.self)) {
                accept(t, c.store.read(partition, key));
            } else if (!c.send(t, id, new Message.ReplicaGet(partition, key))) {
                unsent.add(t);
            }
        }
    }

    @Override
    void onReply(final NodeId from, final Message message) {
        if (!(message instanceof Message.ReplicaGetReply reply) || !reply.ok() || !targets.contains(from)
            || replies.containsKey(from)) {
            return;
        }
        final VersionSet set;
        try {
            set = reply.versionSet() == null ? null : VersionSet.decode(reply.versionSet());
        } catch (final VersionCodecException e) {
            c.metrics.rejected(RejectReason.BAD_CONTENT);
            return;
        }
        accept(from, set);
    }

    private void accept(final NodeId from, final VersionSet set) {
        replies.put(from, set);
        if (set != null) {
            final VersionSet next = merged == null ? set : VersionSet.sync(merged, set);
            if (!next.equals(merged)) {
                merged = next;
                mergedEncoded = null;
            }
        }
        if (!answered() && replies.size() >= r) {
            succeed(merged == null ? ReadResult.empty() : Coordinator.resultOf(merged));
        }
        if (answered()) {
            repair();
        }
        if (replies.size() == targets.size()) {
            finish();
        }
    }

    /** Sends the merged version to every replica that answered without it. */
    private void repair() {
        if (merged == null || c.store.faults().has(FaultInjection.Fault.SKIP_READ_REPAIR)) {
            return;
        }
        for (final Map.Entry<NodeId, VersionSet> e : replies.entrySet()) {
            final VersionSet held = e.getValue();
            if (held == merged || (held != null && held.descends(merged))) {
                continue;
            }
            e.setValue(merged);
            c.metrics.readRepair();
            if (e.getKey().equals(c.self)) {
                try {
                    c.store.merge(partition, key, merged);
                } catch (final ObjectTooLargeException tooLarge) {
                    // The replicas' sets stay apart until a write with the read's context resolves them.
                    continue;
                }
            } else {
                if (mergedEncoded == null) {
                    mergedEncoded = merged.encode();
                }
                c.send(e.getKey(), 0, new Message.ReplicaPut(partition, key, mergedEncoded, null));
            }
        }
    }

    @Override
    void onDeadline() {
        for (final NodeId t : targets) {
            // Only a request that left and went unanswered counts against its target.
            if (!replies.containsKey(t) && !unsent.contains(t)) {
                c.detector.timedOut(t);
            }
        }
        fail(new QuorumNotReachedException(name, r, replies.size()));
    }
}
