package io.armature.engine.versioning;

/**
 * One coordinator in a version vector: a node id plus the incarnation of its storage.
 *
 * <p>The incarnation changes whenever a node's storage is created afresh, so a node that lost
 * its data never mints a dot that replicas think they have already seen (Riak's "kv679").
 *
 * <p>Byte form {@code nodeLength:u8 node:ascii incarnation:i64 BE}: these are the actor bytes
 * inside {@link io.armature.api.Context}. {@link #compareTo} is the unsigned order of that byte
 * form, so sorted actors are also sorted the way {@code Context} requires, with no conversion.
 *
 * @param node the node id: 1..64 characters of {@code [A-Za-z0-9._-]} (the rules of ring.NodeId)
 * @param incarnation the incarnation of the node's storage
 */
public record ActorId(String node, long incarnation) implements Comparable<ActorId> {
    /** Longest node id, as for ring.NodeId. */
    public static final int MAX_NODE_LENGTH = 64;
    private static final int INCARNATION_BYTES = 8;

    public ActorId {
        final String problem = checkNode(node);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * @return the length of the byte form
     */
    public int encodedLength() {
        return 1 + node.length() + INCARNATION_BYTES;
    }

    /**
     * @return a fresh copy of the byte form
     */
    public byte[] toBytes() {
        final byte[] out = new byte[encodedLength()];
        writeTo(out, 0);
        return out;
    }

    /**
     * Writes the byte form into {@code out}, which must have {@link #encodedLength()} bytes free.
     *
     * @return the offset after the written bytes
     */
    int writeTo(final byte[] out, final int offset) {
        int p = offset;
        final int length = node.length();
        out[p++] = (byte) length;
        for (int i = 0; i < length; i++) {
            out[p++] = (byte) node.charAt(i);
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            out[p++] = (byte) (incarnation >>> shift);
        }
        return p;
    }

    /**
     * Parses a byte form that must span exactly {@code length} bytes.
     *
     * @throws IllegalArgumentException if the bytes are not an actor's byte form
     */
    static ActorId fromBytes(final byte[] bytes, final int offset, final int length) {
        if (length < 2 + INCARNATION_BYTES) {
            throw new IllegalArgumentException("actor: " + length + " bytes is too short");
        }
        final int nodeLength = bytes[offset] & 0xFF;
        if (nodeLength < 1 || nodeLength > MAX_NODE_LENGTH || 1 + nodeLength + INCARNATION_BYTES != length) {
            throw new IllegalArgumentException("actor: node length " + nodeLength + " does not fit " + length + " bytes");
        }
        final char[] chars = new char[nodeLength];
        for (int i = 0; i < nodeLength; i++) {
            final int c = bytes[offset + 1 + i] & 0xFF;
            if (!allowed(c)) {
                throw new IllegalArgumentException("actor: node id byte " + c + " is not in [A-Za-z0-9._-]");
            }
            chars[i] = (char) c;
        }
        long incarnation = 0;
        for (int i = 0; i < INCARNATION_BYTES; i++) {
            incarnation = (incarnation << 8) | (bytes[offset + 1 + nodeLength + i] & 0xFF);
        }
        return new ActorId(new String(chars), incarnation);
    }

    @Override
    public int compareTo(final ActorId other) {
        if (this == other) {
            return 0;
        }
        final int byLength = Integer.compare(node.length(), other.node.length());
        if (byLength != 0) {
            return byLength;
        }
        final int byNode = node.compareTo(other.node);
        if (byNode != 0) {
            return byNode;
        }
        return Long.compareUnsigned(incarnation, other.incarnation);
    }

    @Override
    public String toString() {
        return node + "#" + Long.toUnsignedString(incarnation);
    }

    private static String checkNode(final String node) {
        if (node == null) {
            return "actor: node id is null";
        }
        if (node.isEmpty() || node.length() > MAX_NODE_LENGTH) {
            return "actor: node id must have 1.." + MAX_NODE_LENGTH + " characters, got " + node.length();
        }
        for (int i = 0; i < node.length(); i++) {
            if (!allowed(node.charAt(i))) {
                return "actor: node id '" + node + "' has a character outside [A-Za-z0-9._-]";
            }
        }
        return null;
    }

    private static boolean allowed(final int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '_' || c == '-';
    }
}
