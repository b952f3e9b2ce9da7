package io.armature.samples.cart;

import io.armature.api.ConflictResolver;

import java.util.List;

/**
 * Merges concurrent carts with {@link Cart#merge}. The merge is commutative, associative and
 * idempotent, so two clients that resolve the same siblings in any order write the same cart.
 */
public final class CartResolver implements ConflictResolver<Cart> {
    @Override
    public Cart resolve(final List<Cart> siblings) {
        Cart merged = Cart.empty();
        for (final Cart c : siblings) {
            merged = merged.merge(c);
        }
        return merged;
    }
}
