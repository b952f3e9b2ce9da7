package io.armature.api;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A synchronous view of a {@link KvClient}: each call waits for its future and throws the
 * {@link ArmatureException} it failed with. Waits are bounded by the request's own deadline,
 * which the cluster enforces.
 */
public final class BlockingKvClient {
    private final KvClient client;

    /**
     * @param client the asynchronous client to wrap
     */
    public BlockingKvClient(final KvClient client) {
        this.client = client;
    }

    /**
     * @param key the key
     * @return the siblings and their context
     */
    public ReadResult<byte[]> get(final byte[] key) {
        return await(client.get(key));
    }

    /**
     * @param key the key
     * @param consistency per-call R and timeout
     * @return the siblings and their context
     */
    public ReadResult<byte[]> get(final byte[] key, final Consistency consistency) {
        return await(client.get(key, consistency));
    }

    /**
     * @param key the key
     * @param value the value
     * @param context the context of the read this write is based on
     * @return the key's versions at the coordinator after the write
     */
    public ReadResult<byte[]> put(final byte[] key, final byte[] value, final Context context) {
        return await(client.put(key, value, context));
    }

    /**
     * @param key the key
     * @param value the value
     * @param context the context of the read this write is based on
     * @param consistency per-call W and timeout
     * @return the key's versions at the coordinator after the write
     */
    public ReadResult<byte[]> put(final byte[] key, final byte[] value, final Context context, final Consistency consistency) {
        return await(client.put(key, value, context, consistency));
    }

    /**
     * @param key the key
     * @param context the context of the read the delete is based on
     * @return the key's live versions after the delete and their context
     */
    public ReadResult<byte[]> delete(final byte[] key, final Context context) {
        return await(client.delete(key, context));
    }

    /**
     * @param key the key
     * @param context the context of the read the delete is based on
     * @param consistency per-call W and timeout
     * @return the key's live versions after the delete and their context
     */
    public ReadResult<byte[]> delete(final byte[] key, final Context context, final Consistency consistency) {
        return await(client.delete(key, context, consistency));
    }

    /**
     * Waits for a future of this API and rethrows its failure as the {@link ArmatureException} it is.
     *
     * @param future a future returned by a {@link KvClient}
     * @param <T> its result type
     * @return its result
     */
    static <T> T await(final CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmatureException("interrupted while waiting for the cluster", e);
        } catch (final ExecutionException | CompletionException e) {
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof ArmatureException) {
                throw (ArmatureException) cause;
            }
            throw new ArmatureException("request failed: " + cause, cause);
        } catch (final CancellationException e) {
            throw new ArmatureException("request cancelled", e);
        }
    }
}
