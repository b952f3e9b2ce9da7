package io.armature.engine.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.spi.transport.Endpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The decoder's contract: valid frames round-trip; random, truncated and bit-flipped bytes end
 * in a clean rejection (or, for a mutation that happens to stay well-formed, a frame that
 * re-encodes consistently), never an exception.
 */
class WireCodecProperties {
    private static final WireDecoder DECODER = new WireDecoder(4 * 1024 * 1024);

    @Property(tries = 1000)
    void validFramesRoundTrip(@ForAll("frames") final byte[] frame) {
        final WireDecoder.Decoded d = decode(frame);
        assertTrue(d.ok(), () -> "rejected a valid frame: " + d.reason() + " " + d.detail());
        assertArrayEquals(frame, reencode(d.frame()));
    }

    @Property(tries = 1000)
    void randomBytesAreRejectedCleanly(@ForAll @Size(max = 512) final byte[] bytes) {
        final WireDecoder.Decoded d = decode(bytes);
        assertFalse(d.ok());
        assertNotNull(d.reason());
    }

    @Property(tries = 1000)
    void randomBodiesBehindAValidHeaderNeverEscape(@ForAll @IntRange(min = 0, max = 255) final int type,
                                                  @ForAll @Size(max = 300) final byte[] body) {
        final byte[] sender = "node-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] reply = "node-1:1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int length = Wire.FIXED_HEADER_LENGTH + 2 + sender.length + reply.length + body.length;
        final ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) Wire.MAGIC).put((byte) Wire.PROTOCOL_VERSION).put((byte) type).put((byte) 0).putInt(length)
            .putLong(7).put((byte) sender.length).put(sender).put((byte) reply.length).put(reply).put(body);
        checkNeverEscapes(b.array());
    }

    @Property(tries = 1000)
    void truncatedFramesAreRejected(@ForAll("frames") final byte[] frame, @ForAll @IntRange(min = 0, max = 1 << 20) final int cut) {
        final int length = cut % frame.length;
        final byte[] truncated = java.util.Arrays.copyOf(frame, length);
        final WireDecoder.Decoded d = decode(truncated);
        assertFalse(d.ok(), "a frame cut to " + length + " of " + frame.length + " bytes was accepted");
        // The same cut with the header's length patched to match must still never escape.
        if (length >= Wire.FIXED_HEADER_LENGTH) {
            ByteBuffer.wrap(truncated).order(ByteOrder.LITTLE_ENDIAN).putInt(Wire.LENGTH_OFFSET, length);
            checkNeverEscapes(truncated);
        }
    }

    @Property(tries = 1000)
    void bitFlipsOfValidFramesNeverEscape(@ForAll("frames") final byte[] frame, @ForAll @Size(min = 1, max = 8) final List<Integer> flips) {
        final byte[] mutated = frame.clone();
        for (final int f : flips) {
            final int bit = Math.floorMod(f, mutated.length * 8);
            mutated[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        checkNeverEscapes(mutated);
    }

    @Property(tries = 200)
    void lengthFieldsBeyondTheFrameAreRejectedWithoutAllocatingThem(@ForAll("frames") final byte[] frame) {
        // Claim 2 GiB values everywhere a u32 could sit: the decoder must reject, not allocate.
        for (int at = Wire.FIXED_HEADER_LENGTH; at + 4 <= frame.length; at++) {
            final byte[] m = frame.clone();
            ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(at, Integer.MAX_VALUE);
            checkNeverEscapes(m);
        }
    }

    private static void checkNeverEscapes(final byte[] bytes) {
        final WireDecoder.Decoded d = decode(bytes);
        if (d.ok()) {
            final byte[] again = reencode(d.frame());
            final WireDecoder.Decoded d2 = decode(again);
            assertTrue(d2.ok());
            assertArrayEquals(again, reencode(d2.frame()));
        } else {
            assertNotNull(d.reason());
        }
    }

    private static WireDecoder.Decoded decode(final byte[] bytes) {
        return DECODER.decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static byte[] reencode(final Frame f) {
        return new WireEncoder(f.sender(), f.replyTo()).encodeToArray(f.requestId(), f.message());
    }

    @Provide
    Arbitrary<byte[]> frames() {
        final Arbitrary<String> senders = Arbitraries.strings().withChars("abcXYZ019.-_").ofMinLength(0).ofMaxLength(64);
        final Arbitrary<Endpoint> endpoints = Combinators.combine(
            Arbitraries.strings().withChars("abcdef0123.-").ofMinLength(1).ofMaxLength(30),
            Arbitraries.integers().between(0, 65_535)).as(Endpoint::new);
        return Combinators.combine(senders, endpoints, Arbitraries.longs(), messages())
            .as((s, e, id, m) -> new WireEncoder(s, e).encodeToArray(id, m));
    }

    static Arbitrary<Message> messages() {
        final Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        final Arbitrary<byte[]> blobs = Arbitraries.bytes().array(byte[].class).ofMaxSize(100);
        final Arbitrary<Integer> partitions = Arbitraries.integers().between(0, 65_535);
        final Arbitrary<Integer> quorum = Arbitraries.integers().between(0, 255);
        final Arbitrary<Long> millis = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        final Arbitrary<String> owner = Arbitraries.strings().withChars("node-123").ofMinLength(1).ofMaxLength(20).injectNull(0.5);
        return Arbitraries.oneOf(
            Combinators.combine(partitions, keys).as(Message.ReplicaGet::new),
            Combinators.combine(Arbitraries.of(true, false), blobs.injectNull(0.3))
                .as((ok, vs) -> new Message.ReplicaGetReply(ok, ok ? vs : null)),
            Combinators.combine(partitions, keys, blobs, owner).as(Message.ReplicaPut::new),
            Arbitraries.of(new Message.ReplicaPutReply(true), new Message.ReplicaPutReply(false),
                new Message.ReplicaPutReply(false, true)),
            Combinators.combine(keys, quorum, millis).as(Message.ClientGet::new),
            Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(Message.WriteOp.class), keys, blobs, blobs, quorum, millis)
                .as(Message.ClientWrite::new),
            Combinators.combine(blobs.list().ofMaxSize(5), blobs).as((vs, ctx) ->
                new Message.ClientReply(Message.Status.OK, vs, ctx, "", 0, 0, "")),
            Combinators.combine(Arbitraries.of(Message.Status.class).filter(s -> s != Message.Status.OK),
                    Arbitraries.of("get", "put", "delete"), quorum, quorum, Arbitraries.strings().ofMaxLength(50))
                .as((st, op, r, a, msg) -> new Message.ClientReply(st, List.of(), new byte[0], op, r, a, msg)),
            Combinators.combine(Arbitraries.of(MessageType.class).filter(MessageType::isReserved), blobs).as(Message.Opaque::new));
    }

    @Property(tries = 100)
    void everyRejectionHasATag(@ForAll final RejectReason reason) {
        assertEquals(reason.tag(), reason.tag().toLowerCase(java.util.Locale.ROOT));
        assertFalse(reason.tag().contains("_"));
    }
}
