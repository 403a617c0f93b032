package org.tokenlab.tensor.io;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader for the subset a safetensors header uses: objects, arrays, strings (with
 * all JSON escapes) and integers. The tensor module imports the JDK only (DESIGN.md), so this replaces a
 * JSON library here.
 *
 * <p>Values map to Java as: object → unmodifiable {@code Map<String,Object>} in document order, array →
 * unmodifiable {@code List<Object>}, string → {@code String}, integer → {@code Long}. Everything else
 * is rejected with a {@link ParseException} whose message and {@link ParseException#getErrorOffset()}
 * give the character position: fractions and exponents, {@code true}/{@code false}/{@code null},
 * duplicate object keys, leading zeros, integers beyond {@code long}, raw control characters or lone
 * surrogates in strings, trailing commas, nesting deeper than {@link #MAX_DEPTH}, and anything but
 * whitespace after the top-level value.
 */
public final class StrictJson {
    /** Deepest nesting accepted; a safetensors header needs 3. Bounds the parser's recursion. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private StrictJson(String text) {
        this.text = text;
    }

    /** Parses {@code text} as one JSON value followed only by whitespace. */
    public static Object parse(String text) throws ParseException {
        StrictJson p = new StrictJson(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describeCurrent() + " after the end of the JSON value");
        }
        return value;
    }

    /**
     * {@code s} as a JSON string literal: quotes, backslashes and control characters escaped, everything
     * else (non-ASCII included) written as is. {@link #parse} reads it back to {@code s}.
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private Object value(int depth) throws ParseException {
        if (depth >= MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            return object(depth);
        } else if (c == '[') {
            return array(depth);
        } else if (c == '"') {
            return string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            return integer();
        }
        throw error("unexpected " + describeCurrent() + ", expected an object, array, string or integer");
    }

    private Map<String, Object> object(int depth) throws ParseException {
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeCurrent() + ", expected a string key");
            }
            int keyPos = pos;
            String key = string();
            skipWhitespace();
            expect(':', "after an object key");
            skipWhitespace();
            Object v = value(depth + 1);
            if (map.putIfAbsent(key, v) != null) {
                throw new ParseException("duplicate key \"" + key + "\" at position " + keyPos, keyPos);
            }
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            } else {
                throw error("unexpected " + describeCurrent() + ", expected ',' or '}' in an object");
            }
        }
    }

    private List<Object> array(int depth) throws ParseException {
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            } else {
                throw error("unexpected " + describeCurrent() + ", expected ',' or ']' in an array");
            }
        }
    }

    private String string() throws ParseException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new ParseException("unterminated string starting at position " + start, start);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            } else if (c == '\\') {
                sb.append(escape());
            } else if (c < 0x20) {
                throw error(String.format("raw control character U+%04X in a string (must be escaped)", (int) c));
            } else if (Character.isSurrogate(c)) {
                // A valid pair decoded from UTF-8 arrives as two chars; a lone half cannot (the decoder
                // rejects it), but the text may come from elsewhere.
                if (Character.isHighSurrogate(c) && pos + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(pos + 1))) {
                    sb.append(c).append(text.charAt(pos + 1));
                    pos += 2;
                } else {
                    throw error("lone surrogate character in a string");
                }
            } else {
                sb.append(c);
                pos++;
            }
        }
    }

    /** Decodes one escape at {@code pos} (the backslash); a \\u surrogate pair counts as one. */
    private String escape() throws ParseException {
        int at = pos;
        if (pos + 1 >= text.length()) {
            throw error("unterminated escape sequence");
        }
        char e = text.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '"': return "\"";
            case '\\': return "\\";
            case '/': return "/";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case 'u': {
                char high = hex4(at);
                if (!Character.isSurrogate(high)) {
                    return String.valueOf(high);
                }
                if (Character.isHighSurrogate(high) && text.startsWith("\\u", pos)) {
                    int lowAt = pos;
                    pos += 2;
                    char low = hex4(lowAt);
                    if (Character.isLowSurrogate(low)) {
                        return new String(new char[] {high, low});
                    }
                }
                throw new ParseException("lone surrogate in \\u escape at position " + at, at);
            }
            default:
                throw new ParseException("invalid escape '\\" + e + "' at position " + at, at);
        }
    }

    private char hex4(int escapeAt) throws ParseException {
        if (pos + 4 > text.length()) {
            throw new ParseException("truncated \\u escape at position " + escapeAt, escapeAt);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw new ParseException("invalid hex digit in \\u escape at position " + escapeAt, escapeAt);
            }
            v = (v << 4) | d;
        }
        pos += 4;
        return (char) v;
    }

    private Long integer() throws ParseException {
        int start = pos;
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            throw error("expected a digit");
        }
        if (text.charAt(pos) == '0' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
            throw new ParseException("leading zero in integer at position " + start, start);
        }
        // Accumulate negatively so that Long.MIN_VALUE parses without overflow.
        long acc = 0;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            int d = text.charAt(pos) - '0';
            if (acc < (Long.MIN_VALUE + d) / 10) {
                throw new ParseException("integer out of the 64-bit range at position " + start, start);
            }
            acc = acc * 10 - d;
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw new ParseException("only integers are allowed, found a fraction or exponent at position "
                    + start, start);
        }
        if (!negative) {
            if (acc == Long.MIN_VALUE) {
                throw new ParseException("integer out of the 64-bit range at position " + start, start);
            }
            acc = -acc;
        }
        return acc;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void expect(char c, String where) throws ParseException {
        if (peek() != c) {
            throw error("unexpected " + describeCurrent() + ", expected '" + c + "' " + where);
        }
        pos++;
    }

    /** The current char, or 0 at the end (0 never matches a structural char). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describeCurrent() {
        if (pos >= text.length()) {
            return "end of input";
        }
        char c = text.charAt(pos);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
    }

    private ParseException error(String message) {
        return new ParseException(message + " at position " + pos, pos);
    }
}
