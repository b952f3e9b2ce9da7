package io.armature.engine.ring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators shared by the ring properties: Q in 8..1024, S in 1..64, optional zones. */
final class RingFixtures {

    private RingFixtures() {
    }

    /**
     * A ring description: Q, S, how many zones (0 = none) and a history of joins and leaves
     * applied after creation (positive: join a fresh node, negative: leave the i-th member).
     */
    record Spec(int partitions, int nodes, int zones, List<Integer> history) {

        Ring build() {
            return build(i -> zone(i, zones));
        }

        /** The same history with node i in zone {@code zoneOf.apply(i)}. */
        Ring build(java.util.function.IntFunction<String> zoneOf) {
            Map<NodeId, String> created = new LinkedHashMap<>();
            for (int i = 0; i < nodes; i++) {
                created.put(node(i), zoneOf.apply(i));
            }
            Ring ring = Ring.create(partitions, created);
            int next = nodes;
            for (int step : history) {
                if (step >= 0 && ring.members().size() < partitions) {
                    ring = ring.join(node(next), zoneOf.apply(next));
                    next++;
                } else if (step < 0 && ring.members().size() > 1) {
                    List<NodeId> members = new ArrayList<>(ring.members());
                    ring = ring.leave(members.get(-step % members.size()));
                }
            }
            return ring;
        }
    }

    static NodeId node(int i) {
        return new NodeId(String.format("n%03d", i));
    }

    static String zone(int i, int zones) {
        return zones == 0 ? "" : "z" + (i * 7 % zones);
    }

    static Map<NodeId, String> nodes(int count, int zones) {
        Map<NodeId, String> nodes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            nodes.put(node(i), zone(i, zones));
        }
        return nodes;
    }

    static Arbitrary<Integer> partitions() {
        return Arbitraries.integers().between(3, 10).map(e -> 1 << e);
    }

    static Arbitrary<Spec> specs(int maxZones, int maxHistory) {
        return Combinators.combine(partitions(), Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(0, maxZones),
                Arbitraries.integers().between(-64, 64).list().ofMaxSize(maxHistory))
            .as((q, s, z, h) -> new Spec(q, Math.min(s, q), z, h));
    }

    static int maxMinusMin(Ring ring) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : ring.ownedCounts().values()) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        return max - min;
    }
}
