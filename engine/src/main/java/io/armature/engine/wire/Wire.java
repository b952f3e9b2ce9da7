package io.armature.engine.wire;

/**
 * Constants of the frame header. Layout, little-endian:
 * <pre>
 * magic:u16 version:u8 type:u8 flags:u8 frameLength:u32 requestId:u64
 * senderLength:u8 sender:utf8   replyLength:u8 reply:utf8 ("host:port")
 * body
 * [hmac:32 bytes, when FLAG_HMAC is set]
 * </pre>
 * {@code frameLength} counts the whole frame, header and trailer included. The trailer is the
 * HMAC-SHA256 ({@link FrameMac}) of every byte before it, keyed by the cluster secret. A node
 * with a secret accepts only frames that carry a valid trailer; a node without one accepts only
 * frames without a trailer (a tagged frame means a misconfigured peer, and accepting it would
 * hide that the cluster is only half secured).
 */
public final class Wire {
    /** "Ar", first on the wire as 0x72 0x41. */
    public static final int MAGIC = 0x4172;
    /** The protocol version this code speaks. */
    public static final int PROTOCOL_VERSION = 1;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the protocol version. */
    public static final int VERSION_OFFSET = 2;
    /** Offset of the message type. */
    public static final int TYPE_OFFSET = 3;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the frame length. */
    public static final int LENGTH_OFFSET = 5;
    /** Offset of the request id. */
    public static final int REQUEST_ID_OFFSET = 9;
    /** Length of the fixed part of the header. */
    public static final int FIXED_HEADER_LENGTH = 17;
    /** Flag: an HMAC-SHA256 trailer follows the body (the cluster secret). */
    public static final int FLAG_HMAC = 0x01;
    /** Flags this version understands. */
    public static final int KNOWN_FLAGS = FLAG_HMAC;
    /** Length of the HMAC trailer. */
    public static final int HMAC_LENGTH = 32;
    /** Longest sender id (a NodeId). */
    public static final int MAX_SENDER_LENGTH = 64;
    /** Longest reply endpoint text. */
    public static final int MAX_ENDPOINT_LENGTH = 255;
    /** Longest error message in a reply. */
    public static final int MAX_MESSAGE_LENGTH = 4096;
    /** Largest R or W carried (a u8). */
    public static final int MAX_QUORUM = 255;

    private Wire() {
    }
}
