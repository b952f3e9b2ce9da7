package io.armature.samples.ycsb;

import io.armature.samples.util.Varints;
import io.armature.api.Codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A YCSB record (field name to bytes) as one Armature value:
 * <pre>
 * record := count:varint field*count      (fields sorted by name, no repeats)
 * field  := nameLength:varint name:utf8 valueLength:varint value:byte[valueLength]
 * </pre>
 * The decoder checks every length against the bytes left before allocating and throws
 * {@link IllegalArgumentException} for anything malformed.
 */
public final class FieldsCodec implements Codec<SortedMap<String, byte[]>> {
    /** Most fields a record may have (YCSB's default is 10). */
    public static final int MAX_FIELDS = 4096;
    /** Longest field name in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 1024;

    @Override
    public byte[] encode(final SortedMap<String, byte[]> fields) {
        if (fields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException("record has " + fields.size() + " fields, at most " + MAX_FIELDS);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        Varints.write(out, fields.size());
        for (final Map.Entry<String, byte[]> e : new TreeMap<>(fields).entrySet()) {
            final byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("field name must have 1.." + MAX_NAME_BYTES + " bytes, has " + name.length);
            }
            Varints.write(out, name.length);
            out.write(name, 0, name.length);
            Varints.write(out, e.getValue().length);
            out.write(e.getValue(), 0, e.getValue().length);
        }
        return out.toByteArray();
    }

    @Override
    public SortedMap<String, byte[]> decode(final byte[] bytes) {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        final long count = Varints.read(in, "record");
        if (count > MAX_FIELDS || count * 2 > in.remaining()) {
            throw new IllegalArgumentException("record: field count " + count + " exceeds the limit or the input");
        }
        final SortedMap<String, byte[]> fields = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            final long nameLength = Varints.read(in, "record");
            if (nameLength < 1 || nameLength > MAX_NAME_BYTES || nameLength > in.remaining()) {
                throw new IllegalArgumentException("record: field " + i + " has an invalid name length " + nameLength);
            }
            final byte[] name = new byte[(int) nameLength];
            in.get(name);
            final String field = utf8(name);
            final long valueLength = Varints.read(in, "record");
            if (valueLength > in.remaining()) {
                throw new IllegalArgumentException("record: field '" + field + "' value length " + valueLength + " exceeds the input");
            }
            final byte[] value = new byte[(int) valueLength];
            in.get(value);
            if (previous != null && previous.compareTo(field) >= 0) {
                throw new IllegalArgumentException("record: fields are not sorted or repeat '" + field + "'");
            }
            previous = field;
            fields.put(field, value);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("record: " + in.remaining() + " trailing bytes");
        }
        return Collections.unmodifiableSortedMap(fields);
    }

    /**
     * Merges concurrent versions of a record: every field any version has; where two versions
     * differ on a field, the greater value by unsigned byte order. YCSB gives concurrent updates
     * no meaning, so any deterministic, order-independent choice will do.
     *
     * @param siblings the versions
     * @return the merged record
     */
    public static SortedMap<String, byte[]> merge(final Iterable<SortedMap<String, byte[]>> siblings) {
        final SortedMap<String, byte[]> merged = new TreeMap<>();
        for (final SortedMap<String, byte[]> s : siblings) {
            for (final Map.Entry<String, byte[]> e : s.entrySet()) {
                merged.merge(e.getKey(), e.getValue(), (a, b) -> Arrays.compareUnsigned(a, b) >= 0 ? a : b);
            }
        }
        return merged;
    }

    private static String utf8(final byte[] name) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString();
        } catch (final CharacterCodingException e) {
            throw new IllegalArgumentException("record: a field name is not valid UTF-8", e);
        }
    }
}
