package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import java.nio.charset.StandardCharsets;

/**
 * The body of a JOIN: who asks to join, in which zone, and where it listens (so the claimant can
 * answer even when the request was relayed). Byte form: {@code version:u8 (1) idLen:u8 id
 * zoneLen:u8 zone hostLen:u8 host port:u16 BE}; every length is a single byte, so a decoder never
 * allocates more than 255 bytes per field.
 *
 * @param node the joining node
 * @param zone its zone, may be empty
 * @param endpoint where it listens
 */
public record JoinRequest(NodeId node, String zone, Endpoint endpoint) {
    private static final int VERSION = 1;

    /**
     * @return the byte form
     */
    public byte[] encode() {
        final byte[] id = node.value().getBytes(StandardCharsets.UTF_8);
        final byte[] z = zone.getBytes(StandardCharsets.UTF_8);
        final byte[] h = endpoint.host().getBytes(StandardCharsets.UTF_8);
        if (z.length > 255 || h.length > 255 || endpoint.port() < 0 || endpoint.port() > 65535) {
            throw new IllegalArgumentException("join: zone and host must be at most 255 bytes, port 0..65535");
        }
        final byte[] out = new byte[1 + 1 + id.length + 1 + z.length + 1 + h.length + 2];
        int o = 0;
        out[o++] = VERSION;
        o = put(out, o, id);
        o = put(out, o, z);
        o = put(out, o, h);
        out[o++] = (byte) (endpoint.port() >>> 8);
        out[o] = (byte) endpoint.port();
        return out;
    }

    /**
     * @param bytes a JOIN body
     * @return the request
     * @throws MembershipCodecException if the bytes are malformed
     */
    public static JoinRequest decode(final byte[] bytes) {
        if (bytes.length < 1 || bytes[0] != VERSION) {
            throw new MembershipCodecException("join: unknown version at offset 0");
        }
        final int[] at = {1};
        final String id = field(bytes, at, "node id");
        final String zone = field(bytes, at, "zone");
        final String host = field(bytes, at, "host");
        if (at[0] + 2 != bytes.length) {
            throw new MembershipCodecException("join: expected a 2-byte port and the end at offset " + at[0]
                + ", found " + (bytes.length - at[0]) + " bytes");
        }
        final int port = (bytes[at[0]] & 0xFF) << 8 | bytes[at[0] + 1] & 0xFF;
        try {
            return new JoinRequest(new NodeId(id), zone, new Endpoint(host, port));
        } catch (final IllegalArgumentException e) {
            throw new MembershipCodecException("join: " + e.getMessage());
        }
    }

    private static int put(final byte[] out, final int at, final byte[] field) {
        out[at] = (byte) field.length;
        System.arraycopy(field, 0, out, at + 1, field.length);
        return at + 1 + field.length;
    }

    private static String field(final byte[] bytes, final int[] at, final String what) {
        return field(bytes, at, what, "join");
    }

    /**
     * Reads one {@code len:u8 bytes} UTF-8 field, for the small membership bodies.
     *
     * @param bytes the body
     * @param at the offset, advanced past the field
     * @param what the field's name, for the error
     * @param body the body's name, for the error
     * @return the field
     * @throws MembershipCodecException if the field runs past the end
     */
    static String field(final byte[] bytes, final int[] at, final String what, final String body) {
        if (at[0] >= bytes.length) {
            throw new MembershipCodecException(body + ": " + what + " length missing at offset " + at[0]);
        }
        final int len = bytes[at[0]] & 0xFF;
        if (at[0] + 1 + len > bytes.length) {
            throw new MembershipCodecException(body + ": " + what + " of " + len + " bytes runs past the end at offset " + at[0]);
        }
        final String s = new String(bytes, at[0] + 1, len, StandardCharsets.UTF_8);
        at[0] += 1 + len;
        return s;
    }
}
