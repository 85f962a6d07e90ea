package dev.oneshot.core.json;

import java.util.List;
import java.util.Map;

/**
 * The serialiser behind {@link Json#write}, {@link Json#quote} and {@link Json.Builder}: appends
 * one value tree to a {@link StringBuilder}, compact and deterministic. The accepted types and
 * the number and escaping rules are documented on {@link Json}.
 */
final class JsonWriter {
    private JsonWriter() {
    }

    /** Appends {@code value} as JSON; {@code depth} counts the containers around it. */
    static void value(Object value, StringBuilder out, int depth) {
        if (value == null || value == Json.NULL) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Double d) {
            number(d, out);
        } else if (value instanceof Float f) {
            number(f, out);
        } else if (value instanceof Json.Num n) {
            out.append(n.literal());
        } else if (value instanceof Json.Builder b) {
            out.append(b);
        } else if (value instanceof Map<?, ?> m) {
            object(m, out, depth + 1);
        } else if (value instanceof List<?> l) {
            checkDepth(depth + 1);
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                out.append(i == 0 ? "" : ",");
                value(l.get(i), out, depth + 1);
            }
            out.append(']');
        } else if (value instanceof int[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                out.append(i == 0 ? "" : ",").append(a[i]);
            }
            out.append(']');
        } else if (value instanceof long[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                out.append(i == 0 ? "" : ",").append(a[i]);
            }
            out.append(']');
        } else if (value instanceof float[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                number(a[i], out.append(i == 0 ? "" : ","));
            }
            out.append(']');
        } else if (value instanceof double[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                number(a[i], out.append(i == 0 ? "" : ","));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("Json.write: cannot write a " + value.getClass().getName()
                    + " (JSON values are Map, List, String, Boolean, integer and floating-point boxes, Json.Num, "
                    + "primitive arrays, Json.Builder and null)");
        }
    }

    private static void object(Map<?, ?> m, StringBuilder out, int depth) {
        checkDepth(depth);
        out.append('{');
        String sep = "";
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("Json.write: an object key must be a String, got "
                        + (e.getKey() == null ? "null" : "a " + e.getKey().getClass().getName()));
            }
            quote(key, out.append(sep));
            out.append(':');
            value(e.getValue(), out, depth);
            sep = ",";
        }
        out.append('}');
    }

    /** Output deeper than the reader's default limit could not be read back (and is most likely a cycle). */
    private static void checkDepth(int depth) {
        if (depth > Json.DEFAULT_MAX_DEPTH) {
            throw new IllegalArgumentException("Json.write: nesting deeper than " + Json.DEFAULT_MAX_DEPTH
                    + " levels (does a map or list contain itself?)");
        }
    }

    /** {@link Double#toString(double)} digits; NaN and ±∞ as {@code null}. */
    private static void number(double v, StringBuilder out) {
        if (Double.isFinite(v)) {
            out.append(Double.toString(v));
        } else {
            out.append("null");
        }
    }

    /** {@link Float#toString(float)} digits (the shortest that read back as this float); NaN and ±∞ as {@code null}. */
    private static void number(float v, StringBuilder out) {
        if (Float.isFinite(v)) {
            out.append(Float.toString(v));
        } else {
            out.append("null");
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(s, sb);
        return sb.toString();
    }

    /** Appends {@code s} quoted, escaped as serde_json escapes (see {@link Json#quote}). */
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
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
