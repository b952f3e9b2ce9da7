package io.armature.engine.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.spi.transport.Endpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The cluster secret's contract at the framing level: a frame tagged with the secret decodes to
 * the same message as without it; nothing else passes a secured decoder (bit flips, truncation,
 * random bytes behind a plausible header, another secret, no tag), and an unsecured decoder
 * refuses tagged frames.
 */
class FrameMacProperties {
    private static final int MAX = 4 * 1024 * 1024;
    private static final Endpoint FROM = new Endpoint("node-1", 4711);

    @Property(tries = 1000)
    void taggedFramesDecodeToTheSameMessage(@ForAll("secrets") final byte[] secret, @ForAll("messages") final Message m,
                                            @ForAll final long requestId) {
        final byte[] tagged = encode(secret, requestId, m);
        final byte[] plain = encode(null, requestId, m);
        assertEquals(plain.length + Wire.HMAC_LENGTH, tagged.length);
        final WireDecoder.Decoded d = decode(secret, tagged);
        assertTrue(d.ok(), () -> "rejected a tagged frame: " + d.reason() + " " + d.detail());
        assertEquals(Wire.FLAG_HMAC, d.frame().flags());
        assertEquals(requestId, d.frame().requestId());
        assertArrayEquals(plain, new WireEncoder(d.frame().sender(), d.frame().replyTo()).encodeToArray(requestId, d.frame().message()));
    }

    @Property(tries = 1000)
    void noBitFlipOfATaggedFramePassesTheCheck(@ForAll("secrets") final byte[] secret, @ForAll("messages") final Message m,
                                              @ForAll @Size(min = 1, max = 8) final List<Integer> flips) {
        final byte[] frame = encode(secret, 1, m);
        final byte[] mutated = frame.clone();
        for (final int f : flips) {
            final int bit = Math.floorMod(f, mutated.length * 8);
            mutated[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        Assume.that(!Arrays.equals(frame, mutated));
        assertFalse(decode(secret, mutated).ok(), "a tagged frame with flipped bits was accepted");
    }

    @Property(tries = 1000)
    void aFlipInTheCoveredBytesOrTheTagIsABadMac(@ForAll("secrets") final byte[] secret, @ForAll("messages") final Message m,
                                                @ForAll @IntRange(min = 0, max = 1 << 20) final int at) {
        final byte[] frame = encode(secret, 1, m);
        // Past the fixed header every byte is covered only by the tag: nothing but the MAC can catch it.
        final int pos = Wire.FIXED_HEADER_LENGTH + at % (frame.length - Wire.FIXED_HEADER_LENGTH);
        frame[pos] ^= (byte) 0x5A;
        assertEquals(RejectReason.BAD_MAC, decode(secret, frame).reason());
    }

    @Property(tries = 1000)
    void randomBytesBehindAHeaderThatClaimsATagNeverPass(@ForAll("secrets") final byte[] secret,
                                                        @ForAll @Size(max = 600) final byte[] rest) {
        final int length = Wire.FIXED_HEADER_LENGTH + rest.length;
        final ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) Wire.MAGIC).put((byte) Wire.PROTOCOL_VERSION).put((byte) MessageType.CLIENT_GET.code())
            .put((byte) Wire.FLAG_HMAC).putInt(length).putLong(7).put(rest);
        final WireDecoder.Decoded d = decode(secret, b.array());
        assertFalse(d.ok());
        assertEquals(RejectReason.BAD_MAC, d.reason());
    }

    @Property(tries = 1000)
    void framesTaggedWithAnotherSecretAreABadMac(@ForAll("secrets") final byte[] ours, @ForAll("secrets") final byte[] theirs,
                                                @ForAll("messages") final Message m) {
        Assume.that(!Arrays.equals(ours, theirs));
        assertEquals(RejectReason.BAD_MAC, decode(ours, encode(theirs, 3, m)).reason());
    }

    @Property(tries = 1000)
    void truncatedTaggedFramesNeverPass(@ForAll("secrets") final byte[] secret, @ForAll("messages") final Message m,
                                        @ForAll @IntRange(min = 0, max = 1 << 20) final int cut) {
        final byte[] frame = encode(secret, 5, m);
        final byte[] truncated = Arrays.copyOf(frame, cut % frame.length);
        assertFalse(decode(secret, truncated).ok());
        if (truncated.length >= Wire.FIXED_HEADER_LENGTH) {
            // Even with the length field patched to match, the tag no longer fits.
            ByteBuffer.wrap(truncated).order(ByteOrder.LITTLE_ENDIAN).putInt(Wire.LENGTH_OFFSET, truncated.length);
            assertFalse(decode(secret, truncated).ok());
        }
    }

    @Property(tries = 1000)
    void aSecuredDecoderRefusesUntaggedFramesAndAnUnsecuredOneTaggedFrames(@ForAll("secrets") final byte[] secret,
                                                                         @ForAll("messages") final Message m) {
        assertEquals(RejectReason.MISSING_MAC, decode(secret, encode(null, 9, m)).reason());
        assertEquals(RejectReason.UNEXPECTED_MAC, decode(null, encode(secret, 9, m)).reason());
    }

    @Property(tries = 200)
    void theTagIsCheckedInByteBufferBackedBuffersToo(@ForAll("secrets") final byte[] secret, @ForAll("messages") final Message m) {
        final byte[] frame = encode(secret, 11, m);
        final ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 8);
        direct.position(8);
        direct.put(frame);
        final UnsafeBuffer view = new UnsafeBuffer(direct, 3, frame.length + 5);
        assertTrue(new WireDecoder(MAX, new FrameMac(secret)).decode(view, 5, frame.length).ok());
        frame[frame.length - 1] ^= 1;
        direct.put(8 + frame.length - 1, frame[frame.length - 1]);
        assertEquals(RejectReason.BAD_MAC, new WireDecoder(MAX, new FrameMac(secret)).decode(view, 5, frame.length).reason());
    }

    private static byte[] encode(final byte[] secret, final long requestId, final Message m) {
        return new WireEncoder("node-1", FROM, FrameMac.of(secret)).encodeToArray(requestId, m);
    }

    private static WireDecoder.Decoded decode(final byte[] secret, final byte[] bytes) {
        return new WireDecoder(MAX, FrameMac.of(secret)).decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    @Provide
    Arbitrary<byte[]> secrets() {
        return Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(100),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<Message> messages() {
        return WireCodecProperties.messages();
    }
}
