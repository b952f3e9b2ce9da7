package io.armature.engine.wire;

import io.armature.spi.transport.Endpoint;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * Decodes frames. Every length is checked against the bytes actually present before anything is
 * allocated, so a hostile frame can make the decoder allocate at most about its own length, and
 * every malformed input ends as a {@link Decoded} with a {@link RejectReason}: this class never
 * throws on bad input.
 * <p>
 * With a {@link FrameMac} (the cluster secret) the trailer is checked right after the fixed
 * header, before any variable field is parsed or allocated: a frame without a valid tag never
 * reaches the body decoder, let alone the node's logic. Without one, a tagged frame is rejected.
 * Thread-safe without a MAC; with one, one decoder per event loop.
 */
public final class WireDecoder {
    private final int maxFrameLength;
    private final FrameMac mac;

    /**
     * @param maxFrameLength the largest frame accepted (the transport's maximum message size)
     */
    public WireDecoder(final int maxFrameLength) {
        this(maxFrameLength, null);
    }

    /**
     * @param maxFrameLength the largest frame accepted (the transport's maximum message size)
     * @param mac checks every frame's tag against the cluster secret; null for none. Owned by this
     *            decoder from now on (a {@link FrameMac} is not thread-safe)
     */
    public WireDecoder(final int maxFrameLength, final FrameMac mac) {
        this.maxFrameLength = maxFrameLength;
        this.mac = mac;
    }

    /**
     * The outcome of decoding: a frame, or why there is none.
     *
     * @param frame the frame, or null
     * @param reason why the frame was rejected, or null
     * @param detail words for the log, or null
     */
    public record Decoded(Frame frame, RejectReason reason, String detail) {
        /**
         * @return true if a frame was decoded
         */
        public boolean ok() {
            return frame != null;
        }
    }

    /**
     * @param buffer the bytes
     * @param offset where the frame starts
     * @param length how many bytes were received
     * @return the frame or the rejection
     */
    public Decoded decode(final DirectBuffer buffer, final int offset, final int length) {
        try {
            return new Decoded(decodeOrThrow(buffer, offset, length), null, null);
        } catch (final Malformed e) {
            return new Decoded(null, e.reason, e.getMessage());
        } catch (final RuntimeException e) {
            // Defence in depth: a decoder bug must still not escape into the transport thread.
            return new Decoded(null, RejectReason.BAD_FIELD, "unexpected " + e);
        }
    }

    private Frame decodeOrThrow(final DirectBuffer buffer, final int offset, final int length) throws Malformed {
        if (length < Wire.FIXED_HEADER_LENGTH) {
            throw new Malformed(RejectReason.TOO_SHORT, length + " bytes");
        }
        if (offset < 0 || (long) offset + length > buffer.capacity()) {
            throw new Malformed(RejectReason.TRUNCATED, "buffer smaller than stated length");
        }
        final Reader r = new Reader(buffer, offset, length);
        final int magic = r.u16();
        if (magic != Wire.MAGIC) {
            throw new Malformed(RejectReason.BAD_MAGIC, Integer.toHexString(magic));
        }
        final int version = r.u8();
        if (version != Wire.PROTOCOL_VERSION) {
            throw new Malformed(RejectReason.UNSUPPORTED_VERSION, "version " + version);
        }
        final int typeCode = r.u8();
        final MessageType type = MessageType.fromCode(typeCode);
        if (type == null) {
            throw new Malformed(RejectReason.UNKNOWN_TYPE, "type " + typeCode);
        }
        final int flags = r.u8();
        if ((flags & ~Wire.KNOWN_FLAGS) != 0) {
            throw new Malformed(RejectReason.UNSUPPORTED_FLAGS, "flags " + flags);
        }
        final long frameLength = r.u32();
        if (frameLength != length || frameLength > maxFrameLength) {
            throw new Malformed(RejectReason.LENGTH_MISMATCH, "header says " + frameLength + ", received " + length);
        }
        final boolean tagged = (flags & Wire.FLAG_HMAC) != 0;
        if (mac != null && !tagged) {
            throw new Malformed(RejectReason.MISSING_MAC, "untagged frame at a node with a cluster secret");
        }
        if (mac == null && tagged) {
            throw new Malformed(RejectReason.UNEXPECTED_MAC, "tagged frame at a node without a cluster secret");
        }
        if (tagged) {
            if (length < Wire.FIXED_HEADER_LENGTH + Wire.HMAC_LENGTH || !mac.verify(buffer, offset, length)) {
                throw new Malformed(RejectReason.BAD_MAC, "tag does not match");
            }
            r.shorten(Wire.HMAC_LENGTH);
        }
        final long requestId = r.i64();
        final String sender = r.string8();
        if (sender.length() > Wire.MAX_SENDER_LENGTH || !validSender(sender)) {
            throw new Malformed(RejectReason.BAD_FIELD, "sender id");
        }
        final Endpoint replyTo;
        try {
            replyTo = Endpoint.parse(r.string8());
        } catch (final IllegalArgumentException e) {
            throw new Malformed(RejectReason.BAD_FIELD, "reply endpoint");
        }
        final Message message = body(type, r);
        if (r.remaining() != 0) {
            throw new Malformed(RejectReason.TRAILING_BYTES, r.remaining() + " bytes after the body");
        }
        return new Frame(flags, requestId, sender, replyTo, message);
    }

    private static Message body(final MessageType type, final Reader r) throws Malformed {
        switch (type) {
            case REPLICA_GET:
                return new Message.ReplicaGet(r.u16(), r.key());
            case REPLICA_GET_REPLY: {
                final int status = r.u8();
                if (status == 0) {
                    return new Message.ReplicaGetReply(true, r.bytes32());
                }
                if (status == 1 || status == 2) {
                    return new Message.ReplicaGetReply(status == 1, null);
                }
                throw new Malformed(RejectReason.BAD_FIELD, "replica get status " + status);
            }
            case REPLICA_PUT: {
                final int partition = r.u16();
                final byte[] key = r.key();
                final byte[] vs = r.bytes32();
                final String owner = r.string8();
                if (!validSender(owner)) {
                    throw new Malformed(RejectReason.BAD_FIELD, "hint owner");
                }
                return new Message.ReplicaPut(partition, key, vs, owner.isEmpty() ? null : owner);
            }
            case REPLICA_PUT_REPLY: {
                final int status = r.u8();
                if (status > 2) {
                    throw new Malformed(RejectReason.BAD_FIELD, "replica put status " + status);
                }
                return new Message.ReplicaPutReply(status == 0, status == 2);
            }
            case CLIENT_GET:
                return new Message.ClientGet(r.key(), r.u8(), r.u32());
            case CLIENT_WRITE:
            case FORWARD_WRITE: {
                final int op = r.u8();
                if (op > 1) {
                    throw new Malformed(RejectReason.BAD_FIELD, "write op " + op);
                }
                return new Message.ClientWrite(type == MessageType.FORWARD_WRITE, Message.WriteOp.values()[op],
                    r.key(), r.bytes32(), r.bytes32(), r.u8(), r.u32());
            }
            case CLIENT_REPLY:
                return clientReply(r);
            default:
                return new Message.Opaque(type, r.raw(r.remaining()));
        }
    }

    private static Message clientReply(final Reader r) throws Malformed {
        final int s = r.u8();
        final Message.Status[] all = Message.Status.values();
        if (s >= all.length) {
            throw new Malformed(RejectReason.BAD_FIELD, "reply status " + s);
        }
        final Message.Status status = all[s];
        if (status == Message.Status.OK) {
            final int count = r.u16();
            // Each value needs at least its 4-byte length: bound the list by what is present.
            if ((long) count * 4 > r.remaining()) {
                throw new Malformed(RejectReason.TRUNCATED, count + " values");
            }
            final List<byte[]> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(r.bytes32());
            }
            return new Message.ClientReply(status, values, r.bytes32(), "", 0, 0, "");
        }
        final String operation = r.string8();
        final int required = r.u8();
        final int achieved = r.u8();
        final int messageLength = r.u16();
        if (messageLength > Wire.MAX_MESSAGE_LENGTH) {
            throw new Malformed(RejectReason.BAD_FIELD, "message length " + messageLength);
        }
        final String message = new String(r.raw(messageLength), StandardCharsets.UTF_8);
        return new Message.ClientReply(status, List.of(), new byte[0], operation, required, achieved, message);
    }

    private static boolean validSender(final String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return s.length() <= Wire.MAX_SENDER_LENGTH;
    }

    /** A cheap, stack-less signal: malformed input is expected traffic, not a bug. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient RejectReason reason;

        Malformed(final RejectReason reason, final String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    private static final class Reader {
        private final DirectBuffer buffer;
        private int end;
        private int pos;

        Reader(final DirectBuffer buffer, final int offset, final int length) {
            this.buffer = buffer;
            this.pos = offset;
            this.end = offset + length;
        }

        int remaining() {
            return end - pos;
        }

        void shorten(final int trailer) {
            end -= trailer;
        }

        private void need(final long n) throws Malformed {
            if (n < 0 || n > end - pos) {
                throw new Malformed(RejectReason.TRUNCATED, "needed " + n + " bytes, " + (end - pos) + " left");
            }
        }

        int u8() throws Malformed {
            need(1);
            return buffer.getByte(pos++) & 0xFF;
        }

        int u16() throws Malformed {
            need(2);
            final int v = buffer.getShort(pos, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            pos += 2;
            return v;
        }

        long u32() throws Malformed {
            need(4);
            final long v = buffer.getInt(pos, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            pos += 4;
            return v;
        }

        long i64() throws Malformed {
            need(8);
            final long v = buffer.getLong(pos, ByteOrder.LITTLE_ENDIAN);
            pos += 8;
            return v;
        }

        byte[] raw(final long n) throws Malformed {
            need(n);
            final byte[] b = new byte[(int) n];
            buffer.getBytes(pos, b);
            pos += (int) n;
            return b;
        }

        byte[] key() throws Malformed {
            final byte[] k = raw(u16());
            if (k.length == 0) {
                throw new Malformed(RejectReason.BAD_FIELD, "empty key");
            }
            return k;
        }

        byte[] bytes32() throws Malformed {
            return raw(u32());
        }

        String string8() throws Malformed {
            return new String(raw(u8()), StandardCharsets.UTF_8);
        }
    }
}
