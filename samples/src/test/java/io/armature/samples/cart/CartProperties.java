package io.armature.samples.cart;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CartProperties {
    private static final CartCodec CODEC = new CartCodec();

    /** One step of a shopper's session: add (with a fresh tag) or remove an item. */
    record Step(boolean add, String item, long tag) {
        Cart apply(final Cart c) {
            return add ? c.add(item, tag) : c.remove(item);
        }
    }

    @Provide
    Arbitrary<List<Step>> sessions() {
        final Arbitrary<Step> step = Combinators.combine(
            Arbitraries.of(true, true, false), Arbitraries.of("apple", "pear", "plum", "fig"), Arbitraries.longs())
            .as(Step::new);
        return step.list().ofMaxSize(8);
    }

    private static Cart run(final Cart start, final List<Step> steps) {
        Cart c = start;
        for (final Step s : steps) {
            c = s.apply(c);
        }
        return c;
    }

    @Property(tries = 1000)
    void mergeIsCommutativeAssociativeAndIdempotent(@ForAll("sessions") final List<Step> common,
                                                    @ForAll("sessions") final List<Step> a,
                                                    @ForAll("sessions") final List<Step> b,
                                                    @ForAll("sessions") final List<Step> c) {
        final Cart base = run(Cart.empty(), common);
        final Cart x = run(base, a);
        final Cart y = run(base, b);
        final Cart z = run(base, c);
        assertEquals(x.merge(y), y.merge(x));
        assertEquals(x.merge(y).merge(z), x.merge(y.merge(z)));
        assertEquals(x, x.merge(x));
        assertEquals(x.merge(y), x.merge(y).merge(base), "merging an ancestor changes nothing");
    }

    @Property(tries = 1000)
    void resolverIgnoresSiblingOrder(@ForAll("sessions") final List<Step> a, @ForAll("sessions") final List<Step> b,
                                     @ForAll("sessions") final List<Step> c) {
        final List<Cart> siblings = new ArrayList<>(List.of(run(Cart.empty(), a), run(Cart.empty(), b), run(Cart.empty(), c)));
        final Cart one = new CartResolver().resolve(siblings);
        Collections.reverse(siblings);
        assertEquals(one, new CartResolver().resolve(siblings));
    }

    @Property(tries = 1000)
    void aRemovedItemNeverComesBackThroughAMergeWithoutANewAdd(@ForAll("sessions") final List<Step> common,
                                                               @ForAll("sessions") final List<Step> concurrent) {
        final Cart base = run(Cart.empty(), common).add("apple", 1L << 62);
        final Cart removed = base.remove("apple");
        final List<Step> noApple = concurrent.stream().filter(s -> !s.item().equals("apple")).toList();
        final Cart other = run(base, noApple);
        assertFalse(removed.merge(other).contains("apple"), "the remove saw every add of apple there was");
        assertFalse(other.merge(removed).contains("apple"));
    }

    @Property(tries = 1000)
    void aConcurrentAddWinsOverARemove(@ForAll("sessions") final List<Step> common, @ForAll final long tag) {
        final Cart base = run(Cart.empty(), common).add("apple", 1L << 62);
        final Cart removed = base.remove("apple");
        Assume.that(!base.removed().contains(tag) && base.adds().values().stream().noneMatch(t -> t.contains(tag)));
        final Cart readded = base.add("apple", tag);
        assertTrue(removed.merge(readded).contains("apple"));
    }

    @Property(tries = 1000)
    void codecRoundTrips(@ForAll("sessions") final List<Step> a, @ForAll("sessions") final List<Step> b) {
        final Cart cart = run(Cart.empty(), a).merge(run(Cart.empty(), b));
        assertEquals(cart, CODEC.decode(CODEC.encode(cart)));
    }

    @Property(tries = 1000)
    void decoderRejectsArbitraryBytesWithIllegalArgument(@ForAll final byte[] bytes) {
        try {
            final Cart c = CODEC.decode(bytes);
            assertEquals(c, CODEC.decode(CODEC.encode(c)));
        } catch (final IllegalArgumentException expected) {
            assertTrue(expected.getMessage().startsWith("cart"), expected.getMessage());
        }
    }

    @Property(tries = 1000)
    void decoderRejectsEveryTruncation(@ForAll("sessions") final List<Step> a) {
        final byte[] full = CODEC.encode(run(Cart.empty(), a));
        for (int len = 0; len < full.length; len++) {
            final byte[] cut = Arrays.copyOf(full, len);
            try {
                CODEC.decode(cut);
                throw new AssertionError("decoded a truncated cart of " + len + " of " + full.length + " bytes");
            } catch (final IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("cart"));
            }
        }
    }
}
