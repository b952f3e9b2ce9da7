package io.armature.engine.bench;

import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.engine.cluster.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * End-to-end requests on an embedded cluster: 3 nodes, memory storage, local transport, N=3 R=2
 * W=2, 1 KiB values, 4 client threads. Throughput mode gives ops/s; SampleTime mode gives the
 * p50/p99/p99.9 latency. Each client thread writes its own keys with the context of its previous
 * write, so keys never grow siblings; reads pick a random preloaded key. Requests are spread over
 * the nodes round-robin, as an application using {@code cluster.client()} would.
 *
 * <p>Run: {@code bin/jmh engine EmbeddedClusterBenchmark -f 1 -wi 2 -i 3}
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(4)
public class EmbeddedClusterBenchmark {
    static final int KEYS = 10_000;
    static final int VALUE_SIZE = 1024;

    /** The cluster, shared by every thread. */
    @State(Scope.Benchmark)
    public static class Cluster {
        EmbeddedCluster cluster;
        KvClient client;
        byte[][] keys;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() throws Exception {
            cluster = EmbeddedCluster.builder().nodes(3).start();
            client = cluster.client();
            keys = new byte[KEYS][];
            final byte[] value = new byte[VALUE_SIZE];
            for (int i = 0; i < KEYS; i++) {
                keys[i] = ("bench-" + i).getBytes(StandardCharsets.UTF_8);
                client.put(keys[i], value, Context.empty()).get();
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            cluster.close();
        }
    }

    /** One client thread's keys, contexts and random source. */
    @State(Scope.Thread)
    public static class Writer {
        byte[][] own;
        Context[] contexts;
        byte[] value;
        SplittableRandom random;
        int next;

        @Setup(Level.Trial)
        public void setUp(final Cluster c) {
            final int id = c.threads.getAndIncrement();
            random = new SplittableRandom(id);
            value = new byte[VALUE_SIZE];
            random.nextBytes(value);
            own = new byte[1024][];
            contexts = new Context[own.length];
            for (int i = 0; i < own.length; i++) {
                own[i] = ("writer-" + id + "-" + i).getBytes(StandardCharsets.UTF_8);
                contexts[i] = Context.empty();
            }
        }
    }

    @Benchmark
    public ReadResult<byte[]> get(final Cluster c, final Writer w) throws Exception {
        return c.client.get(c.keys[w.random.nextInt(KEYS)]).get();
    }

    @Benchmark
    public ReadResult<byte[]> put(final Cluster c, final Writer w) throws Exception {
        final int i = w.next;
        w.next = (i + 1) % w.own.length;
        final ReadResult<byte[]> r = c.client.put(w.own[i], w.value, w.contexts[i]).get();
        w.contexts[i] = r.context();
        return r;
    }
}
