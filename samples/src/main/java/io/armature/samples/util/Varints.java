package io.armature.samples.util;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Unsigned LEB128 varints for the samples' small codecs (counts and lengths up to 2^35). */
public final class Varints {
    private Varints() {
    }

    /**
     * @param in the bytes, read from their position
     * @param what names the format in error messages, such as {@code "cart"}
     * @return the value
     * @throws IllegalArgumentException if the bytes end early or the varint is too long
     */
    public static long read(final ByteBuffer in, final String what) {
        long result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException(what + ": truncated");
            }
            final int v = in.get() & 0xFF;
            result |= (long) (v & 0x7F) << shift;
            if ((v & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException(what + ": varint too long");
    }

    /**
     * @param out where to write
     * @param value a non-negative value
     */
    public static void write(final ByteArrayOutputStream out, final long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
