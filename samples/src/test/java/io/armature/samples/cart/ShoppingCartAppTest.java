package io.armature.samples.cart;

import io.armature.api.Codec;
import io.armature.api.ReadResult;
import io.armature.samples.testing.FakeKvClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShoppingCartAppTest {
    @Test
    void concurrentUpdatesBecomeSiblingsAndMergeWithoutLosingAnAddOrReviveARemove() {
        final FakeKvClient kv = new FakeKvClient();
        final ShoppingCartApp alice = new ShoppingCartApp(kv, new SplittableRandom(1));
        final ShoppingCartApp bob = new ShoppingCartApp(kv, new SplittableRandom(2));
        alice.add("cart-1", "book").join();
        alice.add("cart-1", "pen").join();

        // Two sessions read the same cart, then each writes with that read's context.
        final ReadResult<Cart> read = alice.read("cart-1").join();
        final var typed = kv.typed(Codec.utf8(), new CartCodec());
        typed.put("cart-1", read.values().get(0).remove("pen"), read.context()).join();
        typed.put("cart-1", read.values().get(0).add("lamp", 99), read.context()).join();

        final ReadResult<Cart> siblings = bob.read("cart-1").join();
        assertEquals(2, siblings.values().size(), "two concurrent writes are two siblings");
        assertEquals(new TreeSet<>(List.of("book", "lamp")), ShoppingCartApp.itemsOf(siblings));

        final SortedSet<String> afterMerge = bob.add("cart-1", "mug").join();
        assertEquals(new TreeSet<>(List.of("book", "lamp", "mug")), afterMerge);
        assertEquals(1, bob.read("cart-1").join().values().size(), "the update's context covered both siblings");
        assertTrue(!alice.items("cart-1").join().contains("pen"), "a removed item stays removed");
    }

    @Test
    void removeThenAddAgainWorks() {
        final ShoppingCartApp app = new ShoppingCartApp(new FakeKvClient(), new SplittableRandom(3));
        app.add("c", "tea").join();
        assertEquals(new TreeSet<>(), app.remove("c", "tea").join());
        assertEquals(new TreeSet<>(List.of("tea")), app.add("c", "tea").join(), "unlike a two-phase set");
    }
}
