package io.armature.testkit.sim;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Outcome;
import io.armature.testkit.sim.schedule.ClientStep;
import io.armature.testkit.sim.schedule.StepKind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/**
 * One simulated client: runs its steps one at a time through a node's {@link KvClient}, keeps the
 * context of its last result per key for its next write, and records everything in the
 * {@link History}. A step whose home node is down goes to the next node that is up.
 */
final class SimClient {
    private final String name;
    private final int home;
    private final List<ClientStep> steps;
    private final SimLoop loop;
    private final History history;
    private final IntFunction<SimNode> coordinatorFrom;
    private final int n;
    private final int r;
    private final int w;
    private final Map<String, Context> contexts = new HashMap<>();
    private final Map<String, Integer> contextSources = new HashMap<>();
    private int next;
    private int written;
    private int pendingOp = -1;
    private SimNode pendingAt;

    SimClient(final int number, final int home, final List<ClientStep> steps, final SimLoop loop, final History history,
              final IntFunction<SimNode> coordinatorFrom, final int n, final int r, final int w) {
        this.name = "c" + number;
        this.home = home;
        this.steps = new ArrayList<>(steps);
        this.loop = loop;
        this.history = history;
        this.coordinatorFrom = coordinatorFrom;
        this.n = n;
        this.r = r;
        this.w = w;
    }

    boolean done() {
        return next >= steps.size() && pendingOp < 0;
    }

    void start() {
        scheduleNext();
    }

    private void scheduleNext() {
        if (next < steps.size()) {
            final ClientStep s = steps.get(next);
            loop.schedule(s.thinkMillis() * 1_000_000L, this::runStep);
        }
    }

    private void runStep() {
        final ClientStep s = steps.get(next++);
        final String key = "k" + s.key();
        final SimNode node = coordinatorFrom.apply(home);
        final OpKind kind = switch (s.kind()) {
            case GET -> OpKind.GET;
            case PUT, PUT_BLIND -> OpKind.PUT;
            case DELETE -> OpKind.DELETE;
        };
        final String value = kind == OpKind.PUT ? name + "." + (++written) : null;
        final boolean blind = s.kind() == StepKind.PUT_BLIND;
        final Context ctx = kind == OpKind.GET ? null : blind ? Context.empty() : contexts.getOrDefault(key, Context.empty());
        final int from = kind == OpKind.GET || blind ? -1 : contextSources.getOrDefault(key, -1);
        final int id = history.invoke(name, node == null ? "-" : node.name(), key, kind, value, ctx, ctx == null || ctx.isEmpty() ? -1 : from,
            n, r, w, loop.now());
        if (node == null) {
            history.failed(id, loop.now(), Outcome.REJECTED, "no node is up");
            scheduleNext();
            return;
        }
        pendingOp = id;
        pendingAt = node;
        final byte[] k = key.getBytes(StandardCharsets.UTF_8);
        final Consistency c = Consistency.of(r, w);
        CompletableFuture<ReadResult<byte[]>> f;
        try {
            final KvClient client = node.client();
            f = switch (kind) {
                case GET -> client.get(k, c);
                case PUT -> client.put(k, value.getBytes(StandardCharsets.UTF_8), ctx, c);
                case DELETE -> client.delete(k, ctx, c);
            };
        } catch (final RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((res, err) -> complete(id, key, res, err));
    }

    private void complete(final int id, final String key, final ReadResult<byte[]> res, final Throwable error) {
        if (pendingOp != id) {
            return;
        }
        pendingOp = -1;
        pendingAt = null;
        if (error == null) {
            final List<String> values = new ArrayList<>();
            for (final byte[] v : res.values()) {
                values.add(new String(v, StandardCharsets.UTF_8));
            }
            history.ok(id, loop.now(), values, res.context());
            contexts.put(key, res.context());
            contextSources.put(key, id);
        } else {
            final Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            history.failed(id, loop.now(), cause instanceof InvalidRequestException ? Outcome.REJECTED : Outcome.UNKNOWN,
                cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        scheduleNext();
    }

    /**
     * The node this client's pending operation went to crashed: the client sees the connection
     * drop, so the operation's outcome is unknown.
     */
    void crashed(final SimNode node) {
        if (pendingOp >= 0 && pendingAt == node) {
            final int id = pendingOp;
            pendingOp = -1;
            pendingAt = null;
            history.failed(id, loop.now(), Outcome.UNKNOWN, "coordinator " + node.name() + " crashed");
            scheduleNext();
        }
    }
}
