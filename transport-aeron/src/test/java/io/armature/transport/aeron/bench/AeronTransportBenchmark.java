package io.armature.transport.aeron.bench;

import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.transport.aeron.AeronTransportProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Armature Aeron transport between two transports in one JVM (one shared driver), over UDP
 * loopback: one-way messages/s and round-trip time. Compare with {@link RawAeronBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class AeronTransportBenchmark {
    @Param({"64", "1024"})
    int size;

    private Transport a;
    private Transport b;
    private Endpoint atA;
    private Endpoint atB;
    private ByteBuffer data;
    private ByteBuffer ping;
    private final AtomicLong pongs = new AtomicLong();
    private final AtomicLong received = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        final AeronTransportProvider provider = new AeronTransportProvider();
        a = provider.create(BenchSettings.transportConfig());
        b = provider.create(BenchSettings.transportConfig());
        atA = a.bind(new Endpoint("127.0.0.1", 0), m -> pongs.lazySet(pongs.get() + 1));
        atB = b.bind(new Endpoint("127.0.0.1", 0), m -> {
            if (m.get(m.position()) == BenchSettings.PING) {
                while (b.send(atA, m) != SendStatus.SENT) {
                    Thread.yield();
                }
            } else {
                received.lazySet(received.get() + 1);
            }
        });
        data = ByteBuffer.allocateDirect(size);
        data.put(0, BenchSettings.DATA);
        ping = ByteBuffer.allocateDirect(size);
        ping.put(0, BenchSettings.PING);
        while (a.send(atB, data) != SendStatus.SENT) {
            Thread.yield();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
    }

    /**
     * @return the send status, so that the call is not eliminated
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public SendStatus oneWay() {
        SendStatus status;
        while ((status = a.send(atB, data)) != SendStatus.SENT) {
            Thread.yield();
        }
        return status;
    }

    /**
     * @return the pong count
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTrip() {
        final long before = pongs.get();
        while (a.send(atB, ping) != SendStatus.SENT) {
            Thread.yield();
        }
        long now;
        while ((now = pongs.get()) == before) {
            Thread.yield();
        }
        return now;
    }
}
