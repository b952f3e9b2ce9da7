package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An operator's ring change (the body of a MEMBERSHIP_CHANGE): any node relays it to the
 * claimant, which applies it to its ring at epoch + 1 like a join (docs/operations.md). Byte
 * form: {@code version:u8 (1) op:u8 idLen:u8 id [idLen:u8 replacementId]}, the replacement
 * present exactly for {@link Op#REPLACE}; every length is one byte, so a decoder allocates at
 * most 255 bytes per field.
 *
 * @param op what to do
 * @param node the member it concerns
 * @param replacement the node that takes the member's place ({@link Op#REPLACE} only, else null)
 */
public record MembershipChange(Op op, NodeId node, NodeId replacement) {
    private static final int VERSION = 1;

    /** The changes an operator can make. */
    public enum Op {
        /** A running member hands its partitions over and leaves (it streams them itself). */
        LEAVE,
        /** A member gone for good: its partitions get new owners, rebuilt from the other replicas. */
        REMOVE,
        /** A new node takes over exactly a member's partitions, rebuilt from the other replicas. */
        REPLACE
    }

    /**
     * Checks the parts.
     */
    public MembershipChange {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(node, "node");
        if ((op == Op.REPLACE) != (replacement != null)) {
            throw new IllegalArgumentException(op == Op.REPLACE ? "replace needs a replacement node" : op + " takes no replacement");
        }
        if (node.equals(replacement)) {
            throw new IllegalArgumentException("a node cannot replace itself: " + node);
        }
    }

    /**
     * @param ring a ring
     * @return the ring after this change (epoch + 1), or null if the change is already in it
     *     (the member is gone; for a replace, the replacement holds its place)
     * @throws IllegalArgumentException if the change cannot apply: an unknown member, a
     *     replacement that is already a member elsewhere
     * @throws IllegalStateException if it would remove the last member
     */
    public Ring applyTo(final Ring ring) {
        if (!ring.members().contains(node)) {
            if (op != Op.REPLACE || ring.members().contains(replacement)) {
                return null;
            }
            throw new IllegalArgumentException(node + " is not a member of the ring (epoch " + ring.epoch() + ")");
        }
        return op == Op.REPLACE ? ring.replace(node, replacement) : ring.leave(node);
    }

    /**
     * @return the byte form
     */
    public byte[] encode() {
        final byte[] id = node.value().getBytes(StandardCharsets.UTF_8);
        final byte[] r = replacement == null ? new byte[0] : replacement.value().getBytes(StandardCharsets.UTF_8);
        final byte[] out = new byte[3 + id.length + (replacement == null ? 0 : 1 + r.length)];
        out[0] = VERSION;
        out[1] = (byte) op.ordinal();
        out[2] = (byte) id.length;
        System.arraycopy(id, 0, out, 3, id.length);
        if (replacement != null) {
            out[3 + id.length] = (byte) r.length;
            System.arraycopy(r, 0, out, 4 + id.length, r.length);
        }
        return out;
    }

    /**
     * @param bytes a MEMBERSHIP_CHANGE body
     * @return the change
     * @throws MembershipCodecException if the bytes are malformed
     */
    public static MembershipChange decode(final byte[] bytes) {
        if (bytes.length < 2 || bytes[0] != VERSION) {
            throw new MembershipCodecException("membership change: unknown version at offset 0");
        }
        final int code = bytes[1] & 0xFF;
        if (code >= Op.values().length) {
            throw new MembershipCodecException("membership change: unknown operation " + code + " at offset 1");
        }
        final Op op = Op.values()[code];
        final int[] at = {2};
        final String id = field(bytes, at, "node id");
        final String replacement = op == Op.REPLACE ? field(bytes, at, "replacement id") : null;
        if (at[0] != bytes.length) {
            throw new MembershipCodecException("membership change: " + (bytes.length - at[0]) + " bytes after the end at offset " + at[0]);
        }
        try {
            return new MembershipChange(op, new NodeId(id), replacement == null ? null : new NodeId(replacement));
        } catch (final IllegalArgumentException e) {
            throw new MembershipCodecException("membership change: " + e.getMessage());
        }
    }

    private static String field(final byte[] bytes, final int[] at, final String what) {
        return JoinRequest.field(bytes, at, what, "membership change");
    }

    @Override
    public String toString() {
        return op.name().toLowerCase(java.util.Locale.ROOT) + " " + node + (replacement == null ? "" : " by " + replacement);
    }
}
