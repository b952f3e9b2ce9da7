package io.armature.engine.cluster;

import io.armature.api.ClusterUnavailableException;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spreads requests over the running nodes of an embedded cluster, round-robin.
 */
final class ClusterKvClient implements KvClient {
    private final EmbeddedCluster cluster;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    ClusterKvClient(final EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    private KvClient pick() {
        if (closed) {
            throw new ClusterUnavailableException("client closed");
        }
        return cluster.runningNode(next.getAndIncrement() & Integer.MAX_VALUE).client();
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final Consistency consistency) {
        try {
            return pick().get(key, consistency);
        } catch (final ClusterUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> put(final byte[] key, final byte[] value, final Context context,
                                                     final Consistency consistency) {
        try {
            return pick().put(key, value, context, consistency);
        } catch (final ClusterUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> delete(final byte[] key, final Context context, final Consistency consistency) {
        try {
            return pick().delete(key, context, consistency);
        } catch (final ClusterUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
