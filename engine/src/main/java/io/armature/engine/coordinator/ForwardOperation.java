package io.armature.engine.coordinator;

import io.armature.api.ArmatureException;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.api.RequestTimeoutException;
import io.armature.engine.ring.NodeId;
import io.armature.engine.wire.Message;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A write received by a node outside the key's preference list: only a preference-list node
 * versions a key (its actor id goes in the clock, keeping clocks bounded by the replicas), so the
 * write goes to the first healthy one, at most once. It goes to the next only when the send
 * provably did not leave: a write sent to a node that is merely slow may still be applied, and a
 * second coordinator would version the same write with its own dot, turning one write into two
 * siblings (found by the simulator). A forward that gets no answer ends in a timeout, as any
 * request whose outcome is unknown.
 */
final class ForwardOperation extends Operation {
    private final Message.ClientWrite write;
    private final List<NodeId> preference;
    private final long timeoutMillis;
    private final int w;
    private int sent;
    private final Set<NodeId> tried = new HashSet<>();
    private NodeId current;

    ForwardOperation(final Coordinator c, final String name, final CompletableFuture<ReadResult<byte[]>> future,
                     final Message.ClientWrite write, final List<NodeId> preference, final long timeoutMillis,
                     final int w) {
        super(c, name, future);
        this.w = w;
        this.write = write;
        this.preference = preference;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    void start() {
        c.metrics.forwarded();
        forwardToNext(timeoutMillis);
    }

    private void forwardToNext(final long budgetMillis) {
        NodeId target = null;
        for (final NodeId p : preference) {
            if (!tried.contains(p) && c.detector.isAvailable(p)) {
                target = p;
                break;
            }
        }
        if (target == null) {
            for (final NodeId p : preference) {
                if (!tried.contains(p)) {
                    target = p;
                    break;
                }
            }
        }
        if (target == null) {
            if (sent == 0) {
                fail(new QuorumNotReachedException(name, w, 0));
                finish();
            }
            return;
        }
        tried.add(target);
        current = target;
        // The target's deadline ends a little before ours, so that its precise failure reaches us.
        final long budget = Math.max(1, budgetMillis - Math.max(1, budgetMillis / 10));
        if (!c.send(target, id, new Message.ClientWrite(true, write.op(), write.key(), write.value(), write.context(),
            write.w(), budget))) {
            // Not sent (a local failure says nothing of the target): the next one, without suspicion.
            forwardToNext(budgetMillis);
            return;
        }
        sent++;
    }

    @Override
    void onReply(final NodeId from, final Message message) {
        if (!(message instanceof Message.ClientReply reply) || !tried.contains(from) || !from.equals(current)) {
            return;
        }
        if (reply.status() == Message.Status.UNAVAILABLE && reply.message().startsWith(Replies.NOT_A_REPLICA)) {
            // It refused before storing anything (its ring says it is no replica): another may coordinate.
            sent--;
            forwardToNext(timeoutMillis);
            return;
        }
        try {
            succeed(Replies.toResult(reply, Duration.ofMillis(timeoutMillis)));
        } catch (final ArmatureException e) {
            fail(e);
        }
        finish();
    }

    @Override
    void onDeadline() {
        if (current != null) {
            c.detector.timedOut(current);
        }
        fail(new RequestTimeoutException(name, Duration.ofMillis(timeoutMillis)));
    }

}
