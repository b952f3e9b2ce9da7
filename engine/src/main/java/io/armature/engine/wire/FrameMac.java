package io.armature.engine.wire;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.DirectBuffer;

/**
 * HMAC-SHA256 over a frame, keyed by the cluster secret (DESIGN "Wire format"). The tag covers
 * every byte before it, header included, so the flags, the frame length, the sender and the reply
 * endpoint are authenticated as well as the body.
 * <p>
 * Not thread-safe: a {@link Mac} holds running state, so each event loop (node, client) owns its
 * own instances, one in its encoder and one in its decoder. The comparison is constant-time
 * ({@link MessageDigest#isEqual}) so that timing tells an attacker nothing about how much of a
 * forged tag was right.
 * <p>
 * What it does not do: it does not encrypt, and it does not stop an attacker on the path from
 * replaying a frame it captured (replica puts are idempotent merges; a replayed client write
 * is a new write). Those need a channel with sessions, which is outside the engine's framing.
 */
public final class FrameMac {
    private static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;
    private final byte[] expected = new byte[Wire.HMAC_LENGTH];
    private final byte[] received = new byte[Wire.HMAC_LENGTH];
    private byte[] scratch = new byte[0];

    /**
     * @param secret the cluster secret, at least one byte; copied
     * @throws IllegalArgumentException if the secret is empty
     */
    public FrameMac(final byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("cluster secret must not be empty");
        }
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (final GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA256; reaching this means a broken JDK.
            throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
        }
    }

    /**
     * @param secret the cluster secret, or null for none
     * @return a MAC for the secret, or null when there is none
     */
    public static FrameMac of(final byte[] secret) {
        return secret == null ? null : new FrameMac(secret);
    }

    /**
     * Computes the tag of {@code length} bytes and writes it into {@code out}.
     *
     * @param bytes the frame without its trailer
     * @param offset where it starts
     * @param length how many bytes it has
     * @param out receives the tag
     * @param outOffset where in {@code out}; {@link Wire#HMAC_LENGTH} bytes must fit there
     */
    public void tag(final byte[] bytes, final int offset, final int length, final byte[] out, final int outOffset) {
        mac.update(bytes, offset, length);
        try {
            mac.doFinal(out, outOffset);
        } catch (final ShortBufferException e) {
            throw new IllegalArgumentException("no room for a " + Wire.HMAC_LENGTH + "-byte tag at " + outOffset, e);
        }
    }

    /**
     * Checks the trailer of a tagged frame: the last {@link Wire#HMAC_LENGTH} bytes must be the
     * tag of everything before them.
     *
     * @param buffer the bytes
     * @param offset where the frame starts
     * @param length the frame's length, trailer included
     * @return true only if the tag is present and right
     */
    public boolean verify(final DirectBuffer buffer, final int offset, final int length) {
        final int covered = length - Wire.HMAC_LENGTH;
        if (covered < 0) {
            return false;
        }
        final byte[] array = buffer.byteArray();
        if (array != null) {
            mac.update(array, buffer.wrapAdjustment() + offset, covered);
        } else if (buffer.byteBuffer() != null) {
            final ByteBuffer b = buffer.byteBuffer().duplicate();
            final int start = buffer.wrapAdjustment() + offset;
            b.limit(start + covered).position(start);
            mac.update(b);
        } else {
            if (scratch.length < covered) {
                scratch = new byte[covered];
            }
            buffer.getBytes(offset, scratch, 0, covered);
            mac.update(scratch, 0, covered);
        }
        try {
            mac.doFinal(expected, 0);
        } catch (final ShortBufferException e) {
            throw new IllegalStateException("expected tag buffer too small", e);
        }
        buffer.getBytes(offset + covered, received);
        return MessageDigest.isEqual(expected, received);
    }
}
