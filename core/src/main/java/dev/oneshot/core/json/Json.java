package dev.oneshot.core.json;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The project's one JSON codec (RFC 8259): a strict reader, a compact deterministic writer, and
 * a fluent object builder. {@link JsonObject} reads a parsed object field by field.
 *
 * <p><b>Reading</b> accepts exactly RFC 8259's grammar — one value, optionally surrounded by
 * whitespace (space, tab, CR, LF); no comments, trailing commas, single quotes, leading zeros,
 * {@code NaN} or {@code Infinity}. On top of the RFC it refuses duplicate keys (which one would
 * win?), raw control characters in strings, unpaired UTF-16 surrogates in <code>&#92;u</code>
 * escapes (they have no UTF-8 encoding; a pair <code>&#92;uD83D&#92;uDE00</code> is one
 * character, 😀) and containers nested deeper than a limit ({@link #DEFAULT_MAX_DEPTH}, or the
 * caller's: a safetensors header needs 3). Values map to {@code LinkedHashMap<String, Object>}
 * (keys in file order), unmodifiable {@code List<Object>}, {@code String}, {@link Num} (the
 * literal text, never rounded), {@code Boolean} and {@link #NULL}. Errors are
 * {@link IllegalArgumentException}s ending "at character N".
 *
 * <p><b>Writing</b> is compact (no whitespace) and deterministic: keys in the map's order. A
 * {@code double} prints as {@link Double#toString(double)} ({@code 0.5}, {@code 1.0E-4}), a
 * {@code float} as {@link Float#toString(float)}, integers exactly; JSON has no NaN or infinity,
 * so those print as {@code null}. Strings are escaped as serde_json escapes them: {@code \"},
 * {@code \\}, {@code \b \f \n \r \t}, other characters below U+0020 as <code>&#92;u00xx</code>
 * (lowercase hex), everything else — {@code /}, non-ASCII, U+2028 — verbatim.
 *
 * <pre>{@code
 * Json.object().put("accuracy", 0.5).put("way", 5).put("name", "a\"b").toString()
 *     // {"accuracy":0.5,"way":5,"name":"a\"b"}
 * Map<?, ?> m = (Map<?, ?>) Json.parse("{\"shape\":[2,3]}");   // {shape=[2, 3]}, numbers as Num
 * }</pre>
 */
public final class Json {
    /** The JSON literal null as read (a distinct sentinel, so a present null differs from an absent key). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** The depth limit of {@link #parse(String)}: containers nested deeper are refused. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private Json() {
    }

    /**
     * A JSON number as read, kept as its literal text, so an error can quote {@code 2.5} or
     * {@code -3} exactly and a 20-digit integer is not silently rounded.
     *
     * @param literal a JSON number, e.g. {@code -0.5e3}; anything else is refused
     */
    public record Num(String literal) {
        public Num {
            Objects.requireNonNull(literal, "literal");
            int end;
            try {
                end = JsonReader.numberEnd(literal, 0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a JSON number: " + quote(literal) + " (" + e.getMessage() + ")");
            }
            if (end != literal.length()) {
                throw new IllegalArgumentException("not a JSON number: " + quote(literal) + " (unexpected character at "
                        + end + ")");
            }
        }

        /** The nearest double ({@code 1e999} is infinite). */
        public double doubleValue() {
            return Double.parseDouble(literal);
        }

        /**
         * The value when the literal is an integer (no fraction, no exponent) that fits a long.
         *
         * @throws IllegalArgumentException naming the literal otherwise
         */
        public long longValue() {
            if (!isInteger()) {
                throw new IllegalArgumentException("not an integer: " + literal);
            }
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooBig) {
                throw new IllegalArgumentException("integer outside the 64-bit range: " + literal);
            }
        }

        /** The value if this is a non-negative integer that fits a {@code long}; else -1. */
        public long asNonNegativeLong() {
            if (literal.charAt(0) == '-' || !isInteger()) {
                return -1;
            }
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooBig) {
                return -1;
            }
        }

        /** No fraction, no exponent. */
        boolean isInteger() {
            return literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
        }

        /** The literal, as written. */
        @Override
        public String toString() {
            return literal;
        }
    }

    /** Parses one JSON value, refusing nesting deeper than {@link #DEFAULT_MAX_DEPTH}. */
    public static Object parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    /**
     * Parses one JSON value, refusing containers nested deeper than {@code maxDepth} (0 allows
     * only a scalar).
     *
     * @throws IllegalArgumentException naming the problem and its character offset
     */
    public static Object parse(String text, int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("Json.parse: maxDepth must be >= 0, got " + maxDepth);
        }
        return JsonReader.parse(text, maxDepth);
    }

    /**
     * Serialises a value tree: {@code Map} (its iteration order; keys must be strings),
     * {@code List}, {@code String}, {@code Boolean}, {@code Integer}/{@code Long}/{@code Short}/
     * {@code Byte}, {@code Float}, {@code Double}, {@link Num} (its literal), {@code int[]},
     * {@code long[]}, {@code float[]}, {@code double[]}, {@link Builder}, and {@code null} or
     * {@link #NULL} (as {@code null}). NaN and ±∞ are written as {@code null}.
     *
     * @throws IllegalArgumentException for any other type (naming its class), and for nesting
     *         deeper than {@link #DEFAULT_MAX_DEPTH} (which {@link #parse(String)} would refuse)
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.value(value, out, 0);
        return out.toString();
    }

    /**
     * The same value as {@link #write}, indented by two spaces per level with one field per line,
     * for files people read and edit (a recipe); arrays of numbers stay on one line.
     */
    public static String writeIndented(Object value) {
        String json = write(value);
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                sb.append(c);
                if (c == '\\') {
                    sb.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    sb.append(c);
                }
                case '{', '[' -> {
                    char close = c == '{' ? '}' : ']';
                    if (i + 1 < json.length() && json.charAt(i + 1) == close) {
                        sb.append(c).append(close);
                        i++;
                    } else if (c == '[' && isFlat(json, i)) {
                        int end = json.indexOf(']', i);
                        sb.append(json, i, end + 1);
                        i = end;
                    } else {
                        depth++;
                        sb.append(c).append('\n').append("  ".repeat(depth));
                    }
                }
                case '}', ']' -> {
                    depth--;
                    sb.append('\n').append("  ".repeat(depth)).append(c);
                }
                case ',' -> sb.append(",\n").append("  ".repeat(depth));
                case ':' -> sb.append(": ");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** An array of numbers only: kept on one line. */
    private static boolean isFlat(String json, int open) {
        int end = json.indexOf(']', open);
        if (end < 0) {
            return false;
        }
        String inner = json.substring(open + 1, end);
        return inner.chars().allMatch(ch -> ch == ',' || ch == '.' || ch == '-' || ch == 'E' || ch == 'e'
                || (ch >= '0' && ch <= '9'));
    }

    /** {@code s} quoted and escaped exactly as serde_json does (the safetensors golden files depend on it). */
    public static String quote(String s) {
        return JsonWriter.quote(s);
    }

    /**
     * A parsed value as an error message shows it: {@code a string "abc"}, {@code 1.5},
     * {@code true}, {@code null}, {@code an array}, {@code an object}. Long strings are cut.
     */
    public static String describe(Object value) {
        if (value == null || value == NULL) {
            return "null";
        }
        if (value instanceof String s) {
            return "a string " + quote(shorten(s));
        }
        if (value instanceof Num n) {
            return shorten(n.literal());
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return "a " + value.getClass().getName();
    }

    /** At most 40 characters and "…" (not splitting a surrogate pair). */
    static String shorten(String s) {
        if (s.length() <= 40) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(39)) ? 39 : 40;
        return s.substring(0, end) + "…";
    }

    /** A new, empty object builder. */
    public static Builder object() {
        return new Builder();
    }

    /**
     * A JSON object under construction; {@link #toString()} gives its text. Keys appear in the
     * order they were put and must be unique. Values are written as {@link Json#write} writes
     * them ({@code put(key, float)} with float digits, {@code put(key, double)} with double
     * digits; a {@code null} string, array or builder as {@code null}).
     */
    public static final class Builder {
        private final StringBuilder sb = new StringBuilder("{");
        private final Set<String> keys = new HashSet<>();

        private Builder() {
        }

        /** Appends the member {@code key: json}; {@code json} is already valid JSON text. */
        private Builder member(String key, String json) {
            if (!keys.add(key)) {
                throw new IllegalArgumentException("Json: duplicate key " + quote(key));
            }
            if (keys.size() > 1) {
                sb.append(',');
            }
            JsonWriter.quote(key, sb);
            sb.append(':').append(json);
            return this;
        }

        public Builder put(String key, String value) {
            return member(key, write(value));
        }

        public Builder put(String key, double value) {
            return member(key, write(value));
        }

        public Builder put(String key, float value) {
            return member(key, write(value));
        }

        public Builder put(String key, long value) {
            return member(key, Long.toString(value));
        }

        public Builder put(String key, boolean value) {
            return member(key, Boolean.toString(value));
        }

        public Builder put(String key, Builder value) {
            return member(key, write(value));
        }

        public Builder put(String key, double[] values) {
            return member(key, write(values));
        }

        public Builder put(String key, int[] values) {
            return member(key, write(values));
        }

        public Builder put(String key, List<?> values) {
            return member(key, write(values));
        }

        public Builder put(String key, Map<String, ?> values) {
            return member(key, write(values));
        }

        /** Any value {@link Json#write} accepts. */
        public Builder put(String key, Object value) {
            return member(key, write(value));
        }

        /** {@code key: null}. */
        public Builder putNull(String key) {
            return member(key, "null");
        }

        /**
         * Appends {@code key} with already-serialised JSON text (checked to be one JSON value).
         *
         * @throws IllegalArgumentException if {@code json} is not valid JSON
         */
        public Builder putRaw(String key, String json) {
            try {
                parse(json);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Json.Builder.putRaw(" + quote(key) + "): not valid JSON: "
                        + e.getMessage(), e);
            }
            return member(key, json);
        }

        /** The object's JSON text. */
        @Override
        public String toString() {
            return sb + "}";
        }
    }
}
