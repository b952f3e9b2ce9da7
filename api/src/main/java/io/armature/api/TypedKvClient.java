package io.armature.api;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A typed view of a {@link KvClient}: keys and values pass through {@link Codec}s. Adds
 * {@link #update}, the read-modify-write loop of the Dynamo paper's shopping cart.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TypedKvClient<K, V> {
    private final KvClient client;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;

    /**
     * @param client the byte-level client
     * @param keyCodec converts keys
     * @param valueCodec converts values
     */
    public TypedKvClient(final KvClient client, final Codec<K> keyCodec, final Codec<V> valueCodec) {
        this.client = Objects.requireNonNull(client, "client");
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
    }

    /**
     * @param key the key
     * @return the decoded siblings and their context
     */
    public CompletableFuture<ReadResult<V>> get(final K key) {
        return client.get(keyCodec.encode(key)).thenApply(r -> r.map(valueCodec::decode));
    }

    /**
     * @param key the key
     * @param consistency R and the timeout of this read
     * @return the decoded siblings and their context
     */
    public CompletableFuture<ReadResult<V>> get(final K key, final Consistency consistency) {
        return client.get(keyCodec.encode(key), consistency).thenApply(r -> r.map(valueCodec::decode));
    }

    /**
     * @param key the key
     * @param value the value
     * @param context the context of the read this write is based on
     * @return the key's versions at the coordinator after the write
     */
    public CompletableFuture<ReadResult<V>> put(final K key, final V value, final Context context) {
        return client.put(keyCodec.encode(key), valueCodec.encode(value), context).thenApply(r -> r.map(valueCodec::decode));
    }

    /**
     * @param key the key
     * @param value the value
     * @param context the context of the read this write is based on
     * @param consistency W and the timeout of this write
     * @return the key's versions at the coordinator after the write
     */
    public CompletableFuture<ReadResult<V>> put(final K key, final V value, final Context context, final Consistency consistency) {
        return client.put(keyCodec.encode(key), valueCodec.encode(value), context, consistency).thenApply(r -> r.map(valueCodec::decode));
    }

    /**
     * @param key the key
     * @param context the context of the read the delete is based on
     * @return the key's live versions after the delete and their context
     */
    public CompletableFuture<ReadResult<V>> delete(final K key, final Context context) {
        return client.delete(keyCodec.encode(key), context).thenApply(r -> r.map(valueCodec::decode));
    }

    /**
     * @param key the key
     * @param context the context of the read the delete is based on
     * @param consistency W and the timeout of this delete
     * @return the key's live versions after the delete and their context
     */
    public CompletableFuture<ReadResult<V>> delete(final K key, final Context context, final Consistency consistency) {
        return client.delete(keyCodec.encode(key), context, consistency).thenApply(r -> r.map(valueCodec::decode));
    }

    /**
     * Reads a key, merges its siblings with {@code resolver}, applies {@code mutation} and writes
     * the result with the read's context, so the write supersedes every sibling it merged.
     * Writes concurrent with this update are never lost: they become siblings of its result.
     *
     * @param key the key
     * @param resolver merges siblings, called only when the read returned two or more
     * @param mutation receives the merged current value (empty for a missing key) and returns
     *     the new value, never null
     * @return the key's versions at the coordinator after the write
     */
    public CompletableFuture<ReadResult<V>> update(final K key, final ConflictResolver<V> resolver,
                                                   final Function<Optional<V>, V> mutation) {
        final byte[] k = keyCodec.encode(key);
        return client.get(k).thenCompose(raw -> {
            final ReadResult<V> read = raw.map(valueCodec::decode);
            final V next = Objects.requireNonNull(mutation.apply(read.resolve(resolver)), "mutation returned null");
            return client.put(k, valueCodec.encode(next), read.context()).thenApply(r -> r.map(valueCodec::decode));
        });
    }

    /**
     * @return the byte-level client behind this view
     */
    public KvClient raw() {
        return client;
    }
}
