package io.armature.engine.bench;

import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the DVVSet operations on the request path: a key written through 3 coordinators with
 * 1 KiB values and 1..3 siblings.
 * <ul>
 *   <li>{@code syncDominated}: a replica merges a set that is behind it (read repair, no-op repair);</li>
 *   <li>{@code syncConcurrent}: two replicas each hold a write the other lacks;</li>
 *   <li>{@code update}: a coordinator's write with a read context against its local set;</li>
 *   <li>{@code encode}/{@code decode}: the stored and replicated byte form.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class VersionSetBenchmark {
    private static final int VALUE_BYTES = 1024;

    @Param({"1", "3"})
    public int siblings;

    private final ActorId[] actors = {new ActorId("node-0", 7), new ActorId("node-1", 7), new ActorId("node-2", 7)};
    private VersionSet ahead;
    private VersionSet behind;
    private VersionSet left;
    private VersionSet right;
    private VersionVector readContext;
    private Value newValue;
    private byte[] encoded;

    @Setup
    public void setUp() {
        final SplittableRandom random = new SplittableRandom(42);
        VersionSet history = VersionSet.empty();
        for (int i = 0; i < 20; i++) {
            final VersionSet local = history.update(history.context(), value(random, i), actors[i % 3]);
            history = VersionSet.sync(history, local);
        }
        VersionSet base = history;
        for (int s = 1; s < siblings; s++) {
            // Blind writes through other coordinators: concurrent with everything, so siblings.
            base = VersionSet.sync(base, history.update(VersionVector.empty(), value(random, 100 + s), actors[s]));
        }
        behind = base;
        readContext = base.context();
        ahead = base.update(readContext, value(random, 200), actors[0]);
        left = base.update(VersionVector.empty(), value(random, 300), actors[1]);
        right = base.update(VersionVector.empty(), value(random, 301), actors[2]);
        newValue = value(random, 400);
        encoded = left.encode();
        if (left.siblingCount() != siblings + 1 || VersionSet.sync(left, right).siblingCount() != siblings + 2) {
            throw new IllegalStateException("unexpected shape: " + left + " / " + right);
        }
    }

    private static Value value(final SplittableRandom random, final long timestamp) {
        final byte[] data = new byte[VALUE_BYTES];
        random.nextBytes(data);
        return Value.of(data, timestamp);
    }

    @Benchmark
    public VersionSet syncDominated() {
        return VersionSet.sync(ahead, behind);
    }

    @Benchmark
    public VersionSet syncConcurrent() {
        return VersionSet.sync(left, right);
    }

    @Benchmark
    public VersionSet update() {
        return behind.update(readContext, newValue, actors[1]);
    }

    @Benchmark
    public byte[] encode() {
        return left.encode();
    }

    @Benchmark
    public VersionSet decode() {
        return VersionSet.decode(encoded);
    }

    @Benchmark
    public boolean descends() {
        return ahead.descends(behind);
    }
}
