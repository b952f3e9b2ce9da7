package io.armature.api;

import java.util.concurrent.CompletableFuture;

/**
 * A client of an Armature cluster: an embedded cluster in this JVM or a remote one.
 *
 * <p>Every method is asynchronous and returns at once; the future completes when the request's
 * quorum answered, or exceptionally with an {@link ArmatureException}:
 * {@link InvalidRequestException} before anything is sent, {@link QuorumNotReachedException} or
 * {@link RequestTimeoutException} at the deadline, {@link ClusterUnavailableException} when no
 * node can be reached. Futures complete on an Armature thread: do not block in their callbacks.
 * Implementations are thread-safe. {@link #blocking()} gives a synchronous view.
 *
 * <p>Versioning: {@link #get} returns every concurrent value and one {@link Context}. A
 * {@link #put} or {@link #delete} carries the context of the read it is based on and supersedes
 * exactly what that context covers; with {@link Context#empty()} it is a blind write that stays
 * concurrent with every existing value.
 */
public interface KvClient extends AutoCloseable {
    /**
     * Reads a key.
     *
     * @param key the key, 1 byte up to the store's key limit
     * @param consistency per-call R and timeout
     * @return the siblings and their context; an empty result for a missing key
     */
    CompletableFuture<ReadResult<byte[]>> get(byte[] key, Consistency consistency);

    /**
     * Writes a value.
     *
     * @param key the key, 1 byte up to the store's key limit
     * @param value the value, up to the store's value limit (may be empty)
     * @param context the context of the read this write is based on, or {@link Context#empty()}
     * @param consistency per-call W and timeout
     * @return the key's versions at the coordinator right after the write: the new value and
     *     any sibling concurrent with it, with a context covering them all (so it may be used
     *     for the next write, as after a read)
     */
    CompletableFuture<ReadResult<byte[]>> put(byte[] key, byte[] value, Context context, Consistency consistency);

    /**
     * Deletes what a context covers, by writing a tombstone. Values concurrent with the context
     * survive as siblings.
     *
     * @param key the key
     * @param context the context of the read the delete is based on
     * @param consistency per-call W and timeout
     * @return the key's live versions at the coordinator right after the delete (usually none)
     *     and a context covering the tombstone
     */
    CompletableFuture<ReadResult<byte[]>> delete(byte[] key, Context context, Consistency consistency);

    /**
     * Reads a key with the store's R and timeout.
     *
     * @param key the key
     * @return the siblings and their context
     */
    default CompletableFuture<ReadResult<byte[]>> get(final byte[] key) {
        return get(key, Consistency.defaults());
    }

    /**
     * Writes a value with the store's W and timeout.
     *
     * @param key the key
     * @param value the value
     * @param context the context of the read this write is based on, or {@link Context#empty()}
     * @return the key's versions at the coordinator after the write
     */
    default CompletableFuture<ReadResult<byte[]>> put(final byte[] key, final byte[] value, final Context context) {
        return put(key, value, context, Consistency.defaults());
    }

    /**
     * Deletes what a context covers, with the store's W and timeout.
     *
     * @param key the key
     * @param context the context of the read the delete is based on
     * @return the key's live versions after the delete and their context
     */
    default CompletableFuture<ReadResult<byte[]>> delete(final byte[] key, final Context context) {
        return delete(key, context, Consistency.defaults());
    }

    /**
     * @return a synchronous view of this client
     */
    default BlockingKvClient blocking() {
        return new BlockingKvClient(this);
    }

    /**
     * @param keyCodec converts keys
     * @param valueCodec converts values
     * @param <K> key type
     * @param <V> value type
     * @return a typed view of this client
     */
    default <K, V> TypedKvClient<K, V> typed(final Codec<K> keyCodec, final Codec<V> valueCodec) {
        return new TypedKvClient<>(this, keyCodec, valueCodec);
    }

    /**
     * Releases the client's resources. Pending futures complete exceptionally.
     */
    @Override
    void close();
}
