package io.armature.engine.bench;

import io.armature.engine.ring.KeyHash;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The placement hot path: hash a 16-byte key and look up its preference list (N=3, Q=256, S=5),
 * against the raw Murmur3 hash of the same key as the baseline (MEASURED.md: ~7 ns cache-hot,
 * ~88 ns random over 1M keys). {@code keys=1} is cache-hot; {@code keys=1048576} visits a
 * million distinct keys in a random order, so the key bytes miss the cache as in a server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingBenchmark {

    @Param({"1", "1048576"})
    int keys;

    private Ring ring;
    private byte[][] keyBytes;
    private int[] order;
    private int next;

    @Setup
    public void setUp() {
        Map<NodeId, String> nodes = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            nodes.put(new NodeId("node-" + i), "");
        }
        ring = Ring.create(256, nodes);
        SplittableRandom random = new SplittableRandom(42);
        keyBytes = new byte[keys][16];
        order = new int[keys];
        for (int i = 0; i < keys; i++) {
            random.nextBytes(keyBytes[i]);
            int j = random.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
    }

    private byte[] nextKey() {
        int i = next;
        next = i + 1 == keys ? 0 : i + 1;
        return keyBytes[order[i]];
    }

    @Benchmark
    public long hashOnly() {
        return KeyHash.hash64(nextKey());
    }

    @Benchmark
    public List<NodeId> preferenceListOnly() {
        int p = next;
        next = (p + 1) & 255;
        return ring.preferenceList(p, 3);
    }

    @Benchmark
    public List<NodeId> hashAndPreferenceList() {
        return ring.preferenceList(ring.partitionForKey(nextKey()), 3);
    }
}
