package io.armature.engine.bench;

import io.armature.engine.wire.FrameMac;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.Wire;
import io.armature.engine.wire.WireDecoder;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.transport.Endpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
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

/**
 * Cost of the cluster secret per message: encoding and decoding a frame of about {@code frameBytes}
 * (a client write whose value fills it) with and without the HMAC-SHA256 trailer. The difference
 * between {@code encodeTagged} and {@code encodePlain} (and the two decodes) is what the secret
 * adds to each send (and receive) on a node's event loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MacBenchmark {
    private static final byte[] SECRET = "a-cluster-secret-of-32-bytes-len".getBytes(StandardCharsets.UTF_8);

    @Param({"64", "1024"})
    public int frameBytes;

    private WireEncoder plainEncoder;
    private WireEncoder taggedEncoder;
    private WireDecoder plainDecoder;
    private WireDecoder taggedDecoder;
    private Message message;
    private UnsafeBuffer plainFrame;
    private UnsafeBuffer taggedFrame;
    private int plainLength;
    private int taggedLength;

    @Setup
    public void setUp() {
        final Endpoint replyTo = new Endpoint("10.0.0.1", 7000);
        plainEncoder = new WireEncoder("node-1", replyTo);
        taggedEncoder = new WireEncoder("node-1", replyTo, new FrameMac(SECRET));
        plainDecoder = new WireDecoder(1 << 20);
        taggedDecoder = new WireDecoder(1 << 20, new FrameMac(SECRET));
        final byte[] key = "key-0001".getBytes(StandardCharsets.UTF_8);
        final int overhead = plainEncoder.encode(1, new Message.ClientWrite(false, Message.WriteOp.PUT, key, new byte[0],
            new byte[0], 2, 1000)).remaining();
        // The tagged frame is the plain one plus the trailer: size the value so the plain frame is frameBytes.
        final byte[] value = new byte[Math.max(0, frameBytes - overhead)];
        message = new Message.ClientWrite(false, Message.WriteOp.PUT, key, value, new byte[0], 2, 1000);
        final byte[] plain = plainEncoder.encodeToArray(1, message);
        final byte[] tagged = taggedEncoder.encodeToArray(1, message);
        if (tagged.length != plain.length + Wire.HMAC_LENGTH || !taggedDecoder.decode(new UnsafeBuffer(tagged), 0, tagged.length).ok()) {
            throw new IllegalStateException("tagged frame does not round-trip");
        }
        plainFrame = new UnsafeBuffer(plain);
        plainLength = plain.length;
        taggedFrame = new UnsafeBuffer(tagged);
        taggedLength = tagged.length;
    }

    @Benchmark
    public ByteBuffer encodePlain() {
        return plainEncoder.encode(1, message);
    }

    @Benchmark
    public ByteBuffer encodeTagged() {
        return taggedEncoder.encode(1, message);
    }

    @Benchmark
    public WireDecoder.Decoded decodePlain() {
        return plainDecoder.decode(plainFrame, 0, plainLength);
    }

    @Benchmark
    public WireDecoder.Decoded decodeTagged() {
        return taggedDecoder.decode(taggedFrame, 0, taggedLength);
    }
}
