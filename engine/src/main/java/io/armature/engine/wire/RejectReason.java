package io.armature.engine.wire;

import java.util.Locale;

/**
 * Why a frame was rejected; the tag of the {@code armature.frames.rejected} counter.
 */
public enum RejectReason {
    /** Shorter than the fixed header. */
    TOO_SHORT,
    /** Not an Armature frame. */
    BAD_MAGIC,
    /** A protocol version this node does not speak. */
    UNSUPPORTED_VERSION,
    /** A type code this version does not know. */
    UNKNOWN_TYPE,
    /** The header's frame length differs from the received length, or exceeds the limit. */
    LENGTH_MISMATCH,
    /** A field runs past the end of the frame. */
    TRUNCATED,
    /** A field holds a value outside its range (bad node id, endpoint, status, enum). */
    BAD_FIELD,
    /** Bytes remain after the body. */
    TRAILING_BYTES,
    /** Flags this version does not know. */
    UNSUPPORTED_FLAGS,
    /** This node has a cluster secret and the frame carries no HMAC trailer. */
    MISSING_MAC,
    /** The frame's HMAC trailer is not the tag of its bytes under this node's secret (forged, corrupted, or another secret). */
    BAD_MAC,
    /** The frame carries an HMAC trailer but this node has no cluster secret (a misconfigured peer). */
    UNEXPECTED_MAC,
    /** Decoded, but its contents are invalid for its type (for example an undecodable version set). */
    BAD_CONTENT;

    /**
     * @return the tag value: lower case with dashes
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
