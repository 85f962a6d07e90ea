package dev.oneshot.nn.persist;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed node of an architecture string (see {@link Architecture}): for
 * {@code Conv2d(1,32,k=3,s=1,p=1,bias=true)} the kind is {@code Conv2d}, the positional
 * arguments {@code ["1", "32"]}, the named ones {@code {k=3, s=1, p=1, bias=true}}; for
 * {@code Sequential[ReLU,Flatten]} the children are the two nested specs.
 *
 * <p>The typed getters fail with a message quoting the whole spec, so a factory can simply
 * call them; {@link #allowOnly} rejects arguments a factory does not know (a typo such as
 * {@code strde=2} must not be silently ignored).
 */
public record LayerSpec(String kind, List<String> positional, Map<String, String> named, List<LayerSpec> children) {
    public LayerSpec {
        positional = List.copyOf(positional);
        named = Collections.unmodifiableMap(new LinkedHashMap<>(named));
        children = List.copyOf(children);
    }

    /**
     * For a leaf layer: fails unless there are at most {@code maxPositional} positional
     * arguments, only these keys, and no children.
     */
    public LayerSpec allowOnly(int maxPositional, String... keys) {
        if (!children.isEmpty()) {
            throw error("a " + kind + " has no children");
        }
        if (positional.size() > maxPositional) {
            throw error("takes at most " + maxPositional + " positional arguments, got " + positional.size());
        }
        for (String k : named.keySet()) {
            if (!List.of(keys).contains(k)) {
                throw error("unknown argument '" + k + "' (allowed: " + String.join(", ", keys) + ")");
            }
        }
        return this;
    }

    /** The positional argument {@code i} as an int. */
    public int intAt(int i) {
        if (i >= positional.size()) {
            throw error("missing positional argument " + (i + 1));
        }
        return parseInt("argument " + (i + 1), positional.get(i));
    }

    /** The required named argument {@code key} as an int. */
    public int intArg(String key) {
        return parseInt(key, require(key));
    }

    /** The required named argument {@code key} as a double. */
    public double doubleArg(String key) {
        require(key);
        return doubleArg(key, 0);
    }

    private String require(String key) {
        String v = named.get(key);
        if (v == null) {
            throw error("missing argument '" + key + "'");
        }
        return v;
    }

    public int intArg(String key, int fallback) {
        String v = named.get(key);
        return v == null ? fallback : parseInt(key, v);
    }

    public double doubleArg(String key, double fallback) {
        String v = named.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw error(key + "=" + v + " is not a number");
        }
    }

    public boolean boolArg(String key, boolean fallback) {
        String v = named.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw error(key + "=" + v + " is not true/false");
        }
        return v.equals("true");
    }

    private int parseInt(String what, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw error(what + " '" + v + "' is not an integer");
        }
    }

    /** An exception about this spec, quoting it. */
    public IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(kind + ": " + problem + " in '" + this + "'");
    }

    /** The spec in the canonical architecture-string form (what {@link Architecture#parse} reads). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(kind);
        if (!positional.isEmpty() || !named.isEmpty()) {
            b.append('(').append(String.join(",", positional));
            named.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '(' ? "" : ",").append(k).append('=').append(v));
            b.append(')');
        }
        if (!children.isEmpty() || kind.equals("Sequential")) {
            b.append('[');
            for (int i = 0; i < children.size(); i++) {
                b.append(i == 0 ? "" : ",").append(children.get(i));
            }
            b.append(']');
        }
        return b.toString();
    }
}
