package io.armature.transport.aeron.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
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

/**
 * Raw Aeron with no Armature layer, the baseline for {@link AeronTransportBenchmark}: the same
 * embedded SHARED driver settings and channel parameters; a pong agent echoes pings and counts
 * data, the benchmark thread offers and (for round trips) polls the pong stream itself.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class RawAeronBenchmark {
    private static final int PING_PORT = 40_551;
    private static final int PONG_PORT = 40_552;

    @Param({"64", "1024"})
    int size;

    private MediaDriver driver;
    private Aeron aeron;
    private Publication pingPublication;
    private Subscription pongSubscription;
    private AgentRunner ponger;
    private UnsafeBuffer data;
    private UnsafeBuffer ping;
    private FragmentAssembler pongHandler;
    private long pongs;

    @Setup(Level.Trial)
    public void setUp() {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName("/dev/shm/armature-raw-aeron-" + ProcessHandle.current().pid())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(BenchSettings.idle())
            .termBufferSparseFile(true)
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(100))
            .mtuLength(BenchSettings.MTU)
            .socketRcvbufLength(BenchSettings.BUFFERS)
            .socketSndbufLength(BenchSettings.BUFFERS)
            .initialWindowLength(BenchSettings.BUFFERS));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final Subscription pingSubscription = aeron.addSubscription(BenchSettings.subscription(PING_PORT), BenchSettings.PING_STREAM);
        final Publication pongPublication = aeron.addPublication(BenchSettings.publication(PONG_PORT), BenchSettings.PONG_STREAM);
        pongSubscription = aeron.addSubscription(BenchSettings.subscription(PONG_PORT), BenchSettings.PONG_STREAM);
        pingPublication = aeron.addPublication(BenchSettings.publication(PING_PORT), BenchSettings.PING_STREAM);
        ponger = new AgentRunner(BenchSettings.idle(), Throwable::printStackTrace, null,
            new Ponger(pingSubscription, pongPublication));
        AgentRunner.startOnThread(ponger);
        data = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        data.putByte(0, BenchSettings.DATA);
        ping = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        ping.putByte(0, BenchSettings.PING);
        pongHandler = new FragmentAssembler((buffer, offset, length, header) -> pongs++);
        while (!pingPublication.isConnected() || !pongPublication.isConnected()) {
            Thread.yield();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        CloseHelper.closeAll(ponger, aeron, driver);
    }

    /**
     * @return the offer's position
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long oneWay() {
        long result;
        while ((result = pingPublication.offer(data, 0, size)) < 0) {
            Thread.yield();
        }
        return result;
    }

    /**
     * @return the pong count
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTrip() {
        final long before = pongs;
        while (pingPublication.offer(ping, 0, size) < 0) {
            Thread.yield();
        }
        while (pongs == before) {
            if (pongSubscription.poll(pongHandler, 1) == 0) {
                Thread.yield();
            }
        }
        return pongs;
    }

    /** Echoes pings on the pong stream and counts data messages. */
    private static final class Ponger implements Agent {
        private final Subscription subscription;
        private final Publication publication;
        private final FragmentAssembler assembler;
        private long received;

        Ponger(final Subscription subscription, final Publication publication) {
            this.subscription = subscription;
            this.publication = publication;
            this.assembler = new FragmentAssembler((buffer, offset, length, header) -> {
                if (buffer.getByte(offset) == BenchSettings.PING) {
                    while (publication.offer(buffer, offset, length) < 0) {
                        Thread.yield();
                    }
                } else {
                    received++;
                }
            });
        }

        @Override
        public int doWork() {
            return subscription.poll(assembler, 64);
        }

        @Override
        public String roleName() {
            return "raw-ponger";
        }
    }
}
