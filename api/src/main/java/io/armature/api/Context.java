package io.armature.api;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * The causal context of a read: the joined version vector of every version the read returned.
 *
 * <p>A write that carries the context of a read supersedes exactly the versions that read
 * returned and stays concurrent with anything else; a write without context ({@link #empty()})
 * supersedes nothing. Treat the context as opaque: keep it, store it, send it back.
 *
 * <p>The byte form is stable and versioned, so a client may persist it:
 * <pre>
 * context  := format:u8 (= 1) count:varint entry*count
 * entry    := actorLength:varint actor:byte[actorLength] counter:varint   (counter &gt;= 1)
 * </pre>
 * Varints are unsigned LEB128. Entries are sorted by actor bytes (unsigned), with no duplicate
 * actor. The {@linkplain #toToken() token} is the byte form in URL-safe Base64 without padding.
 * Instances are immutable.
 */
public final class Context {
    /** The only encoding format this version reads and writes. */
    public static final int FORMAT = 1;
    /** Upper bound on entries a context may hold; a DVV context holds one per coordinating replica. */
    public static final int MAX_ENTRIES = 4096;
    /** Upper bound on an actor identifier's length in bytes. */
    public static final int MAX_ACTOR_LENGTH = 255;

    private static final Context EMPTY = new Context(new byte[] {FORMAT, 0}, 0);

    private final byte[] bytes;
    private final int entries;

    private Context(final byte[] bytes, final int entries) {
        this.bytes = bytes;
        this.entries = entries;
    }

    /**
     * @return the context of a blind write: it covers nothing
     */
    public static Context empty() {
        return EMPTY;
    }

    /**
     * Parses the byte form, checking it completely.
     *
     * @param bytes a context's byte form
     * @return the context
     * @throws InvalidRequestException if the bytes are not a well-formed context of a known format
     */
    public static Context fromBytes(final byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidRequestException("context: empty byte form (use Context.empty() for a blind write)");
        }
        if ((bytes[0] & 0xFF) != FORMAT) {
            throw new InvalidRequestException("context: unknown format " + (bytes[0] & 0xFF) + ", expected " + FORMAT);
        }
        final int[] pos = {1};
        final long count = readVarint(bytes, pos);
        if (count > MAX_ENTRIES) {
            throw new InvalidRequestException("context: " + count + " entries, at most " + MAX_ENTRIES + " allowed");
        }
        byte[] previous = null;
        for (int i = 0; i < count; i++) {
            final long actorLength = readVarint(bytes, pos);
            if (actorLength < 1 || actorLength > MAX_ACTOR_LENGTH || actorLength > bytes.length - pos[0]) {
                throw new InvalidRequestException("context: entry " + i + " has an invalid actor length " + actorLength);
            }
            final byte[] actor = Arrays.copyOfRange(bytes, pos[0], pos[0] + (int) actorLength);
            pos[0] += (int) actorLength;
            final long counter = readVarint(bytes, pos);
            if (counter < 1) {
                throw new InvalidRequestException("context: entry " + i + " has counter 0");
            }
            if (previous != null && Arrays.compareUnsigned(previous, actor) >= 0) {
                throw new InvalidRequestException("context: entries are not sorted by actor or repeat an actor");
            }
            previous = actor;
        }
        if (pos[0] != bytes.length) {
            throw new InvalidRequestException("context: " + (bytes.length - pos[0]) + " trailing bytes");
        }
        return count == 0 ? EMPTY : new Context(bytes.clone(), (int) count);
    }

    /**
     * Parses the printable token form produced by {@link #toToken()}.
     *
     * @param token URL-safe Base64 of the byte form; an empty string is the empty context
     * @return the context
     * @throws InvalidRequestException if the token is not a well-formed context
     */
    public static Context fromToken(final String token) {
        if (token == null || token.isEmpty()) {
            return EMPTY;
        }
        final byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token.trim());
        } catch (final IllegalArgumentException e) {
            throw new InvalidRequestException("context: token is not URL-safe Base64: " + e.getMessage());
        }
        return fromBytes(bytes);
    }

    /**
     * Builds a context from version vector entries. Used by the engine; applications should
     * treat contexts as opaque.
     *
     * @param actors actor identifiers, sorted by unsigned byte order, without duplicates
     * @param counters the counter of each actor, each at least 1
     * @return the context
     * @throws IllegalArgumentException if the arrays differ in length or break the rules above
     */
    public static Context ofEntries(final byte[][] actors, final long[] counters) {
        if (actors.length != counters.length) {
            throw new IllegalArgumentException("actors and counters differ in length");
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(2 + actors.length * 24);
        out.write(FORMAT);
        writeVarint(out, actors.length);
        for (int i = 0; i < actors.length; i++) {
            writeVarint(out, actors[i].length);
            out.write(actors[i], 0, actors[i].length);
            writeVarint(out, counters[i]);
        }
        try {
            return fromBytes(out.toByteArray());
        } catch (final InvalidRequestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Calls {@code visitor} for each entry, in actor order. Used by the engine.
     *
     * @param visitor receives each actor (a fresh copy) and its counter
     */
    public void forEachEntry(final EntryVisitor visitor) {
        final int[] pos = {1};
        final long count = readVarint(bytes, pos);
        for (int i = 0; i < count; i++) {
            final int actorLength = (int) readVarint(bytes, pos);
            final byte[] actor = Arrays.copyOfRange(bytes, pos[0], pos[0] + actorLength);
            pos[0] += actorLength;
            visitor.entry(actor, readVarint(bytes, pos));
        }
    }

    /**
     * Receives the entries of a context.
     */
    @FunctionalInterface
    public interface EntryVisitor {
        /**
         * @param actor the actor identifier
         * @param counter the number of that actor's events the context covers
         */
        void entry(byte[] actor, long counter);
    }

    /**
     * @return true for the context of a blind write
     */
    public boolean isEmpty() {
        return entries == 0;
    }

    /**
     * @return the number of version vector entries
     */
    public int size() {
        return entries;
    }

    /**
     * @return a copy of the stable byte form
     */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /**
     * @return the byte form as URL-safe Base64 without padding, fit for a command line
     */
    public String toToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Context && Arrays.equals(bytes, ((Context) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Context[" + toToken() + "]";
    }

    private static long readVarint(final byte[] b, final int[] pos) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new InvalidRequestException("context: truncated");
            }
            final int v = b[pos[0]++] & 0xFF;
            result |= (long) (v & 0x7F) << shift;
            if ((v & 0x80) == 0) {
                // Only the shortest form is accepted, so one context has exactly one byte form.
                if (v == 0 && shift > 0) {
                    throw new InvalidRequestException("context: varint not in its shortest form");
                }
                if (result < 0) {
                    throw new InvalidRequestException("context: varint out of range");
                }
                return result;
            }
        }
        throw new InvalidRequestException("context: varint too long");
    }

    private static void writeVarint(final ByteArrayOutputStream out, final long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
