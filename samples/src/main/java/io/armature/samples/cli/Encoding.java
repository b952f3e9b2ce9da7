package io.armature.samples.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How a key or value is written on the command line and printed back: UTF-8 text, base64 (RFC
 * 4648, standard alphabet) or hex, so that any bytes can be given and read.
 */
enum Encoding {
    /** Text, encoded as UTF-8; bytes that are not UTF-8 print as U+FFFD. */
    UTF8("utf8"),
    /** Base64, standard alphabet with padding. */
    BASE64("base64"),
    /** Hexadecimal, two digits a byte, either case on input, lower case on output. */
    HEX("hex");

    private final String id;

    Encoding(final String id) {
        this.id = id;
    }

    /** @return the name used by the options and in JSON */
    String id() {
        return id;
    }

    /**
     * @param text an argument
     * @param what the option or parameter, for the message
     * @return its bytes
     * @throws IllegalArgumentException naming {@code what} if the text is not in this encoding
     */
    byte[] decode(final String text, final String what) {
        try {
            return switch (this) {
                case UTF8 -> text.getBytes(StandardCharsets.UTF_8);
                case BASE64 -> Base64.getDecoder().decode(text);
                case HEX -> HexFormat.of().parseHex(text);
            };
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid " + id + ": " + e.getMessage());
        }
    }

    /**
     * @param bytes any bytes
     * @return them in this encoding
     */
    String encode(final byte[] bytes) {
        return switch (this) {
            case UTF8 -> new String(bytes, StandardCharsets.UTF_8);
            case BASE64 -> Base64.getEncoder().encodeToString(bytes);
            case HEX -> HexFormat.of().formatHex(bytes);
        };
    }

    /** Parses {@code utf8}, {@code base64} or {@code hex}. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<Encoding> {
        @Override
        public Encoding convert(final String value) {
            for (final Encoding e : values()) {
                if (e.id.equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of utf8, base64, hex");
        }
    }
}
