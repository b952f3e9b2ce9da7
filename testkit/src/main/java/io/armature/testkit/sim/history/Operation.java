package io.armature.testkit.sim.history;

import io.armature.api.Context;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One client operation of a simulated run: its invocation, the context it used and its result.
 * Every put writes a value no other put writes, so a value names its write. Immutable.
 *
 * @param id the operation's number in its history, from 0
 * @param client the client that issued it
 * @param coordinator the node the client sent it to
 * @param key the key
 * @param kind read, write or delete
 * @param value for a put, the unique value written; otherwise null
 * @param contextUsed the context a put or delete carried ({@link Context#empty()} for a blind
 *     write); null for a read
 * @param contextFrom the id of the operation whose result gave {@code contextUsed}, or -1
 * @param n replicas per key of the store
 * @param r the read quorum the operation asked for
 * @param w the write quorum the operation asked for
 * @param invokedAt virtual time of the invocation, nanoseconds
 * @param completedAt virtual time of the completion, or -1 while pending
 * @param outcome how it ended
 * @param resultValues the live values returned (siblings), empty unless {@link Outcome#OK}
 * @param resultContext the context returned, or null unless {@link Outcome#OK}
 * @param error the error's class and message, or null
 */
public record Operation(int id, String client, String coordinator, String key, OpKind kind, String value,
                        Context contextUsed, int contextFrom, int n, int r, int w,
                        long invokedAt, long completedAt, Outcome outcome,
                        List<String> resultValues, Context resultContext, String error) {
    /**
     * Checks and copies the parts.
     *
     * @param id number
     * @param client client
     * @param coordinator node
     * @param key key
     * @param kind kind
     * @param value written value
     * @param contextUsed context carried
     * @param contextFrom source of the context
     * @param n replicas
     * @param r read quorum
     * @param w write quorum
     * @param invokedAt invocation time
     * @param completedAt completion time
     * @param outcome outcome
     * @param resultValues values returned
     * @param resultContext context returned
     * @param error error text
     */
    public Operation {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        if (kind == OpKind.PUT) {
            Objects.requireNonNull(value, "a put names its value");
        }
        if (kind != OpKind.GET) {
            Objects.requireNonNull(contextUsed, "a put or delete names its context");
        }
        resultValues = resultValues == null ? List.of() : List.copyOf(resultValues);
    }

    /**
     * @return true for a put or delete
     */
    public boolean isWrite() {
        return kind != OpKind.GET;
    }

    /**
     * @return true if the operation may have been stored: acknowledged or unknown
     */
    public boolean mayHaveTakenEffect() {
        return outcome == Outcome.OK || outcome == Outcome.UNKNOWN || outcome == Outcome.PENDING;
    }

    /**
     * @param time the new completion time
     * @param outcome the outcome
     * @param values the values returned
     * @param context the context returned
     * @param error the error, or null
     * @return a completed copy
     */
    public Operation complete(final long time, final Outcome outcome, final List<String> values, final Context context, final String error) {
        return new Operation(id, client, coordinator, key, kind, value, contextUsed, contextFrom, n, r, w,
            invokedAt, time, outcome, values, context, error);
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder();
        b.append('#').append(id).append(' ').append(client).append("@").append(coordinator).append(' ')
            .append(kind.name().toLowerCase(Locale.ROOT)).append('(').append(key);
        if (value != null) {
            b.append(", ").append(value);
        }
        if (contextUsed != null) {
            b.append(", ctx=").append(contextUsed.isEmpty() ? "blind" : Contexts.format(contextUsed))
                .append(contextFrom >= 0 ? " from #" + contextFrom : "");
        }
        b.append(") r=").append(r).append(" w=").append(w);
        b.append(String.format(" [%.3f..%s] ", invokedAt / 1e6, completedAt < 0 ? "?" : String.format("%.3fms", completedAt / 1e6)));
        b.append(outcome);
        if (outcome == Outcome.OK) {
            b.append(' ').append(resultValues).append(' ').append(Contexts.format(resultContext));
        }
        if (error != null) {
            b.append(' ').append(error);
        }
        return b.toString();
    }
}
