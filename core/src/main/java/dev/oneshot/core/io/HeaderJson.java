package dev.oneshot.core.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny, strict JSON reader and writer, just enough for a safetensors header.
 *
 * <p>A header is one JSON object such as
 * <pre>{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}</pre>
 * so at most three containers are ever nested (object → object → array). The reader therefore:
 * <ul>
 *   <li>maps objects to {@link LinkedHashMap} (keys in file order), arrays to {@link List},
 *       strings to {@link String}, numbers to {@link Num} (the literal text, so the caller can
 *       say exactly what was wrong with {@code -3} or {@code 2.5}), and {@code true},
 *       {@code false}, {@code null} to {@link Boolean} and {@link #NULL};</li>
 *   <li>rejects duplicate keys (JSON allows them, safetensors must not: which one wins?),
 *       anything but whitespace after the value, nesting deeper than {@link #MAX_DEPTH},
 *       raw control characters in strings, and unpaired UTF-16 surrogates in <code>&#92;u</code>
 *       escapes — a surrogate pair <code>&#92;uD83D&#92;uDE00</code> is one character, 😀;</li>
 *   <li>follows RFC 8259's grammar exactly: no comments, no trailing commas, no single
 *       quotes, no leading zeros, no {@code NaN}.</li>
 * </ul>
 * Errors are {@link IllegalArgumentException}s naming the character offset; the reader of a
 * file wraps them with the file name.
 *
 * <p>The writer side is {@link #quote}: it escapes exactly as {@code serde_json} (the
 * reference writer) does — {@code \"}, {@code \\}, {@code \b \f \n \r \t}, other control
 * characters as lowercase <code>&#92;u00XX</code>, and everything else verbatim — so headers are
 * byte-identical to the reference.
 */
final class HeaderJson {
    /** Object → object → array is as deep as a safetensors header goes. */
    static final int MAX_DEPTH = 3;

    /** The JSON literal {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A JSON number, kept as its literal text. */
    record Num(String literal) {
        /** The value if this is a non-negative integer that fits a {@code long}; else -1. */
        long asNonNegativeLong() {
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
            }
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooBig) {
                return -1;
            }
        }

        @Override
        public String toString() {
            return literal;
        }
    }

    private final String text;
    private int pos;

    private HeaderJson(String text) {
        this.text = text;
    }

    /** Parses one JSON value surrounded by optional whitespace. */
    static Object parse(String text) {
        HeaderJson p = new HeaderJson(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describe(p.pos) + " after the end of the JSON value");
        }
        return value;
    }

    private Object value(int depth) {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected " + describe(pos) + ", expected a value");
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describe(pos) + ", expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key " + quote(key));
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return map;
            } else {
                throw error("unexpected " + describe(pos) + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            } else {
                throw error("unexpected " + describe(pos) + ", expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("raw control character U+" + hex4(c) + " in a string (must be escaped)");
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(unicodeEscape());
                default -> {
                    pos -= 2;
                    throw error("invalid escape \\" + e);
                }
            }
        }
    }

    /** After <code>&#92;u</code>: one BMP character, or a high surrogate that must be followed by a low one. */
    private String unicodeEscape() {
        int start = pos - 2;
        char first = hexChar();
        if (Character.isLowSurrogate(first)) {
            pos = start;
            throw error("unpaired low surrogate \\u" + hex4(first));
        }
        if (!Character.isHighSurrogate(first)) {
            return String.valueOf(first);
        }
        if (!text.startsWith("\\u", pos)) {
            pos = start;
            throw error("unpaired high surrogate \\u" + hex4(first) + " (not followed by a \\u low surrogate)");
        }
        pos += 2;
        char second = hexChar();
        if (!Character.isLowSurrogate(second)) {
            pos = start;
            throw error("high surrogate \\u" + hex4(first) + " is followed by \\u" + hex4(second)
                    + ", which is not a low surrogate (DC00–DFFF)");
        }
        return new String(new char[] {first, second});
    }

    private char hexChar() {
        if (pos + 4 > text.length()) {
            throw error("\\u escape needs 4 hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') {
                throw error("\\u escape needs 4 hex digits, got " + describe(pos + i));
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    /** RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
    private Num number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in a number");
            }
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("unexpected " + describe(pos) + " in a number, expected a digit");
        }
        if (peek() == '.') {
            pos++;
            requireDigits("after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigits("in the exponent");
        }
        return new Num(text.substring(start, pos));
    }

    private void requireDigits(String where) {
        if (!isDigit(peek())) {
            throw error("expected a digit " + where + ", got " + describe(pos));
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describe(pos) + ", expected a value");
        }
        pos += word.length();
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels (a safetensors header needs at most "
                    + MAX_DEPTH + ")");
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("unexpected " + describe(pos) + ", expected '" + c + "'");
        }
        pos++;
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

    /** The current character, or U+FFFF at the end (never valid where a token is expected). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\uffff';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describe(int at) {
        if (at >= text.length()) {
            return "end of JSON";
        }
        char c = text.charAt(at);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + hex4(c);
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(problem + " at character " + pos);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    // ------------------------------------------------------------------ writing

    /** {@code s} as a JSON string literal, escaped exactly as serde_json escapes. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(s, sb);
        return sb.toString();
    }

    /** Appends {@code s} as a JSON string literal, escaped exactly as serde_json escapes. */
    static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
