package dev.oneshot.core.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict RFC 8259 parser behind {@link Json#parse(String, int)}: a recursive descent over
 * the text, one method per production, each error naming the character offset where it was
 * found. The grammar and the value mapping are documented on {@link Json}.
 */
final class JsonReader {
    private final String text;
    private final int maxDepth;
    private int pos;

    private JsonReader(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /** Parses one JSON value surrounded by optional whitespace. */
    static Object parse(String text, int maxDepth) {
        JsonReader p = new JsonReader(text, maxDepth);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + describe(text, p.pos) + " after the end of the JSON value");
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
                return Json.NULL;
            default:
                if (c == '-' || isDigit(c)) {
                    int start = pos;
                    pos = numberEnd(text, start);
                    return new Json.Num(text.substring(start, pos));
                }
                throw error("unexpected " + describe(text, pos) + ", expected a value");
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
                throw error("unexpected " + describe(text, pos) + ", expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key " + JsonWriter.quote(key));
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
                throw error("unexpected " + describe(text, pos) + ", expected ',' or '}'");
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
                throw error("unexpected " + describe(text, pos) + ", expected ',' or ']'");
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
                case 'u' -> unicodeEscape(sb);
                default -> {
                    pos -= 2;
                    throw error("invalid escape \\" + e);
                }
            }
        }
    }

    /** After <code>&#92;u</code>: one BMP character, or a high surrogate that must be followed by a low one. */
    private void unicodeEscape(StringBuilder sb) {
        int start = pos - 2;
        char first = hexChar();
        if (Character.isLowSurrogate(first)) {
            pos = start;
            throw error("unpaired low surrogate \\u" + hex4(first));
        }
        if (!Character.isHighSurrogate(first)) {
            sb.append(first);
            return;
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
        sb.append(first).append(second);
    }

    private char hexChar() {
        if (pos + 4 > text.length()) {
            throw error("\\u escape needs 4 hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') {
                throw error("\\u escape needs 4 hex digits, got " + describe(text, pos + i));
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    /**
     * The end of the number that starts at {@code start} in {@code s}, by RFC 8259's grammar
     * {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}; the first character that
     * cannot continue it ends it. Allocates nothing unless it throws. Shared by the parser and
     * {@link Json.Num}'s constructor, so there is one definition of a JSON number.
     *
     * @throws IllegalArgumentException naming the offset, if no number starts at {@code start}
     */
    static int numberEnd(String s, int start) {
        int i = start;
        if (at(s, i) == '-') {
            i++;
        }
        if (at(s, i) == '0') {
            i++;
            if (isDigit(at(s, i))) {
                throw error("leading zero in a number", i);
            }
        } else if (isDigit(at(s, i))) {
            while (isDigit(at(s, i))) {
                i++;
            }
        } else {
            throw error("unexpected " + describe(s, i) + " in a number, expected a digit", i);
        }
        if (at(s, i) == '.') {
            i = digits(s, i + 1, "after the decimal point");
        }
        if (at(s, i) == 'e' || at(s, i) == 'E') {
            i++;
            if (at(s, i) == '+' || at(s, i) == '-') {
                i++;
            }
            i = digits(s, i, "in the exponent");
        }
        return i;
    }

    /** The end of the run of one or more digits at {@code i}. */
    private static int digits(String s, int i, String where) {
        if (!isDigit(at(s, i))) {
            throw error("expected a digit " + where + ", got " + describe(s, i), i);
        }
        while (isDigit(at(s, i))) {
            i++;
        }
        return i;
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describe(text, pos) + ", expected a value");
        }
        pos += word.length();
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw error("nesting deeper than " + maxDepth + " levels");
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("unexpected " + describe(text, pos) + ", expected '" + c + "'");
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
        return at(text, pos);
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\uffff';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(String s, int at) {
        if (at >= s.length()) {
            return "end of JSON";
        }
        char c = s.charAt(at);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + hex4(c);
    }

    private IllegalArgumentException error(String problem) {
        return error(problem, pos);
    }

    private static IllegalArgumentException error(String problem, int at) {
        return new IllegalArgumentException(problem + " at character " + at);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }
}
