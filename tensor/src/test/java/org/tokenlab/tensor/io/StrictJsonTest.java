package org.tokenlab.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    @Test
    void parsesTheHeaderSubset() throws ParseException {
        Object v = StrictJson.parse(" {\"a\": {\"dtype\":\"F32\", \"shape\":[2, 3], \"data_offsets\":[0,24]},"
                + "\"__metadata__\":{}, \"e\": [] }\n  ");
        Map<?, ?> root = (Map<?, ?>) v;
        assertEquals(List.of("a", "__metadata__", "e"), List.copyOf(root.keySet()), "document order kept");
        Map<?, ?> a = (Map<?, ?>) root.get("a");
        assertEquals("F32", a.get("dtype"));
        assertEquals(List.of(2L, 3L), a.get("shape"));
        assertEquals(List.of(0L, 24L), a.get("data_offsets"));
        assertEquals(Map.of(), root.get("__metadata__"));
        assertEquals(List.of(), root.get("e"));
    }

    @Test
    void integersCoverTheLongRange() throws ParseException {
        assertEquals(0L, StrictJson.parse("0"));
        assertEquals(-17L, StrictJson.parse("-17"));
        assertEquals(Long.MAX_VALUE, StrictJson.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, StrictJson.parse("-9223372036854775808"));
        assertError("9223372036854775808", "64-bit range", 0);
        assertError("-9223372036854775809", "64-bit range", 0);
        assertError("[1, 99999999999999999999999]", "64-bit range", 4);
    }

    @Test
    void decodesEveryEscape() throws ParseException {
        assertEquals("q\"b\\s/\b\f\n\r\tAé😀",
                StrictJson.parse("\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\ud83d\\ude00\""));
        assertEquals("raw é 😀", StrictJson.parse("\"raw é 😀\""));
    }

    @Test
    void quoteRoundTrips() throws ParseException {
        String s = "a\"b\\c\n\u0001\u001f é 😀 / end";
        assertEquals(s, StrictJson.parse(StrictJson.quote(s)));
    }

    @Test
    void rejectsWhatTheHeaderNeverContains() {
        assertError("1.5", "only integers", 0);
        assertError("[1e3]", "only integers", 1);
        assertError("true", "unexpected 't'", 0);
        assertError("null", "unexpected 'n'", 0);
        assertError("{\"a\":01}", "leading zero", 5);
        assertError("-", "expected a digit", 1);
        assertError("+1", "unexpected '+'", 0);
    }

    @Test
    void rejectsMalformedStructure() {
        assertError("", "unexpected end of input", 0);
        assertError("{", "expected a string key", 1);
        assertError("{\"a\" 1}", "expected ':'", 5);
        assertError("{\"a\":1,}", "expected a string key", 7);
        assertError("[1,]", "unexpected ']'", 3);
        assertError("[1 2]", "expected ',' or ']'", 3);
        assertError("{\"a\":1 \"b\":2}", "expected ',' or '}'", 7);
        assertError("{} x", "after the end", 3);
        assertError("{a:1}", "expected a string key", 1);
    }

    @Test
    void rejectsDuplicateKeys() {
        assertError("{\"x\":1, \"y\":2, \"x\":3}", "duplicate key \"x\"", 15);
    }

    @Test
    void rejectsBadStrings() {
        assertError("\"abc", "unterminated string", 0);
        assertError("\"a\nb\"", "raw control character U+000A", 2);
        assertError("\"\\x\"", "invalid escape", 1);
        assertError("\"\\u12G4\"", "invalid hex digit", 1);
        assertError("\"\\u12", "truncated", 1);
        assertError("\"\\ud83d\"", "lone surrogate", 1);
        assertError("\"\\ude00\"", "lone surrogate", 1);
        assertError("\"\ud83d\"", "lone surrogate", 1);
        assertError("\"\\", "unterminated escape", 1);
    }

    @Test
    void boundsTheNesting() throws ParseException {
        String ok = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
        StrictJson.parse(ok);
        String deep = "[".repeat(100_000);
        assertError(deep, "nesting deeper", StrictJson.MAX_DEPTH);
    }

    private static void assertError(String text, String fragment, int position) {
        ParseException e = assertThrows(ParseException.class, () -> StrictJson.parse(text), text);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        assertEquals(position, e.getErrorOffset(), () -> "position in: " + e.getMessage());
        assertTrue(e.getMessage().contains("position " + position), e.getMessage());
    }
}
