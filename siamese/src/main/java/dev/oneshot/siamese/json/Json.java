package dev.oneshot.siamese.json;

import java.util.HashSet;
import java.util.Set;

/**
 * A tiny JSON writer (RFC 8259) for the evaluation reports and the command line's {@code --json}
 * output: objects, arrays, strings, numbers,
 * booleans and null. Output is compact (no spaces) and deterministic: keys appear in the order
 * they were put, so the same report always serialises to the same bytes.
 *
 * <ul>
 *   <li><b>Numbers.</b> Integers ({@code int}, {@code long}) print as decimal integers. A
 *       finite {@code double} prints as {@link Double#toString(double)} (e.g. {@code 0.5},
 *       {@code 1.0}, {@code 1.0E-4} — all valid JSON numbers). JSON has no NaN or infinity, so
 *       <b>NaN and ±∞ are written as {@code null}</b> (e.g. a threshold of −∞ meaning "accept
 *       nothing", or a metric that is undefined for an empty input).</li>
 *   <li><b>Strings</b> are quoted; {@code "} and {@code \} are backslash-escaped, control
 *       characters U+0000–U+001F become {@code \b \f \n \r \t} or {@code \}{@code u00XX}.
 *       Everything else (non-ASCII included) is written as is (JSON text is UTF-8).</li>
 *   <li>A {@code null} string or nested object is written as {@code null}.</li>
 * </ul>
 *
 * <pre>{@code
 * Json.object().put("accuracy", 0.5).put("way", 5).put("name", "a\"b").toString()
 *     // {"accuracy":0.5,"way":5,"name":"a\"b"}
 * }</pre>
 */
public final class Json {
    private Json() {
    }

    /**
     * Serialises a value tree: {@code Map} (insertion order kept; keys via {@code String.valueOf}),
     * {@code List}, {@code int[]}, {@code double[]}, {@code String}, {@code Boolean}, numbers
     * (floating point through {@link #number(double)}), {@link Obj} (as its JSON), {@code null};
     * anything else as its {@code toString()} string.
     */
    public static String write(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String s) {
            return string(s);
        } else if (value instanceof Boolean b) {
            return b.toString();
        } else if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        } else if (value instanceof Number n) {
            return number(n.longValue());
        } else if (value instanceof Obj o) {
            return o.toString();
        } else if (value instanceof int[] a) {
            return array(a);
        } else if (value instanceof double[] a) {
            return array(a);
        } else if (value instanceof java.util.Map<?, ?> m) {
            StringBuilder sb = new StringBuilder().append('{');
            for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append(string(String.valueOf(e.getKey()))).append(':').append(write(e.getValue()));
            }
            return sb.append('}').toString();
        } else if (value instanceof java.util.List<?> l) {
            StringBuilder sb = new StringBuilder().append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(write(l.get(i)));
            }
            return sb.append(']').toString();
        }
        return string(value.toString());
    }

    /** A new, empty object builder. */
    public static Obj object() {
        return new Obj();
    }

    /** The JSON text of a number: integral types exactly; NaN and ±∞ as {@code null}. */
    public static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** The JSON text of an integer. */
    public static String number(long v) {
        return Long.toString(v);
    }

    /** {@code s} quoted and escaped; {@code null} for a null string. */
    public static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
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

    /** A JSON array of numbers (NaN and ±∞ as {@code null}). */
    public static String array(double[] values) {
        StringBuilder sb = new StringBuilder().append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(number(values[i]));
        }
        return sb.append(']').toString();
    }

    /** A JSON array of integers. */
    public static String array(int[] values) {
        StringBuilder sb = new StringBuilder().append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(values[i]);
        }
        return sb.append(']').toString();
    }

    /** An object under construction; {@link #toString()} gives its JSON text. Keys must be unique. */
    public static final class Obj {
        private final StringBuilder sb = new StringBuilder("{");
        private final Set<String> keys = new HashSet<>();

        private Obj() {
        }

        /** Appends {@code key} with already-serialised JSON {@code json} (a nested value). */
        public Obj putRaw(String key, String json) {
            if (!keys.add(key)) {
                throw new IllegalArgumentException("Json: duplicate key " + string(key));
            }
            if (keys.size() > 1) {
                sb.append(',');
            }
            sb.append(string(key)).append(':').append(json);
            return this;
        }

        public Obj put(String key, double value) {
            return putRaw(key, number(value));
        }

        public Obj put(String key, long value) {
            return putRaw(key, number(value));
        }

        public Obj put(String key, boolean value) {
            return putRaw(key, Boolean.toString(value));
        }

        public Obj put(String key, String value) {
            return putRaw(key, string(value));
        }

        public Obj put(String key, Obj value) {
            return putRaw(key, value == null ? "null" : value.toString());
        }

        public Obj put(String key, double[] values) {
            return putRaw(key, values == null ? "null" : array(values));
        }

        public Obj put(String key, int[] values) {
            return putRaw(key, values == null ? "null" : array(values));
        }

        /** {@code key: null}. */
        public Obj putNull(String key) {
            return putRaw(key, "null");
        }

        /** The object's JSON text. */
        @Override
        public String toString() {
            return sb + "}";
        }
    }
}
