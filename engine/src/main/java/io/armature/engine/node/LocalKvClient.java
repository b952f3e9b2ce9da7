package io.armature.engine.node;

import io.armature.api.ClusterUnavailableException;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.coordinator.RequestLimits;
import io.armature.engine.wire.Message;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A client that coordinates through one node of this JVM: it checks the request on the caller's
 * thread (so a bad request is rejected before anything is sent or stored) and hands it to the
 * node's event loop.
 */
final class LocalKvClient implements KvClient {
    private final Node node;
    private final StoreSettings settings;
    private volatile boolean closed;

    LocalKvClient(final Node node) {
        this.node = node;
        this.settings = node.config().store();
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final Consistency consistency) {
        final CompletableFuture<ReadResult<byte[]>> f = new CompletableFuture<>();
        try {
            checkOpen();
            RequestLimits.checkKey(key, settings);
            final int r = RequestLimits.quorum(consistency.r(), settings.r(), settings.n(), "r");
            final long timeout = RequestLimits.timeoutMillis(consistency, settings);
            final byte[] k = key.clone();
            submit(f, () -> node.coordinator().get(k, r, timeout));
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
            checkOpen();
            RequestLimits.checkKey(key, settings);
            RequestLimits.checkValue(value, settings);
            Objects.requireNonNull(context, "context (use Context.empty() for a blind write)");
            final int w = RequestLimits.quorum(consistency.w(), settings.w(), settings.n(), "w");
            final long timeout = RequestLimits.timeoutMillis(consistency, settings);
            final Message.ClientWrite write = new Message.ClientWrite(false, op, key.clone(), value.clone(),
                context.toBytes(), w, timeout);
            submit(f, () -> node.coordinator().write(write));
        } catch (final RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private void submit(final CompletableFuture<ReadResult<byte[]>> f, final Supplier<CompletableFuture<ReadResult<byte[]>>> call) {
        node.context().scheduler().execute(() -> {
            try {
                call.get().whenComplete((r, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(r);
                    }
                });
            } catch (final RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
    }

    private void checkOpen() {
        if (closed) {
            throw new ClusterUnavailableException("client closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
