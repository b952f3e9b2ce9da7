package io.armature.testkit.sim.history;

import io.armature.api.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * The record of a simulated run: every client operation (invocation, context used, result) and
 * every injected fault, in the order they happened. Two runs of one seed produce equal
 * {@link #lines()}. Thread-safe: concurrent real clients may record into one history (with
 * wall-clock times, in any one time base); every method holds the history's lock, and the
 * accessors return snapshots, so a checker may read while clients still record.
 */
public final class History {
    private final List<Operation> operations = new ArrayList<>();
    private final List<FaultEvent> faults = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    /**
     * Records an invocation.
     *
     * @param client the client
     * @param coordinator the node it went to
     * @param key the key
     * @param kind the kind
     * @param value the unique value of a put, else null
     * @param contextUsed the context of a put or delete, else null
     * @param contextFrom the operation the context came from, or -1
     * @param n replicas per key
     * @param r read quorum
     * @param w write quorum
     * @param time virtual time
     * @return the operation's id
     */
    public synchronized int invoke(final String client, final String coordinator, final String key, final OpKind kind, final String value,
                      final Context contextUsed, final int contextFrom, final int n, final int r, final int w, final long time) {
        final int id = operations.size();
        final Operation op = new Operation(id, client, coordinator, key, kind, value, contextUsed, contextFrom, n, r, w,
            time, -1, Outcome.PENDING, List.of(), null, null);
        operations.add(op);
        lines.add("invoke " + op);
        return id;
    }

    /**
     * Records a successful completion.
     *
     * @param id the operation
     * @param time virtual time
     * @param values the live values returned
     * @param context the context returned
     */
    public synchronized void ok(final int id, final long time, final List<String> values, final Context context) {
        finish(id, operations.get(id).complete(time, Outcome.OK, values, context, null));
    }

    /**
     * Records a failure.
     *
     * @param id the operation
     * @param time virtual time
     * @param outcome {@link Outcome#REJECTED} or {@link Outcome#UNKNOWN}
     * @param error what went wrong
     */
    public synchronized void failed(final int id, final long time, final Outcome outcome, final String error) {
        finish(id, operations.get(id).complete(time, outcome, List.of(), null, error));
    }

    private synchronized void finish(final int id, final Operation done) {
        if (operations.get(id).outcome() != Outcome.PENDING) {
            throw new IllegalStateException("operation #" + id + " completed twice");
        }
        operations.set(id, done);
        lines.add("done   " + done);
    }

    /**
     * Records a fault.
     *
     * @param event the fault
     */
    public synchronized void fault(final FaultEvent event) {
        faults.add(event);
        lines.add("fault  " + event);
    }

    /**
     * Adds an operation as it is, for hand-made histories in tests of the checker.
     *
     * @param op the operation; its id must be the next one
     * @return this history
     */
    public synchronized History add(final Operation op) {
        if (op.id() != operations.size()) {
            throw new IllegalArgumentException("operation id " + op.id() + " is not the next id " + operations.size());
        }
        operations.add(op);
        lines.add("add    " + op);
        return this;
    }

    /**
     * @return every operation, by id
     */
    public synchronized List<Operation> operations() {
        return List.copyOf(operations);
    }

    /**
     * @param id an operation id
     * @return the operation
     */
    public synchronized Operation get(final int id) {
        return operations.get(id);
    }

    /**
     * @return every fault, in order
     */
    public synchronized List<FaultEvent> faults() {
        return List.copyOf(faults);
    }

    /**
     * @return the run as text, one event a line, in the order recorded
     */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized String toString() {
        return String.join("\n", lines);
    }
}
