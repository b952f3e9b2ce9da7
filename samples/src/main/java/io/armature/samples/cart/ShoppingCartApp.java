package io.armature.samples.cart;

import io.armature.api.Codec;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.api.TypedKvClient;

import java.util.Objects;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The Dynamo paper's shopping cart on Armature's api: each change is a read-modify-write
 * ({@link TypedKvClient#update}) that merges whatever siblings it reads with {@link CartResolver}
 * and writes the result with the read's context, so it supersedes exactly what it merged and
 * any change made concurrently elsewhere survives as a sibling for the next reader to merge.
 * Thread-safe.
 */
public final class ShoppingCartApp {
    private static final CartResolver RESOLVER = new CartResolver();

    private final TypedKvClient<String, Cart> carts;
    private final RandomGenerator tags;

    /**
     * @param client a client of the cluster
     * @param tags source of add tags; they must not repeat across clients, so seed it differently
     *     per client (for example from {@link java.security.SecureRandom})
     */
    public ShoppingCartApp(final KvClient client, final RandomGenerator tags) {
        this.carts = client.typed(Codec.utf8(), new CartCodec());
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    /**
     * @param cartId the cart's key
     * @param item the item to add
     * @return the cart's items as the coordinator holds them after the write
     */
    public CompletableFuture<SortedSet<String>> add(final String cartId, final String item) {
        final long tag = nextTag();
        return carts.update(cartId, RESOLVER, current -> current.orElse(Cart.empty()).add(item, tag))
            .thenApply(ShoppingCartApp::itemsOf);
    }

    /**
     * @param cartId the cart's key
     * @param item the item to remove
     * @return the cart's items as the coordinator holds them after the write
     */
    public CompletableFuture<SortedSet<String>> remove(final String cartId, final String item) {
        return carts.update(cartId, RESOLVER, current -> current.orElse(Cart.empty()).remove(item))
            .thenApply(ShoppingCartApp::itemsOf);
    }

    /**
     * Reads the cart, merging siblings (without writing the merge back).
     *
     * @param cartId the cart's key
     * @return its items
     */
    public CompletableFuture<SortedSet<String>> items(final String cartId) {
        return read(cartId).thenApply(ShoppingCartApp::itemsOf);
    }

    /**
     * @param cartId the cart's key
     * @return the raw read: every sibling and the context
     */
    public CompletableFuture<ReadResult<Cart>> read(final String cartId) {
        return carts.get(cartId);
    }

    /**
     * @param result a read or write result
     * @return the items of its siblings merged
     */
    public static SortedSet<String> itemsOf(final ReadResult<Cart> result) {
        return result.resolve(RESOLVER).orElse(Cart.empty()).items();
    }

    private synchronized long nextTag() {
        return tags.nextLong();
    }
}
