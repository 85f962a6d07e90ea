package dev.oneshot.core.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed JSON object read field by field, each accessor checking the JSON type and the range
 * it was asked for. Every error is an {@link IllegalArgumentException} that says where the
 * value is, what was expected and what was found:
 * <pre>
 *   runs/m/model.safetensors: oneshot.card.recipe.batch: expected an integer between 2 and 1000, got 1.5
 *   runs/m/model.safetensors: oneshot.card: missing field 'lr'
 *   runs/m/model.safetensors: oneshot.card.kind: expected one of triplet, contrastive, binary, got 'tripplet'
 *   runs/m/model.safetensors: oneshot.card: unknown field 'bach' (known: name, batch, steps)
 * </pre>
 * "Where" is the text given to {@link #parse} or {@link #of} (a file and what in it), then the
 * dotted path of keys down to the value. An accessor with a fallback returns the fallback when
 * the key is absent or JSON {@code null} ({@link #has} is false); a present value of the wrong
 * type or range is an error either way.
 */
public final class JsonObject {
    private final Map<String, Object> values;
    private final String where;

    private JsonObject(Map<String, Object> values, String where) {
        this.values = values;
        this.where = where;
    }

    /**
     * Parses text that must be one JSON object ({@link Json#parse(String)}'s rules).
     *
     * @param where starts every error message, e.g. {@code "runs/m/model.safetensors: oneshot.card"}
     */
    public static JsonObject parse(String text, String where) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getMessage(), e);
        }
        return of(parsed, where);
    }

    /**
     * Wraps a parsed value that must be a JSON object (a {@code Map} with string keys).
     *
     * @throws IllegalArgumentException naming {@code where} and the JSON type found otherwise
     */
    @SuppressWarnings("unchecked")
    public static JsonObject of(Object parsed, String where) {
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": expected a JSON object, got " + Json.describe(parsed));
        }
        for (Object k : map.keySet()) {
            if (!(k instanceof String)) {
                throw new IllegalArgumentException(where + ": expected a JSON object, got a map with a key of "
                        + (k == null ? "null" : k.getClass().getName()));
            }
        }
        return new JsonObject((Map<String, Object>) map, where);
    }

    /** Where this object is: the text given to {@link #parse}/{@link #of}, then ".key" per nesting level. */
    public String where() {
        return where;
    }

    /** Whether {@code key} is present with a value other than JSON {@code null}. */
    public boolean has(String key) {
        Object v = values.get(key);
        return v != null && v != Json.NULL;
    }

    /** The keys, in file order (read-only). */
    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The parsed values by key, in file order (a read-only view, e.g. for writing back with {@link Json#write}). */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    public String string(String key) {
        return string(key, required(key));
    }

    public String string(String key, String fallback) {
        return has(key) ? string(key, values.get(key)) : fallback;
    }

    private String string(String key, Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw wrong(key, "a string", v);
    }

    /** An integer literal (no fraction, no exponent) in [min, max]. */
    public int integer(String key, int min, int max) {
        return (int) integer(key, required(key), min, max);
    }

    public int integer(String key, int fallback, int min, int max) {
        return has(key) ? (int) integer(key, values.get(key), min, max) : fallback;
    }

    /** Any integer literal that fits a {@code long}. */
    public long longValue(String key) {
        return longValue(key, required(key));
    }

    public long longValue(String key, long fallback) {
        return has(key) ? longValue(key, values.get(key)) : fallback;
    }

    private long longValue(String key, Object v) {
        if (v instanceof Json.Num n && n.isInteger()) {
            try {
                return n.longValue();
            } catch (IllegalArgumentException outOfRange) {
                // reported below
            }
        }
        throw wrong(key, "a 64-bit integer", v);
    }

    /** A finite number in [min, max] (either bound may be infinite). */
    public double number(String key, double min, double max) {
        return number(key, required(key), min, max);
    }

    public double number(String key, double fallback, double min, double max) {
        return has(key) ? number(key, values.get(key), min, max) : fallback;
    }

    private double number(String key, Object v, double min, double max) {
        if (v instanceof Json.Num n) {
            double x = n.doubleValue();
            if (Double.isFinite(x) && x >= min && x <= max) {
                return x;
            }
        }
        boolean low = min > Double.NEGATIVE_INFINITY;
        boolean high = max < Double.POSITIVE_INFINITY;
        String range = low && high ? " between " + show(min) + " and " + show(max)
                : low ? " of at least " + show(min) : high ? " of at most " + show(max) : "";
        throw wrong(key, (range.isEmpty() ? "a finite number" : "a number") + range, v);
    }

    public boolean bool(String key) {
        return bool(key, required(key));
    }

    public boolean bool(String key, boolean fallback) {
        return has(key) ? bool(key, values.get(key)) : fallback;
    }

    private boolean bool(String key, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrong(key, "true or false", v);
    }

    /** A nested object, whose {@link #where()} is this one's plus ".key". */
    public JsonObject object(String key) {
        Object v = required(key);
        if (!(v instanceof Map<?, ?>)) {
            throw wrong(key, "an object", v);
        }
        return of(v, path(key));
    }

    /** An array as parsed (elements as {@link Json#parse} maps them; read-only). */
    public List<Object> array(String key) {
        Object v = required(key);
        if (!(v instanceof List<?> list)) {
            throw wrong(key, "an array", v);
        }
        return Collections.unmodifiableList(list);
    }

    /** An array of integers, each in [min, max]; an error names the element ("key[2]"). */
    public int[] intArray(String key, int min, int max) {
        List<Object> list = array(key);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) integer(key + "[" + i + "]", list.get(i), min, max);
        }
        return out;
    }

    /** An array of strings; an error names the element ("key[2]"). */
    public List<String> stringList(String key) {
        List<Object> list = array(key);
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(string(key + "[" + i + "]", list.get(i)));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The constant of {@code type} the string names, matched case-insensitively with '_' and '-'
     * treated alike ({@code "batch-hard"} = {@code BATCH_HARD}). An error lists the names as
     * lowercase with '-' ({@code batch-hard}).
     */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        return enumValue(key, required(key), type);
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        return has(key) ? enumValue(key, values.get(key), type) : fallback;
    }

    private <E extends Enum<E>> E enumValue(String key, Object v, Class<E> type) {
        E[] constants = type.getEnumConstants();
        if (v instanceof String s) {
            String wanted = s.replace('-', '_');
            for (E e : constants) {
                if (e.name().equalsIgnoreCase(wanted)) {
                    return e;
                }
            }
        }
        String names = Arrays.stream(constants).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        String got = v instanceof String s ? "'" + Json.shorten(s) + "'" : Json.describe(v);
        throw new IllegalArgumentException(path(key) + ": expected one of " + names + ", got " + got);
    }

    /**
     * Fails naming the first key (in file order) that is not one of {@code knownKeys}, and
     * listing those: a typo in a config file must not pass silently as "field absent".
     */
    public void requireOnly(String... knownKeys) {
        List<String> known = Arrays.asList(knownKeys);
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown field '" + k + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    /** The object as JSON text. */
    @Override
    public String toString() {
        return Json.write(values);
    }

    // ------------------------------------------------------------------ errors

    private Object required(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(where + ": missing field '" + key + "'");
        }
        return v;
    }

    private long integer(String key, Object v, long min, long max) {
        if (v instanceof Json.Num n && n.isInteger()) {
            try {
                long x = n.longValue();
                if (x >= min && x <= max) {
                    return x;
                }
            } catch (IllegalArgumentException outOfRange) {
                // reported below
            }
        }
        throw wrong(key, "an integer between " + min + " and " + max, v);
    }

    private IllegalArgumentException wrong(String key, String expected, Object found) {
        return new IllegalArgumentException(path(key) + ": expected " + expected + ", got " + Json.describe(found));
    }

    private String path(String key) {
        return where + "." + key;
    }

    /** A bound as a person writes it: 0 and 1000 rather than 0.0 and 1000.0. */
    private static String show(double bound) {
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound) : Double.toString(bound);
    }
}
