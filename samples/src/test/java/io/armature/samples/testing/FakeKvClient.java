package io.armature.samples.testing;

import io.armature.api.ClusterUnavailableException;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A single-replica, in-memory {@link KvClient} with the api's versioning semantics (siblings,
 * contexts that supersede exactly what they cover), for tests that need no cluster. Each version
 * is its own context entry, so concurrency is tracked exactly.
 */
public final class FakeKvClient implements KvClient {
    private final Map<ByteBuffer, List<Version>> data = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private long nextId = 1;
    private volatile RuntimeException failure;
    private volatile boolean closed;

    private record Version(long id, byte[] value) {
    }

    /**
     * @param failure every later request fails with this, or null to succeed again
     */
    public void failWith(final RuntimeException failure) {
        this.failure = failure;
    }

    /**
     * @return the consistency of the last request, or null before any
     */
    public Consistency lastConsistency() {
        return lastConsistency;
    }

    private volatile Consistency lastConsistency;

    /**
     * @return how many requests were served
     */
    public int requests() {
        return requests.get();
    }

    /**
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final Consistency consistency) {
        lastConsistency = consistency;
        return serve(() -> result(data.getOrDefault(ByteBuffer.wrap(key.clone()), List.of())));
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> put(final byte[] key, final byte[] value, final Context context, final Consistency consistency) {
        lastConsistency = consistency;
        return serve(() -> write(key, value.clone(), context));
    }

    @Override
    public CompletableFuture<ReadResult<byte[]>> delete(final byte[] key, final Context context, final Consistency consistency) {
        lastConsistency = consistency;
        return serve(() -> write(key, null, context));
    }

    private CompletableFuture<ReadResult<byte[]>> serve(final Supplier<ReadResult<byte[]>> op) {
        requests.incrementAndGet();
        if (closed) {
            return CompletableFuture.failedFuture(new ClusterUnavailableException("client closed"));
        }
        final RuntimeException f = failure;
        if (f != null) {
            return CompletableFuture.failedFuture(f);
        }
        synchronized (this) {
            return CompletableFuture.completedFuture(op.get());
        }
    }

    private ReadResult<byte[]> write(final byte[] key, final byte[] value, final Context context) {
        final Set<Long> covered = new HashSet<>();
        context.forEachEntry((actor, counter) -> covered.add(ByteBuffer.wrap(actor).getLong()));
        final ByteBuffer k = ByteBuffer.wrap(key.clone());
        final List<Version> next = new ArrayList<>();
        for (final Version v : data.getOrDefault(k, List.of())) {
            if (!covered.contains(v.id())) {
                next.add(v);
            }
        }
        next.add(new Version(nextId++, value));
        data.put(k, next);
        return result(next);
    }

    private static ReadResult<byte[]> result(final List<Version> versions) {
        final List<byte[]> values = new ArrayList<>();
        final byte[][] actors = new byte[versions.size()][];
        final long[] counters = new long[versions.size()];
        for (int i = 0; i < versions.size(); i++) {
            final Version v = versions.get(i);
            if (v.value() != null) {
                values.add(v.value());
            }
            actors[i] = ByteBuffer.allocate(8).putLong(v.id()).array();
            counters[i] = 1;
        }
        return ReadResult.of(values, versions.isEmpty() ? Context.empty() : Context.ofEntries(actors, counters));
    }

    @Override
    public void close() {
        closed = true;
    }
}
