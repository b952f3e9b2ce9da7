package io.armature.samples.cart;

import io.armature.api.Codec;
import io.armature.api.Consistency;
import io.armature.api.ReadResult;
import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.transport.Endpoint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Dynamo paper's scenario on a real (in-JVM) cluster: a network partition splits the
 * replicas of a cart, a shopper changes it on both sides, and after healing nothing is lost and
 * nothing removed comes back.
 */
class CartPartitionTest {
    // W=1, R=1: each side of the partition stays writable ("always writable", paper section 4.4).
    private static final StoreSettings ALWAYS_WRITABLE = StoreSettings.builder().n(3).r(1).w(1)
        .requestTimeout(Duration.ofMillis(800)).replicaTimeout(Duration.ofMillis(300)).build();

    @Test
    void concurrentChangesOnBothSidesOfAPartitionMergeAndARemovedItemStaysRemoved() {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(5).settings(ALWAYS_WRITABLE).start()) {
            final Ring ring = cluster.ring();
            final List<NodeId> replicas = ring.preferenceList(ring.partitionForKey("cart-7".getBytes(StandardCharsets.UTF_8)), 3);
            final int a = index(cluster, replicas.get(0));
            final int b = index(cluster, replicas.get(1));
            final ShoppingCartApp sideA = new ShoppingCartApp(cluster.client(a), new SplittableRandom(1));
            final ShoppingCartApp sideB = new ShoppingCartApp(cluster.client(b), new SplittableRandom(2));
            sideA.add("cart-7", "book").join();
            sideA.add("cart-7", "pen").join();
            assertEquals(new TreeSet<>(List.of("book", "pen")), readAll(cluster, a));

            final Set<Endpoint> left = new HashSet<>();
            final Set<Endpoint> right = new HashSet<>();
            for (int i = 0; i < cluster.size(); i++) {
                (i == b || cluster.nodeId(i).equals(replicas.get(2)) ? right : left).add(cluster.endpoint(i));
            }
            cluster.network().partition(left, right);

            assertEquals(new TreeSet<>(List.of("book", "lamp")), sideA.remove("cart-7", "pen").thenCompose(x -> sideA.add("cart-7", "lamp")).join());
            assertEquals(new TreeSet<>(List.of("book", "mug", "pen")), sideB.add("cart-7", "mug").join(),
                "side B never saw the remove");

            cluster.network().heal();
            final ReadResult<Cart> healed = cluster.client(a).typed(Codec.utf8(), new CartCodec()).raw()
                .get("cart-7".getBytes(StandardCharsets.UTF_8), Consistency.defaults().withR(3)).join()
                .map(new CartCodec()::decode);
            assertEquals(2, healed.values().size(), "the two sides' carts are concurrent siblings");
            assertEquals(new TreeSet<>(List.of("book", "lamp", "mug")), ShoppingCartApp.itemsOf(healed),
                "both sides' adds survive; the pen removed on side A does not come back");

            final var carts = cluster.client(a).typed(Codec.utf8(), new CartCodec());
            carts.put("cart-7", healed.resolve(new CartResolver()).orElseThrow(), healed.context()).join();
            final ReadResult<Cart> merged = carts.raw().get("cart-7".getBytes(StandardCharsets.UTF_8), Consistency.defaults().withR(3))
                .join().map(new CartCodec()::decode);
            assertEquals(1, merged.values().size(), "the merge was written with a context covering both siblings");
            assertEquals(new TreeSet<>(List.of("book", "lamp", "mug")), merged.values().get(0).items());
            assertEquals(new TreeSet<>(List.of("book", "cup", "lamp", "mug")), sideB.add("cart-7", "cup").join());
        }
    }

    private static TreeSet<String> readAll(final EmbeddedCluster cluster, final int via) {
        return new TreeSet<>(ShoppingCartApp.itemsOf(cluster.client(via)
            .get("cart-7".getBytes(StandardCharsets.UTF_8), Consistency.defaults().withR(3)).join().map(new CartCodec()::decode)));
    }

    private static int index(final EmbeddedCluster cluster, final NodeId id) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.nodeId(i).equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException(id.toString());
    }
}
