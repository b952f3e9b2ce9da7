package io.armature.testkit.chaos;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.history.Outcome;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One client of a chaos run, on its own connections (one per node, so that it knows which node
 * coordinated each operation): reads, blind writes, context writes (read, then write a new value
 * with the context read: the cart's read-modify-write) and deletes of what it read, against a
 * random node each time, every one recorded in the history.
 */
final class ChaosClient implements Runnable {
    /** Per-operation timeout; the client waits a little longer before it calls the result unknown. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Pause between one client's operations: between this and twice this. */
    static final int THINK_MIN_MILLIS = 25;

    private final String name;
    private final List<KvClient> connections;
    private final ConcurrentHistory history;
    private final ChaosConfig config;
    private final SplittableRandom random;
    private final BooleanSupplier stop;
    private int written;

    ChaosClient(final String name, final List<KvClient> connections, final ConcurrentHistory history, final ChaosConfig config,
                final long seed, final BooleanSupplier stop) {
        this.name = name;
        this.connections = connections;
        this.history = history;
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.getAsBoolean()) {
            // Paced, as Jepsen's clients are: a history of a few thousand operations is one the checker
            // (quadratic per key) judges in seconds, and enough to contend on every key.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(THINK_MIN_MILLIS + random.nextInt(THINK_MIN_MILLIS)));
            final int node = random.nextInt(connections.size());
            final String key = "k" + random.nextInt(config.keys());
            final int dice = random.nextInt(100);
            if (dice < 30) {
                get(node, key, config.r());
            } else if (dice < 50) {
                put(node, key, Context.empty(), -1);
            } else {
                final int read = get(node, key, config.r());
                final Operation r = history.get(read);
                if (r.outcome() != Outcome.OK) {
                    continue;
                }
                // The write often goes to another node than the read: a context travels with the client.
                final int writeNode = random.nextInt(4) == 0 ? random.nextInt(connections.size()) : node;
                if (dice < 85 || r.resultValues().isEmpty()) {
                    put(writeNode, key, r.resultContext(), read);
                } else {
                    delete(writeNode, key, r.resultContext(), read);
                }
            }
        }
    }

    int get(final int node, final String key, final int r) {
        final int id = history.invoke(name, "n" + (node + 1), key, OpKind.GET, null, null, -1, config.n(), r, config.w());
        complete(id, () -> connections.get(node).get(bytes(key), Consistency.defaults().withR(r).withTimeout(TIMEOUT)), false);
        return id;
    }

    private void put(final int node, final String key, final Context context, final int from) {
        final String value = name + "-" + (++written);
        final int id = history.invoke(name, "n" + (node + 1), key, OpKind.PUT, value, context, from, config.n(), config.r(), config.w());
        complete(id, () -> connections.get(node).put(bytes(key), bytes(value), context,
            Consistency.defaults().withW(config.w()).withTimeout(TIMEOUT)), true);
    }

    private void delete(final int node, final String key, final Context context, final int from) {
        final int id = history.invoke(name, "n" + (node + 1), key, OpKind.DELETE, null, context, from, config.n(), config.r(), config.w());
        complete(id, () -> connections.get(node).delete(bytes(key), context, Consistency.defaults().withW(config.w()).withTimeout(TIMEOUT)),
            true);
    }

    private interface Call {
        java.util.concurrent.CompletableFuture<ReadResult<byte[]>> start();
    }

    private void complete(final int id, final Call call, final boolean write) {
        try {
            final ReadResult<byte[]> result = call.start().get(TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            final List<String> values = new ArrayList<>();
            for (final byte[] v : result.values()) {
                values.add(new String(v, StandardCharsets.UTF_8));
            }
            history.ok(id, values, result.context());
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            // Only a request refused before it was sent certainly had no effect; anything else may have stored.
            final Outcome outcome = cause instanceof InvalidRequestException || !write ? Outcome.REJECTED : Outcome.UNKNOWN;
            history.failed(id, outcome, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (final TimeoutException e) {
            history.failed(id, write ? Outcome.UNKNOWN : Outcome.REJECTED, "TimeoutException: no answer from the client");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            history.failed(id, Outcome.UNKNOWN, "interrupted");
        } catch (final RuntimeException e) {
            history.failed(id, write ? Outcome.UNKNOWN : Outcome.REJECTED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
