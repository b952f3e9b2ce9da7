package io.armature.api;

import java.nio.charset.StandardCharsets;

/**
 * Converts an application type to and from the bytes Armature stores, for
 * {@linkplain KvClient#typed(Codec, Codec) typed views}.
 *
 * @param <T> the application type
 */
public interface Codec<T> {
    /**
     * @param value a value, never null
     * @return its bytes
     */
    byte[] encode(T value);

    /**
     * @param bytes bytes produced by {@link #encode(Object)}
     * @return the value
     * @throws IllegalArgumentException if the bytes cannot be decoded
     */
    T decode(byte[] bytes);

    /**
     * @return the identity codec
     */
    static Codec<byte[]> bytes() {
        return new Codec<>() {
            @Override
            public byte[] encode(final byte[] value) {
                return value;
            }

            @Override
            public byte[] decode(final byte[] bytes) {
                return bytes;
            }
        };
    }

    /**
     * @return a codec for strings as UTF-8
     */
    static Codec<String> utf8() {
        return new Codec<>() {
            @Override
            public byte[] encode(final String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(final byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }
}
