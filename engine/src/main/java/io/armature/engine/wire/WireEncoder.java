package io.armature.engine.wire;

import io.armature.spi.transport.Endpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;

/**
 * Encodes frames into a reusable buffer. With a {@link FrameMac} (the cluster secret) every frame
 * gets {@link Wire#FLAG_HMAC} and the HMAC trailer. Not thread-safe: one per event loop (or per call).
 * The returned {@link ByteBuffer} views the encoder's buffer and is valid until the next encode;
 * transports copy it on send.
 */
public final class WireEncoder {
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final String sender;
    private final byte[] senderBytes;
    private final byte[] replyBytes;
    private final FrameMac mac;
    private int pos;

    /**
     * @param sender this node's id, or "" for a client
     * @param replyTo where replies to this sender go
     */
    public WireEncoder(final String sender, final Endpoint replyTo) {
        this(sender, replyTo, null);
    }

    /**
     * @param sender this node's id, or "" for a client
     * @param replyTo where replies to this sender go
     * @param mac tags every frame with the cluster secret; null for none. Owned by this encoder
     *            from now on (a {@link FrameMac} is not thread-safe)
     */
    public WireEncoder(final String sender, final Endpoint replyTo, final FrameMac mac) {
        this.mac = mac;
        this.sender = sender;
        this.senderBytes = sender.getBytes(StandardCharsets.UTF_8);
        this.replyBytes = replyTo.toString().getBytes(StandardCharsets.UTF_8);
        if (senderBytes.length > Wire.MAX_SENDER_LENGTH || replyBytes.length > Wire.MAX_ENDPOINT_LENGTH) {
            throw new IllegalArgumentException("sender or reply endpoint too long: " + sender + " " + replyTo);
        }
    }

    /**
     * @return the sender id this encoder writes
     */
    public String sender() {
        return sender;
    }

    /**
     * @param requestId the request id
     * @param message the body
     * @return the encoded frame, valid until the next call
     */
    public ByteBuffer encode(final long requestId, final Message message) {
        pos = 0;
        putU16(Wire.MAGIC);
        putU8(Wire.PROTOCOL_VERSION);
        putU8(message.type().code());
        putU8(mac == null ? 0 : Wire.FLAG_HMAC);
        putU32(0);
        buffer.putLong(pos, requestId, ByteOrder.LITTLE_ENDIAN);
        pos += 8;
        putU8(senderBytes.length);
        putRaw(senderBytes);
        putU8(replyBytes.length);
        putRaw(replyBytes);
        body(message);
        if (mac == null) {
            buffer.putInt(Wire.LENGTH_OFFSET, pos, ByteOrder.LITTLE_ENDIAN);
        } else {
            // The length field must already count the trailer: the tag covers the header as sent.
            buffer.putInt(Wire.LENGTH_OFFSET, pos + Wire.HMAC_LENGTH, ByteOrder.LITTLE_ENDIAN);
            buffer.checkLimit(pos + Wire.HMAC_LENGTH);
            mac.tag(buffer.byteArray(), 0, pos, buffer.byteArray(), pos);
            pos += Wire.HMAC_LENGTH;
        }
        return ByteBuffer.wrap(buffer.byteArray(), 0, pos).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param requestId the request id
     * @param message the body
     * @return a copy of the encoded frame
     */
    public byte[] encodeToArray(final long requestId, final Message message) {
        final ByteBuffer b = encode(requestId, message);
        final byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private void body(final Message message) {
        if (message instanceof Message.ReplicaGet m) {
            putU16(m.partition());
            putBytes16(m.key());
        } else if (message instanceof Message.ReplicaGetReply m) {
            putU8(!m.ok() ? 2 : m.versionSet() == null ? 1 : 0);
            if (m.ok() && m.versionSet() != null) {
                putBytes32(m.versionSet());
            }
        } else if (message instanceof Message.ReplicaPut m) {
            putU16(m.partition());
            putBytes16(m.key());
            putBytes32(m.versionSet());
            putBytes8(m.hintOwner() == null ? new byte[0] : m.hintOwner().getBytes(StandardCharsets.UTF_8));
        } else if (message instanceof Message.ReplicaPutReply m) {
            putU8(m.ok() ? 0 : m.tooLarge() ? 2 : 1);
        } else if (message instanceof Message.ClientGet m) {
            putBytes16(m.key());
            putU8(m.r());
            putU32(m.timeoutMillis());
        } else if (message instanceof Message.ClientWrite m) {
            putU8(m.op().ordinal());
            putBytes16(m.key());
            putBytes32(m.value());
            putBytes32(m.context());
            putU8(m.w());
            putU32(m.timeoutMillis());
        } else if (message instanceof Message.ClientReply m) {
            putU8(m.status().ordinal());
            if (m.status() == Message.Status.OK) {
                final List<byte[]> values = m.values();
                putU16(values.size());
                for (final byte[] v : values) {
                    putBytes32(v);
                }
                putBytes32(m.context());
            } else {
                putBytes8(utf8(m.operation(), 255));
                putU8(m.required());
                putU8(m.achieved());
                putBytes16(utf8(m.message(), Wire.MAX_MESSAGE_LENGTH));
            }
        } else if (message instanceof Message.Opaque m) {
            putRaw(m.body());
        }
    }

    private static byte[] utf8(final String s, final int max) {
        final byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) {
            return b;
        }
        // Truncating may split a UTF-8 sequence; the decoder replaces it, which is fine for a message.
        final byte[] t = new byte[max];
        System.arraycopy(b, 0, t, 0, max);
        return t;
    }

    private void putU8(final int v) {
        buffer.putByte(pos, (byte) v);
        pos += 1;
    }

    private void putU16(final int v) {
        buffer.putShort(pos, (short) v, ByteOrder.LITTLE_ENDIAN);
        pos += 2;
    }

    private void putU32(final long v) {
        buffer.putInt(pos, (int) v, ByteOrder.LITTLE_ENDIAN);
        pos += 4;
    }

    private void putRaw(final byte[] b) {
        buffer.putBytes(pos, b);
        pos += b.length;
    }

    private void putBytes8(final byte[] b) {
        if (b.length > 255) {
            throw new IllegalArgumentException("field longer than 255 bytes: " + b.length);
        }
        putU8(b.length);
        putRaw(b);
    }

    private void putBytes16(final byte[] b) {
        if (b.length > 65_535) {
            throw new IllegalArgumentException("field longer than 65535 bytes: " + b.length);
        }
        putU16(b.length);
        putRaw(b);
    }

    private void putBytes32(final byte[] b) {
        putU32(b.length);
        putRaw(b);
    }
}
