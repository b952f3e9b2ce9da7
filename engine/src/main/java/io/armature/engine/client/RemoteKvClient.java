package io.armature.engine.client;

import io.armature.api.ArmatureException;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.api.RequestTimeoutException;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.coordinator.Replies;
import io.armature.engine.coordinator.RequestLimits;
import io.armature.engine.runtime.NodeRuntime;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.FrameMac;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.WireDecoder;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A client of a cluster in another process (or reached through any transport): it sends each
 * request to one of its seed nodes, which coordinates it or forwards it, and maps the reply to
 * the api's result or exception. A seed that cannot be reached is skipped for the next one; a
 * request with no answer by its deadline (plus a grace for the reply's trip) fails with
 * {@link RequestTimeoutException}. Requests are checked against the limits before anything is
 * sent. Thread-safe: all state lives on the client's own event loop.
 */
public final class RemoteKvClient implements KvClient {
    private static final long GRACE_MILLIS = 250;
    /** Pause between rounds over the seeds when none took the request. */
    private static final long RETRY_MILLIS = 20;

    private final Transport transport;
    private final List<Endpoint> seeds;
    private final StoreSettings limits;
    private final NodeRuntime loop;
    private final WireEncoder encoder;
    private final WireDecoder decoder;
    private final UnsafeBuffer inbound = new UnsafeBuffer(new byte[0]);
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    // Nodes drop a write whose (reply endpoint, request id) they saw recently (a duplicated
    // message must not be versioned twice), so a client that reuses a port must not reuse ids.
    private long nextId = new SecureRandom().nextLong() & Long.MAX_VALUE | 1;
    private int nextSeed;
    private volatile boolean closed;

    private RemoteKvClient(final Transport transport, final Endpoint bindTo, final List<Endpoint> seeds,
                           final StoreSettings limits, final byte[] secret) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("client: at least one seed endpoint is needed");
        }
        this.transport = transport;
        this.seeds = List.copyOf(seeds);
        this.limits = limits;
        this.decoder = new WireDecoder(transport.maxMessageSize(), FrameMac.of(secret));
        this.loop = new NodeRuntime("client-" + bindTo.host(), transport);
        try {
            final Endpoint bound = transport.bind(bindTo, message -> {
                final byte[] copy = new byte[message.remaining()];
                message.get(message.position(), copy);
                loop.execute(() -> onMessage(copy));
            });
            this.encoder = new WireEncoder("", bound, FrameMac.of(secret));
        } catch (final RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /**
     * @param transport a fresh transport; the client binds it and closes it on {@link #close()}
     * @param bindTo where the client listens for replies (port 0 for any)
     * @param seeds the nodes to send requests to, tried in turn
     * @param limits the store's settings (R, W, timeouts, key and value limits) the client checks against
     * @return a connected client
     */
    public static RemoteKvClient connect(final Transport transport, final Endpoint bindTo, final List<Endpoint> seeds,
                                         final StoreSettings limits) {
        return connect(transport, bindTo, seeds, limits, null);
    }

    /**
     * Connects to a cluster that runs with a cluster secret. The secret must be the cluster's:
     * nodes drop frames without a valid tag without answering, so a wrong secret shows as
     * {@link RequestTimeoutException} on every request (and as {@code armature.frames.rejected}
     * with reason {@code bad-mac} at the nodes).
     *
     * @param transport a fresh transport; the client binds it and closes it on {@link #close()}
     * @param bindTo where the client listens for replies (port 0 for any)
     * @param seeds the nodes to send requests to, tried in turn
     * @param limits the store's settings (R, W, timeouts, key and value limits) the client checks against
     * @param secret the cluster secret (see {@link io.armature.engine.config.SecretFile}), or null for none
     * @return a connected client
     */
    public static RemoteKvClient connect(final Transport transport, final Endpoint bindTo, final List<Endpoint> seeds,
                                         final StoreSettings limits, final byte[] secret) {
        if (secret != null && secret.length == 0) {
            throw new IllegalArgumentException("client: the cluster secret must not be empty (use null for none)");
        }
        return new RemoteKvClient(Objects.requireNonNull(transport, "transport"), Objects.requireNonNull(bindTo, "bindTo"),
            Objects.requireNonNull(seeds, "seeds"), Objects.requireNonNull(limits, "limits"), secret);
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final Consistency consistency) {
        final CompletableFuture<ReadResult<byte[]>> f = new CompletableFuture<>();
        try {
            RequestLimits.checkKey(key, limits);
            // 0 asks the coordinating node for its store's R: only the cluster knows its N, R and W,
            // so it also validates an explicit R.
            final int r = consistency.r();
            final long timeout = RequestLimits.timeoutMillis(consistency, limits);
            submit(f, "get", new Message.ClientGet(key.clone(), r, timeout), timeout);
        } catch (final RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> put(final byte[] key, final byte[] value, final Context context,
                                                     final Consistency consistency) {
        return write(Message.WriteOp.PUT, key, value, context, consistency);
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> delete(final byte[] key, final Context context, final Consistency consistency) {
        return write(Message.WriteOp.DELETE, key, new byte[0], context, consistency);
    }

    private CompletableFuture<ReadResult<byte[]>> write(final Message.WriteOp op, final byte[] key, final byte[] value,
                                                        final Context context, final Consistency consistency) {
        final CompletableFuture<ReadResult<byte[]>> f = new CompletableFuture<>();
        try {
            RequestLimits.checkKey(key, limits);
            RequestLimits.checkValue(value, limits);
            Objects.requireNonNull(context, "context (use Context.empty() for a blind write)");
            final int w = consistency.w(); // 0: the store's W, as for R above
            final long timeout = RequestLimits.timeoutMillis(consistency, limits);
            submit(f, op == Message.WriteOp.PUT ? "put" : "delete",
                new Message.ClientWrite(false, op, key.clone(), value.clone(), context.toBytes(), w, timeout), timeout);
        } catch (final RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private void submit(final CompletableFuture<ReadResult<byte[]>> f, final String op, final Message request,
                        final long timeoutMillis) {
        if (closed) {
            throw new ClusterUnavailableException("client closed");
        }
        loop.execute(() -> {
            if (closed) {
                f.completeExceptionally(new ClusterUnavailableException("client closed"));
                return;
            }
            attempt(f, op, request, timeoutMillis, nextId++, Math.max(1, timeoutMillis / RETRY_MILLIS));
        });
    }

    /**
     * One round over the seeds. A round in which every seed refused the send with a status that
     * passes (a connection still being made, back pressure) is tried again after
     * {@link #RETRY_MILLIS}, within the request's own deadline: a fresh client's first
     * connection on a busy machine takes longer than the transport's connect wait, and failing
     * then would report a healthy cluster as unreachable. The same request id goes out each
     * time, so a node that did get an earlier copy applies it once.
     */
    private void attempt(final CompletableFuture<ReadResult<byte[]>> f, final String op, final Message request,
                         final long timeoutMillis, final long id, final long roundsLeft) {
        if (closed) {
            f.completeExceptionally(new ClusterUnavailableException("client closed"));
            return;
        }
        // Each node tried and what its send said, for the exception: an operator needs to
        // know which node was down, not only that the request failed.
        final List<String> refused = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            final Endpoint seed = seeds.get(Math.floorMod(nextSeed++, seeds.size()));
            final SendStatus status;
            try {
                status = transport.send(seed, encoder.encode(id, request));
            } catch (final RuntimeException e) {
                f.completeExceptionally(new ArmatureException(op + ": cannot send to " + seed + ": " + e.getMessage(), e));
                return;
            }
            if (status == SendStatus.SENT) {
                final Pending p = new Pending(f, op, Duration.ofMillis(timeoutMillis));
                pending.put(id, p);
                p.timer = loop.schedule(TimeUnit.MILLISECONDS.toNanos(timeoutMillis + GRACE_MILLIS), () -> {
                    if (pending.remove(id) != null) {
                        f.completeExceptionally(new RequestTimeoutException(op, p.timeout, "asked " + seed
                            + (refused.isEmpty() ? "" : "; refused before it: " + String.join(", ", refused))));
                    }
                });
                return;
            }
            refused.add(seed + " " + status);
        }
        if (roundsLeft > 1) {
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS),
                () -> attempt(f, op, request, timeoutMillis - RETRY_MILLIS, id, roundsLeft - 1));
            return;
        }
        f.completeExceptionally(new ClusterUnavailableException(op + ": no seed reachable: " + String.join(", ", refused)));
    }

    private void onMessage(final byte[] bytes) {
        inbound.wrap(bytes);
        final WireDecoder.Decoded d = decoder.decode(inbound, 0, bytes.length);
        if (!d.ok()) {
            return;
        }
        final Frame frame = d.frame();
        if (!(frame.message() instanceof Message.ClientReply reply)) {
            return;
        }
        final Pending p = pending.remove(frame.requestId());
        if (p == null) {
            return;
        }
        p.timer.cancel();
        try {
            p.future.complete(Replies.toResult(reply, p.timeout));
        } catch (final ArmatureException e) {
            p.future.completeExceptionally(e);
        }
    }

    /**
     * Fails requests in flight with {@link ClusterUnavailableException} and releases the
     * transport and the event loop.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            for (final Pending p : pending.values()) {
                p.future.completeExceptionally(new ClusterUnavailableException("client closed"));
            }
            pending.clear();
            done.complete(null);
        });
        done.join();
        transport.close();
        loop.close();
    }

    private static final class Pending {
        final CompletableFuture<ReadResult<byte[]>> future;
        final String op;
        final Duration timeout;
        Cancellable timer;

        Pending(final CompletableFuture<ReadResult<byte[]>> future, final String op, final Duration timeout) {
            this.future = future;
            this.op = op;
            this.timeout = timeout;
        }
    }
}
