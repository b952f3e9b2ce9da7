package io.armature.engine.ring;

import java.util.Objects;

/**
 * The identity of a physical node on the ring: 1 to 64 characters of {@code [A-Za-z0-9._-]}.
 * The restricted alphabet keeps the encoded ring ASCII-only, one byte per character.
 *
 * @param value the identifier text
 */
public record NodeId(String value) implements Comparable<NodeId> {

    /** Longest accepted identifier, in characters (and in encoded bytes). */
    public static final int MAX_LENGTH = 64;

    /**
     * Validates the identifier.
     *
     * @throws IllegalArgumentException if {@code value} is empty, longer than {@link #MAX_LENGTH}
     *                                  or holds a character outside {@code [A-Za-z0-9._-]}
     */
    public NodeId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                "node id must have 1.." + MAX_LENGTH + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isAllowed(value.charAt(i))) {
                throw new IllegalArgumentException("node id '" + value + "' has character '"
                    + value.charAt(i) + "' at index " + i + "; allowed are [A-Za-z0-9._-]");
            }
        }
    }

    static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '_' || c == '-';
    }

    @Override
    public int compareTo(NodeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
