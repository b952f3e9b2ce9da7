package io.armature.engine.wire;

/**
 * The message types of the wire protocol. Codes are part of the protocol: never reuse one.
 * Types whose body this version does not decode ({@link #isReserved()}) are handed on as opaque
 * bodies so that later subsystems (gossip, hinted handoff, anti-entropy) add their codecs
 * without touching the header.
 */
public enum MessageType {
    /** Coordinator asks a replica for its version set of a key. */
    REPLICA_GET(1),
    /** A replica's version set of a key, or none. */
    REPLICA_GET_REPLY(2),
    /** Coordinator sends a version set to a replica or a hinted stand-in; also read repair. */
    REPLICA_PUT(3),
    /** A replica stored a version set. */
    REPLICA_PUT_REPLY(4),
    /** A client reads a key through the receiving node. */
    CLIENT_GET(5),
    /** A client writes or deletes a key through the receiving node. */
    CLIENT_WRITE(6),
    /** A node that may not coordinate a write hands it to a node of the key's preference list. */
    FORWARD_WRITE(7),
    /** The answer to {@link #CLIENT_GET}, {@link #CLIENT_WRITE} or {@link #FORWARD_WRITE}. */
    CLIENT_REPLY(8),
    /** Reserved: membership gossip. */
    GOSSIP(16),
    /** Reserved: membership gossip reply. */
    GOSSIP_REPLY(17),
    /** Reserved: hinted handoff delivery. */
    HINT_DELIVERY(18),
    /** Reserved: hinted handoff acknowledgement. */
    HINT_ACK(19),
    /** Reserved: anti-entropy Merkle tree exchange. */
    ANTI_ENTROPY_TREE(20),
    /** Reserved: anti-entropy tree reply. */
    ANTI_ENTROPY_TREE_REPLY(21),
    /** Reserved: anti-entropy key exchange. */
    ANTI_ENTROPY_KEYS(22),
    /** Reserved: anti-entropy key exchange reply. */
    ANTI_ENTROPY_KEYS_REPLY(23),
    /** Reserved: tombstone purge check, answer and conditional delete. */
    TOMBSTONE_PURGE(24),
    /** Asks a node for its ring (sent when its gossiped ring epoch is above ours). */
    RING_REQUEST(25),
    /** One chunk of a node's ring ({@code Ring.encode()} cut to fit the transport: membership.RingChunks). */
    RING(26),
    /** A node asks to join the ring; relayed to the claimant. */
    JOIN(27),
    /** A gainer tells a node it holds some partitions ({@code repair.HandoffNotice}). */
    HANDOFF(28),
    /** The receiver of a HANDOFF applied it (the same body). */
    HANDOFF_ACK(29),
    /** An operator's leave, remove or replace ({@code membership.MembershipChange}); relayed to the claimant. */
    MEMBERSHIP_CHANGE(80);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (final MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(final int code) {
        this.code = code;
    }

    /**
     * @return the code on the wire
     */
    public int code() {
        return code;
    }

    /**
     * @return true if this version carries the body as opaque bytes for a later subsystem
     */
    public boolean isReserved() {
        return code >= 16;
    }

    /**
     * @param code a code read from the wire, 0..255
     * @return the type, or null if unknown
     */
    public static MessageType fromCode(final int code) {
        return code < 0 || code > 255 ? null : BY_CODE[code];
    }
}
