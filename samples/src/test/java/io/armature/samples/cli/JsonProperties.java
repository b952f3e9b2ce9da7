package io.armature.samples.cli;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonProperties {
    /** The inverse of {@link Json#string} as RFC 8259 defines string literals. */
    private static String parse(final String literal) {
        assertTrue(literal.startsWith("\"") && literal.endsWith("\"") && literal.length() >= 2, literal);
        final StringBuilder sb = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            final char c = literal.charAt(i);
            assertTrue(c >= 0x20, "no raw control character");
            assertTrue(c != '"', "no raw quote inside");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            final char e = literal.charAt(++i);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new AssertionError("bad escape \\" + e);
            }
        }
        return sb.toString();
    }

    @Property(tries = 1000)
    void everyStringRoundTripsThroughAValidLiteral(@ForAll final String s) {
        assertEquals(s, parse(Json.string(s)));
    }
}
