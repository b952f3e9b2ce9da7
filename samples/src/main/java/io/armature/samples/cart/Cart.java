package io.armature.samples.cart;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A shopping cart as an observed-remove set (OR-set; Shapiro et al., "A comprehensive study of
 * Convergent and Commutative Replicated Data Types", 2011), so that Armature's siblings merge
 * without losing an add and without bringing back a removed item.
 *
 * <p>Why not the paper's cart: Dynamo merged carts by set union, so "an item deleted from the
 * cart can resurface" (DeCandia et al., section 4.4). A union cannot tell "never added here"
 * from "removed here". Why not a two-phase set: it remembers removed <em>items</em>, so an item
 * once removed can never be added again, which no shopper expects.
 *
 * <p>The OR-set remembers removed <em>adds</em> instead: every add carries a fresh unique tag,
 * a remove takes away the tags it has seen (and keeps them as tombstone tags), and an item is in
 * the cart while it has a tag that no one removed. So:
 * <ul>
 *   <li>a removed item never comes back by merging with an older or concurrent copy, because
 *       its tags stay removed in every merge;</li>
 *   <li>an add concurrent with a remove wins ("add wins"): its tag was not seen by the remove,
 *       which is the shopper's latest intent in one of the two sessions, and nothing is lost;</li>
 *   <li>the merge is a union of adds and of removes: commutative, associative and idempotent,
 *       so the order in which siblings are merged does not matter.</li>
 * </ul>
 * Tags are random 64-bit numbers, not (actor, counter) dots: a dot-based OR-set without
 * tombstones (Riak's ORSWOT) needs each writer to see its own previous writes, which a sloppy
 * quorum does not promise. The price is that removed tags accumulate for the cart's lifetime;
 * a cart is short-lived and deleted at checkout, so that is bounded in practice, and the
 * {@link CartCodec} enforces hard limits.
 *
 * <p>Instances are immutable; every change returns a new cart.
 */
public final class Cart {
    private static final Cart EMPTY = new Cart(Collections.emptySortedMap(), Collections.emptySortedSet());

    private final SortedMap<String, SortedSet<Long>> adds;
    private final SortedSet<Long> removed;

    private Cart(final SortedMap<String, SortedSet<Long>> adds, final SortedSet<Long> removed) {
        this.adds = adds;
        this.removed = removed;
    }

    /**
     * @return a cart with nothing in it
     */
    public static Cart empty() {
        return EMPTY;
    }

    /**
     * Builds a cart from its parts, dropping add tags that are also removed (so that equal carts
     * have equal parts).
     *
     * @param adds each item's live add tags
     * @param removed removed tags
     * @return the cart
     */
    static Cart of(final Map<String, ? extends Set<Long>> adds, final Set<Long> removed) {
        final SortedSet<Long> gone = new TreeSet<>(removed);
        final SortedMap<String, SortedSet<Long>> live = new TreeMap<>();
        for (final Map.Entry<String, ? extends Set<Long>> e : adds.entrySet()) {
            final SortedSet<Long> tags = new TreeSet<>(e.getValue());
            tags.removeAll(gone);
            if (!tags.isEmpty()) {
                live.put(e.getKey(), Collections.unmodifiableSortedSet(tags));
            }
        }
        return new Cart(Collections.unmodifiableSortedMap(live), Collections.unmodifiableSortedSet(gone));
    }

    /**
     * @param item the item, not empty
     * @param tag a tag no other add ever used (a random 64-bit number will do)
     * @return a cart that holds the item
     */
    public Cart add(final String item, final long tag) {
        checkItem(item);
        final SortedMap<String, SortedSet<Long>> next = new TreeMap<>(adds);
        final SortedSet<Long> tags = new TreeSet<>(next.getOrDefault(item, Collections.emptySortedSet()));
        tags.add(tag);
        next.put(item, tags);
        return of(next, removed);
    }

    /**
     * Removes the item as this cart sees it: adds of it that this cart has not seen (concurrent
     * adds elsewhere) survive a later merge.
     *
     * @param item the item
     * @return a cart without the item
     */
    public Cart remove(final String item) {
        checkItem(item);
        final SortedSet<Long> tags = adds.get(item);
        if (tags == null) {
            return this;
        }
        final SortedMap<String, SortedSet<Long>> next = new TreeMap<>(adds);
        next.remove(item);
        final SortedSet<Long> gone = new TreeSet<>(removed);
        gone.addAll(tags);
        return of(next, gone);
    }

    /**
     * The join of two carts: every add either has seen, minus every remove either has seen.
     *
     * @param other another version of the cart
     * @return the merged cart
     */
    public Cart merge(final Cart other) {
        final SortedMap<String, SortedSet<Long>> all = new TreeMap<>(adds);
        for (final Map.Entry<String, SortedSet<Long>> e : other.adds.entrySet()) {
            all.merge(e.getKey(), e.getValue(), (a, b) -> {
                final SortedSet<Long> u = new TreeSet<>(a);
                u.addAll(b);
                return u;
            });
        }
        final SortedSet<Long> gone = new TreeSet<>(removed);
        gone.addAll(other.removed);
        return of(all, gone);
    }

    /**
     * @return the items in the cart, sorted
     */
    public SortedSet<String> items() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(adds.keySet()));
    }

    /**
     * @param item an item
     * @return true if the cart holds it
     */
    public boolean contains(final String item) {
        return adds.containsKey(item);
    }

    /**
     * @return each item's live add tags
     */
    SortedMap<String, SortedSet<Long>> adds() {
        return adds;
    }

    /**
     * @return the removed tags
     */
    SortedSet<Long> removed() {
        return removed;
    }

    private static void checkItem(final String item) {
        Objects.requireNonNull(item, "item");
        if (item.isEmpty()) {
            throw new IllegalArgumentException("cart item must not be empty");
        }
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Cart && adds.equals(((Cart) o).adds) && removed.equals(((Cart) o).removed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(adds, removed);
    }

    @Override
    public String toString() {
        return "Cart" + adds.keySet();
    }
}
