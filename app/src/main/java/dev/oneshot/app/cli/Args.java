package dev.oneshot.app.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tiny hand-written argument parser: {@code --name value}, {@code --name=value}, boolean
 * flags ({@code --json}) and positional arguments. {@code --} ends the options. Unknown
 * options and bad values are {@link UsageException}s (exit code 2).
 */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    /** Thrown for a usage error; the message is printed before the command's usage line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private Args() {
    }

    /**
     * Parses {@code args}. {@code withValue} are the options that take a value, {@code flags}
     * those that do not (both without the leading dashes).
     */
    static Args parse(String[] args, Set<String> withValue, Set<String> flags) throws UsageException {
        Args a = new Args();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (optionsEnded || !s.startsWith("--") || s.equals("--")) {
                if (s.equals("--") && !optionsEnded) {
                    optionsEnded = true;
                } else {
                    a.positionals.add(s);
                }
                continue;
            }
            String name = s.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                a.values.put(name, "true");
            } else if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args[++i];
                }
                a.values.put(name, value);
            } else {
                throw new UsageException("unknown option '" + s + "'");
            }
        }
        return a;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    /** An integer in [min, max], or {@code fallback} when absent. */
    int integer(String name, int fallback, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int x = Integer.parseInt(v.trim());
            if (x < min || x > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + x);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs an integer, got '" + v + "'");
        }
    }

    long longValue(String name, long fallback) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs an integer, got '" + v + "'");
        }
    }

    /** A finite number ≥ min, or {@code fallback} when absent. */
    double number(String name, double fallback, double min) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double x = Double.parseDouble(v.trim());
            if (!Double.isFinite(x) || x < min) {
                throw new UsageException("--" + name + " must be a number ≥ " + min + ", got " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number, got '" + v + "'");
        }
    }

    List<String> positionals() {
        return positionals;
    }
}
