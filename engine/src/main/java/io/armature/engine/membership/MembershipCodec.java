package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * The binary form of a {@link MembershipView}, version 3 (versions 1, without settledEpoch and zone, and 2, without zone,
 * still decode):
 * <pre>
 * version:u8 = 3
 * count:varint                         members, strictly increasing node id order
 * count x {
 *   idLength:u8 (1..64)  id:ascii
 *   hostLength:u8 (1..255)  host:utf8  port:u16 BE
 *   status:u8 (0..3)
 *   generation:varint  version:varint  ringEpoch:varint  settledEpoch:varint (v2)   unsigned LEB128, at most 63 bits
 *   zoneLength:u8 (0..64)  zone:ascii (v3, [A-Za-z0-9._-])
 * }
 * </pre>
 * About 20 + id + host bytes per member, so a 100-node view is about 4 KiB. The decoder never
 * allocates more than the input's length justifies: the count is checked against the bytes left
 * (every entry takes at least {@link #MIN_ENTRY_BYTES}) and strings against their length byte.
 */
final class MembershipCodec {
    static final byte VERSION = 3;
    private static final byte VERSION_WITHOUT_ZONE = 2;
    private static final byte VERSION_WITHOUT_SETTLED = 1;
    static final int MIN_ENTRY_BYTES = 10;
    private static final MemberState.Status[] STATUSES = MemberState.Status.values();

    private MembershipCodec() {
    }

    static byte[] encode(final MembershipView view) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1 + 5 + view.size() * 48);
        out.write(VERSION);
        writeVarint(out, view.size());
        for (final MemberState s : view.members()) {
            final byte[] id = s.node().value().getBytes(StandardCharsets.US_ASCII);
            out.write(id.length);
            out.writeBytes(id);
            final byte[] host = s.endpoint().host().getBytes(StandardCharsets.UTF_8);
            out.write(host.length);
            out.writeBytes(host);
            out.write(s.endpoint().port() >>> 8);
            out.write(s.endpoint().port());
            out.write(s.status().ordinal());
            writeVarint(out, s.generation());
            writeVarint(out, s.version());
            writeVarint(out, s.ringEpoch());
            writeVarint(out, s.settledEpoch());
            final byte[] zone = s.zone().getBytes(StandardCharsets.US_ASCII);
            out.write(zone.length);
            out.writeBytes(zone);
        }
        return out.toByteArray();
    }

    static MembershipView decode(final byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new MembershipCodecException("membership view: no bytes");
        }
        final Reader in = new Reader(bytes);
        final int version = in.u8("version");
        if (version != VERSION && version != VERSION_WITHOUT_ZONE && version != VERSION_WITHOUT_SETTLED) {
            throw new MembershipCodecException("membership view: unknown format version " + version + ", expected "
                + VERSION_WITHOUT_SETTLED + ".." + VERSION);
        }
        final long count = in.varint("count");
        if (count > (bytes.length - in.pos) / MIN_ENTRY_BYTES) {
            throw new MembershipCodecException("membership view: count " + count + " does not fit in the "
                + (bytes.length - in.pos) + " bytes left");
        }
        final TreeMap<NodeId, MemberState> members = new TreeMap<>();
        NodeId previous = null;
        for (long i = 0; i < count; i++) {
            final int entryStart = in.pos;
            final NodeId id;
            final Endpoint endpoint;
            try {
                id = new NodeId(in.string("node id", 64, false));
                final String host = in.string("host", MemberState.MAX_HOST_BYTES, true);
                endpoint = new Endpoint(host, in.u16("port"));
            } catch (final IllegalArgumentException e) {
                throw new MembershipCodecException("membership view: entry at offset " + entryStart + ": " + e.getMessage());
            }
            if (previous != null && id.compareTo(previous) <= 0) {
                throw new MembershipCodecException("membership view: entry at offset " + entryStart + " (" + id
                    + ") is not after " + previous + " (duplicate or unsorted)");
            }
            final int status = in.u8("status");
            if (status >= STATUSES.length) {
                throw new MembershipCodecException("membership view: status " + status + " at offset " + (in.pos - 1));
            }
            final long generation = in.varint("generation");
            final long heartbeat = in.varint("version");
            final long epoch = in.varint("ring epoch");
            final long settled = version >= VERSION_WITHOUT_ZONE ? in.varint("settled epoch") : 0;
            final String zone = version >= VERSION ? in.zone() : "";
            final MemberState state;
            try {
                state = new MemberState(id, endpoint, STATUSES[status], generation, heartbeat, epoch, settled, zone);
            } catch (final IllegalArgumentException e) {
                throw new MembershipCodecException("membership view: entry at offset " + entryStart + ": " + e.getMessage());
            }
            members.put(id, state);
            previous = id;
        }
        if (in.pos != bytes.length) {
            throw new MembershipCodecException("membership view: " + (bytes.length - in.pos) + " trailing bytes at offset " + in.pos);
        }
        return MembershipView.of(members.values());
    }

    private static void writeVarint(final ByteArrayOutputStream out, final long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class Reader {
        private final byte[] bytes;
        private int pos;

        Reader(final byte[] bytes) {
            this.bytes = bytes;
        }

        private void need(final int n, final String field) {
            if (bytes.length - pos < n) {
                throw new MembershipCodecException("membership view: truncated " + field + " at offset " + pos
                    + " (needs " + n + ", " + (bytes.length - pos) + " left)");
            }
        }

        int u8(final String field) {
            need(1, field);
            return bytes[pos++] & 0xFF;
        }

        int u16(final String field) {
            need(2, field);
            final int v = ((bytes[pos] & 0xFF) << 8) | (bytes[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long varint(final String field) {
            final int start = pos;
            long value = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                final int b = u8(field);
                if (shift == 56 && (b & 0x80) != 0) {
                    break;
                }
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (b == 0 && shift > 0) {
                        throw new MembershipCodecException("membership view: over-long " + field + " at offset " + start);
                    }
                    return value;
                }
            }
            throw new MembershipCodecException("membership view: " + field + " at offset " + start + " exceeds 63 bits");
        }

        /** A zone may be empty, unlike the other strings; its characters are checked by {@link MemberState}. */
        String zone() {
            if (bytes.length > pos && bytes[pos] == 0) {
                pos++;
                return "";
            }
            return string("zone", NodeId.MAX_LENGTH, false);
        }

        String string(final String field, final int maxBytes, final boolean utf8) {
            final int start = pos;
            final int length = u8(field + " length");
            if (length == 0 || length > maxBytes) {
                throw new MembershipCodecException("membership view: " + field + " length " + length + " at offset " + start
                    + " is not in 1.." + maxBytes);
            }
            need(length, field);
            final ByteBuffer slice = ByteBuffer.wrap(bytes, pos, length);
            pos += length;
            try {
                return (utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
            } catch (final CharacterCodingException e) {
                throw new MembershipCodecException("membership view: " + field + " at offset " + start + " is not valid "
                    + (utf8 ? "UTF-8" : "ASCII"));
            }
        }
    }
}
