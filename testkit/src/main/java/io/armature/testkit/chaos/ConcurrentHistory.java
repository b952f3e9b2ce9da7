package io.armature.testkit.chaos;

import io.armature.api.Context;
import io.armature.testkit.sim.history.FaultEvent;
import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.history.Outcome;

import java.util.List;

/**
 * A {@link History} that several client threads record into at once: every call holds the
 * history's lock, and times are nanoseconds since the run began on this JVM's monotonic clock,
 * so invocations and completions of different clients are ordered as they really happened.
 */
final class ConcurrentHistory {
    private final History history = new History();
    private final long origin;

    ConcurrentHistory(final long originNanos) {
        this.origin = originNanos;
    }

    long now() {
        return System.nanoTime() - origin;
    }

    synchronized int invoke(final String client, final String node, final String key, final OpKind kind, final String value,
                            final Context used, final int from, final int n, final int r, final int w) {
        return history.invoke(client, node, key, kind, value, used, from, n, r, w, now());
    }

    synchronized void ok(final int id, final List<String> values, final Context context) {
        history.ok(id, now(), values, context);
    }

    synchronized void failed(final int id, final Outcome outcome, final String error) {
        history.failed(id, now(), outcome, error);
    }

    synchronized void fault(final String kind, final String node, final String detail) {
        history.fault(new FaultEvent(now(), kind, node, detail));
    }

    synchronized Operation get(final int id) {
        return history.get(id);
    }

    /** The history itself, for the checker, once every client has stopped. */
    synchronized History done() {
        return history;
    }
}
