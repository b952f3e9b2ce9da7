package io.armature.samples.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {
    @Test
    void escapesWhatRfc8259Requires() {
        assertEquals("\"plain\"", Json.string("plain"));
        assertEquals("\"\\\"\\\\/\"", Json.string("\"\\/"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\"", Json.string("\n\r\t\b\f\u0000\u001f"));
        assertEquals("\"\u00e9\ud83d\ude00\"", Json.string("\u00e9\ud83d\ude00"), "valid pairs pass through");
        assertEquals("\"\\ud83d x \\ude00\"", Json.string("\ud83d x \ude00"), "lone surrogates are escaped");
    }

    @Test
    void numbersHaveNoNanOrInfinity() {
        assertEquals("3", Json.number(3.0));
        assertEquals("0.5", Json.number(0.5));
        assertEquals("null", Json.number(Double.NaN));
        assertEquals("null", Json.number(Double.POSITIVE_INFINITY));
    }
}
