package io.armature.engine.versioning;

/**
 * The canonical byte form of a {@link VersionSet}:
 * <pre>
 * set    := version:u8 (= 1) entryCount:varint entry*entryCount anonCount:varint value*anonCount
 * entry  := actor (ActorId byte form) counter:varint (&gt;= 1) valueCount:varint (&lt;= counter) value*valueCount
 * value  := flags:u8 (bit 0 = tombstone, others 0) timestamp:zigzag-varint dataLength:varint data
 * </pre>
 * Varints are unsigned LEB128 in their shortest form. Entries are sorted strictly by actor,
 * entry values newest dot first, anonymous values strictly sorted by {@code Value.compare}. The
 * decoder accepts only this form, so equal sets have equal bytes and any accepted input
 * re-encodes to itself. Every count is checked against the bytes left before anything is
 * allocated for it (each entry and each value takes at least one byte).
 */
final class VersionSetCodec {
    static final int VERSION = 1;
    private static final int TOMBSTONE = 1;

    private VersionSetCodec() {
    }

    static byte[] encode(final VersionSet set) {
        int size = 1 + varintLength(set.actors.length) + varintLength(set.anonymous.length);
        for (int i = 0; i < set.actors.length; i++) {
            size += set.actors[i].encodedLength() + varintLength(set.counters[i]) + varintLength(set.lists[i].length);
            for (final Value v : set.lists[i]) {
                size += valueLength(v);
            }
        }
        for (final Value v : set.anonymous) {
            size += valueLength(v);
        }
        final byte[] out = new byte[size];
        out[0] = VERSION;
        int p = writeVarint(out, 1, set.actors.length);
        for (int i = 0; i < set.actors.length; i++) {
            p = set.actors[i].writeTo(out, p);
            p = writeVarint(out, p, set.counters[i]);
            p = writeVarint(out, p, set.lists[i].length);
            for (final Value v : set.lists[i]) {
                p = writeValue(out, p, v);
            }
        }
        p = writeVarint(out, p, set.anonymous.length);
        for (final Value v : set.anonymous) {
            p = writeValue(out, p, v);
        }
        return out;
    }

    static VersionSet decode(final byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new VersionCodecException("version set: no bytes");
        }
        if ((bytes[0] & 0xFF) != VERSION) {
            throw new VersionCodecException("version set: unknown format version " + (bytes[0] & 0xFF) + ", expected " + VERSION);
        }
        final Reader in = new Reader(bytes);
        final int entries = in.count("entry count");
        if (entries == 0) {
            final Value[] anonymous = readAnonymous(in);
            in.end();
            return anonymous.length == 0 ? VersionSet.empty()
                : new VersionSet(new ActorId[0], new long[0], new Value[0][], anonymous);
        }
        final ActorId[] actors = new ActorId[entries];
        final long[] counters = new long[entries];
        final Value[][] lists = new Value[entries][];
        for (int i = 0; i < entries; i++) {
            actors[i] = in.actor(i);
            if (i > 0 && actors[i - 1].compareTo(actors[i]) >= 0) {
                throw new VersionCodecException("version set: entry " + i + " is out of order or repeats an actor");
            }
            counters[i] = in.varint("counter");
            if (counters[i] < 1) {
                throw new VersionCodecException("version set: entry " + i + " has counter 0");
            }
            final int valueCount = in.count("value count");
            if (valueCount > counters[i]) {
                throw new VersionCodecException("version set: entry " + i + " has " + valueCount
                    + " values for counter " + counters[i]);
            }
            final Value[] list = valueCount == 0 ? VersionSet.NO_VALUES : new Value[valueCount];
            for (int k = 0; k < valueCount; k++) {
                list[k] = in.value();
            }
            lists[i] = list;
        }
        final Value[] anonymous = readAnonymous(in);
        in.end();
        return new VersionSet(actors, counters, lists, anonymous);
    }

    private static Value[] readAnonymous(final Reader in) {
        final int count = in.count("anonymous count");
        if (count == 0) {
            return VersionSet.NO_VALUES;
        }
        final Value[] out = new Value[count];
        for (int k = 0; k < count; k++) {
            out[k] = in.value();
            if (k > 0 && Value.compare(out[k - 1], out[k]) >= 0) {
                throw new VersionCodecException("version set: anonymous value " + k + " is out of order or repeated");
            }
        }
        return out;
    }

    private static int valueLength(final Value v) {
        return 1 + varintLength(zigzag(v.timestampMillis())) + varintLength(v.data().length) + v.data().length;
    }

    private static int writeValue(final byte[] out, final int offset, final Value v) {
        out[offset] = (byte) (v.tombstone() ? TOMBSTONE : 0);
        int p = writeVarint(out, offset + 1, zigzag(v.timestampMillis()));
        p = writeVarint(out, p, v.data().length);
        System.arraycopy(v.data(), 0, out, p, v.data().length);
        return p + v.data().length;
    }

    private static long zigzag(final long v) {
        return (v << 1) ^ (v >> 63);
    }

    static int varintLength(final long value) {
        return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
    }

    private static int writeVarint(final byte[] out, final int offset, final long value) {
        int p = offset;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    private static final class Reader {
        private final byte[] b;
        private int pos = 1;

        Reader(final byte[] b) {
            this.b = b;
        }

        /** An unsigned LEB128 varint in shortest form, as a raw 64-bit pattern. */
        long raw(final String what) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= b.length) {
                    throw new VersionCodecException("version set: truncated in " + what + " at byte " + pos);
                }
                final int v = b[pos++] & 0xFF;
                if (shift == 63 && v > 1) {
                    throw new VersionCodecException("version set: " + what + " overflows 64 bits at byte " + (pos - 1));
                }
                result |= (long) (v & 0x7F) << shift;
                if ((v & 0x80) == 0) {
                    if (v == 0 && shift > 0) {
                        throw new VersionCodecException("version set: " + what + " is not in shortest form at byte " + (pos - 1));
                    }
                    return result;
                }
            }
            throw new VersionCodecException("version set: " + what + " is longer than 10 bytes");
        }

        long varint(final String what) {
            final long v = raw(what);
            if (v < 0) {
                throw new VersionCodecException("version set: " + what + " " + Long.toUnsignedString(v) + " is out of range");
            }
            return v;
        }

        /** A count of items that each take at least one more byte: bounded by the bytes left. */
        int count(final String what) {
            final long v = varint(what);
            if (v > b.length - pos) {
                throw new VersionCodecException("version set: " + what + " " + v + " exceeds the " + (b.length - pos) + " bytes left");
            }
            return (int) v;
        }

        ActorId actor(final int entry) {
            if (pos >= b.length) {
                throw new VersionCodecException("version set: truncated in actor of entry " + entry);
            }
            final int length = 1 + (b[pos] & 0xFF) + 8;
            if (length > b.length - pos) {
                throw new VersionCodecException("version set: truncated in actor of entry " + entry);
            }
            final ActorId actor;
            try {
                actor = ActorId.fromBytes(b, pos, length);
            } catch (final IllegalArgumentException e) {
                throw new VersionCodecException("version set: entry " + entry + ": " + e.getMessage());
            }
            pos += length;
            return actor;
        }

        Value value() {
            if (pos >= b.length) {
                throw new VersionCodecException("version set: truncated in value at byte " + pos);
            }
            final int flags = b[pos++] & 0xFF;
            if ((flags & ~TOMBSTONE) != 0) {
                throw new VersionCodecException("version set: unknown value flags " + flags + " at byte " + (pos - 1));
            }
            final long z = raw("timestamp");
            final long timestamp = (z >>> 1) ^ -(z & 1);
            final int length = count("data length");
            final boolean tombstone = flags == TOMBSTONE;
            if (tombstone && length != 0) {
                throw new VersionCodecException("version set: tombstone with " + length + " bytes of data");
            }
            final byte[] data = length == 0 ? EMPTY_DATA : java.util.Arrays.copyOfRange(b, pos, pos + length);
            pos += length;
            return new Value(data, tombstone, timestamp);
        }

        void end() {
            if (pos != b.length) {
                throw new VersionCodecException("version set: " + (b.length - pos) + " trailing bytes");
            }
        }
    }

    private static final byte[] EMPTY_DATA = new byte[0];
}
