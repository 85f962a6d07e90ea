package dev.oneshot.siamese.gallery;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Typed fields of a gallery's string metadata (the safetensors header of a gallery file, the
 * commit data of a Lucene index): each reader names the source, the key, what was expected and
 * what was found.
 */
public final class GalleryMetadata {
    private GalleryMetadata() {
    }

    /** The value of {@code key}, or an error naming the source and the key when it is missing. */
    public static String required(Path source, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(source + ": gallery metadata '" + key + "' is missing");
        }
        return v;
    }

    /** {@code key} as an integer &gt; 0. */
    public static int positiveInt(Path source, Map<String, String> meta, String key) {
        String v = required(source, meta, key);
        try {
            int x = Integer.parseInt(v);
            if (x > 0) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + ": gallery metadata '" + key + "' must be a positive integer, got '"
                + v + "'");
    }

    /** {@code key} as a long &ge; 0. */
    public static long nonNegativeLong(Path source, Map<String, String> meta, String key) {
        String v = required(source, meta, key);
        try {
            long x = Long.parseLong(v);
            if (x >= 0) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + ": gallery metadata '" + key + "' must be an integer >= 0, got '"
                + v + "'");
    }

    /** {@code key} as {@code true} or {@code false}, nothing else. */
    public static boolean bool(Path source, Map<String, String> meta, String key) {
        String v = required(source, meta, key);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(source + ": gallery metadata '" + key + "' must be true or false, got '"
                    + v + "'");
        }
        return v.equals("true");
    }

    /** {@code key} as a double. */
    public static double number(Path source, Map<String, String> meta, String key) {
        String v = required(source, meta, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": gallery metadata '" + key + "' must be a number, got '" + v + "'");
        }
    }

    /** {@code key} as the name of one of {@code type}'s constants. */
    public static <E extends Enum<E>> E constant(Path source, Map<String, String> meta, String key, Class<E> type) {
        String v = required(source, meta, key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException(source + ": gallery metadata '" + key + "' must be one of "
                + Arrays.toString(type.getEnumConstants()) + ", got '" + v + "'");
    }
}
