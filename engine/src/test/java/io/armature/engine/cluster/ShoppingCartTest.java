package io.armature.engine.cluster;

import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Codec;
import io.armature.api.ConflictResolver;
import io.armature.api.Consistency;
import io.armature.api.ReadResult;
import io.armature.api.TypedKvClient;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.spi.transport.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Dynamo paper's shopping cart (section 4.4): two clients add items on either side of a
 * partition, the cart merges to the union, and an item removed with a context-carrying write
 * never comes back, not even from a replica that missed the removal.
 */
class ShoppingCartTest {
    private static final Codec<Set<String>> CART = new Codec<>() {
        @Override
        public byte[] encode(final Set<String> items) {
            return String.join(",", new TreeSet<>(items)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Set<String> decode(final byte[] bytes) {
            final String s = new String(bytes, StandardCharsets.UTF_8);
            return s.isEmpty() ? new TreeSet<>() : new TreeSet<>(Arrays.asList(s.split(",")));
        }
    };
    private static final ConflictResolver<Set<String>> UNION = siblings -> {
        final Set<String> all = new TreeSet<>();
        siblings.forEach(all::addAll);
        return all;
    };
    private static final Consistency ONE = Consistency.of(1, 1);
    private static final Consistency ALL = Consistency.of(3, 3);

    @Test
    void itemsAddedOnBothSidesOfAPartitionMergeAndADeletedItemNeverComesBack() throws Exception {
        try (EmbeddedCluster c = cluster(3).start()) {
            final String key = "cart-42";
            final byte[] rawKey = key.getBytes(StandardCharsets.UTF_8);
            // W=3: every replica holds the first cart before the partition, which the R=1 reads below rely on.
            c.client(0).put(rawKey, CART.encode(Set.of("milk")), ReadResult.<byte[]>empty().context(), ALL).get();

            // Partition node 0 from nodes 1 and 2; each side adds an item against what it reads.
            final Endpoint e0 = c.endpoint(0);
            c.network().partition(Set.of(e0), Set.of(c.endpoint(1), c.endpoint(2)));
            final ReadResult<byte[]> aliceRead = c.client(0).get(rawKey, ONE).get();
            c.client(0).put(rawKey, CART.encode(with(CART.decode(aliceRead.values().get(0)), "eggs")),
                aliceRead.context(), ONE).get();
            final ReadResult<byte[]> bobRead = c.client(1).get(rawKey, ONE).get();
            c.client(1).put(rawKey, CART.encode(with(CART.decode(bobRead.values().get(0)), "bread")),
                bobRead.context(), ONE).get();
            c.network().heal();

            final ReadResult<byte[]> healed = c.client(2).get(rawKey, ALL).get();
            assertEquals(2, healed.values().size(), "both sides' carts survive as siblings");
            final Set<String> merged = healed.map(CART::decode).resolve(UNION).orElseThrow();
            assertEquals(Set.of("milk", "eggs", "bread"), merged);

            // Remove milk with the merged context, while node 2 is cut off and misses the removal.
            c.network().isolate(c.endpoint(2));
            final Set<String> withoutMilk = new TreeSet<>(merged);
            withoutMilk.remove("milk");
            c.client(0).put(rawKey, CART.encode(withoutMilk), healed.context(), Consistency.of(2, 2)).get();
            c.network().heal();

            final ReadResult<byte[]> after = c.client(2).get(rawKey, ALL).get();
            assertEquals(List.of(Set.of("eggs", "bread")), after.values().stream().map(CART::decode).toList());
            final int partition = c.ring().partitionForKey(rawKey);
            await("every replica to converge on the cart without milk", () -> {
                for (int i = 0; i < 3; i++) {
                    final VersionSet s = c.node(i).replica().read(partition, rawKey);
                    if (s == null || s.liveValues().size() != 1 || CART.decode(s.liveValues().get(0).data()).contains("milk")) {
                        return false;
                    }
                }
                return true;
            });

            // Deleting the whole cart leaves nothing to resurrect, even on a replica that missed it.
            c.network().isolate(c.endpoint(1));
            c.client(0).delete(rawKey, after.context(), Consistency.of(2, 2)).get();
            c.network().heal();
            final ReadResult<byte[]> gone = c.client(1).get(rawKey, ALL).get();
            assertTrue(gone.isEmpty(), "the deleted cart stays deleted");
            await("every replica to hold only the tombstone", () -> {
                for (int i = 0; i < 3; i++) {
                    final VersionSet s = c.node(i).replica().read(partition, rawKey);
                    if (s == null || !s.values().stream().allMatch(Value::tombstone)) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    private static Set<String> with(final Set<String> cart, final String item) {
        return Set.copyOf(java.util.stream.Stream.concat(cart.stream(), java.util.stream.Stream.of(item))
            .collect(Collectors.toSet()));
    }
}
