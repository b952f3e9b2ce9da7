package io.armature.samples.testing;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.samples.cli.ClusterConnector;
import io.armature.samples.cli.ClusterStatus;
import io.armature.spi.transport.Endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands every client command the same {@link FakeKvClient}, wrapped so that closing it does not
 * close the shared one; records the seeds it was given.
 */
public final class FakeConnector implements ClusterConnector {
    private final FakeKvClient kv = new FakeKvClient();
    private final List<List<Endpoint>> seedsSeen = new ArrayList<>();
    private ClusterStatus status;

    /**
     * @return the shared fake
     */
    public FakeKvClient kv() {
        return kv;
    }

    /**
     * @return the seeds of every connection, in order
     */
    public List<List<Endpoint>> seedsSeen() {
        return seedsSeen;
    }

    /**
     * @param status what status should answer
     */
    public void status(final ClusterStatus status) {
        this.status = status;
    }

    @Override
    public KvClient connect(final List<Endpoint> seeds, final byte[] secret) {
        seedsSeen.add(seeds);
        return new KvClient() {
            @Override
            public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final Consistency c) {
                return kv.get(key, c);
            }

            @Override
            public CompletableFuture<ReadResult<byte[]>> put(final byte[] key, final byte[] value,
                                                                                                    final Context context,
                                                                                                    final Consistency c) {
                return kv.put(key, value, context, c);
            }

            @Override
            public CompletableFuture<ReadResult<byte[]>> delete(final byte[] key, final Context context,
                                                                                                       final Consistency c) {
                return kv.delete(key, context, c);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public ClusterStatus status(final List<Endpoint> seeds, final byte[] secret, final boolean withMetrics) {
        seedsSeen.add(seeds);
        return status;
    }
}
