package io.armature.engine.ring;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Stand-in for the ring branch's NodeId (docs/internals.md), kept on the repair branch only until
 * ring lands on main; the merge replaces it with the ring's version.
 *
 * @param value 1..64 characters of {@code [A-Za-z0-9._-]}
 */
public record NodeId(String value) implements Comparable<NodeId> {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * Validates the value.
     *
     * @param value the id text
     */
    public NodeId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("node id must be 1..64 characters of [A-Za-z0-9._-], was '" + value + "'");
        }
    }

    @Override
    public int compareTo(final NodeId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
