package dev.oneshot.app.cli;

import java.util.List;
import java.util.Locale;

/**
 * One command-line option, declared once: its name, the placeholder of its value ({@code null}
 * for a flag), its default as shown to users, its help, and the parser that turns the text
 * into a value (and says what is wrong with bad text). The same declaration drives parsing,
 * validation, {@code --help} and {@code docs/cli.md}.
 *
 * @param <T> the parsed value's type
 */
final class Option<T> {
    /** Turns an option's text into a value, or fails with a message that names the problem. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String text) throws IllegalArgumentException;
    }

    final String name;
    final String value;
    final String help;
    final String defaultText;
    final T defaultValue;
    final boolean required;
    final Parser<T> parser;

    private Option(String name, String value, String help, String defaultText, T defaultValue, boolean required,
                   Parser<T> parser) {
        this.name = name;
        this.value = value;
        this.help = help;
        this.defaultText = defaultText;
        this.defaultValue = defaultValue;
        this.required = required;
        this.parser = parser;
    }

    /** A flag: present or not. */
    static Option<Boolean> flag(String name, String help) {
        return new Option<>(name, null, help, null, false, false, text -> true);
    }

    /** Any text. */
    static Option<String> text(String name, String value, String help) {
        return new Option<>(name, value, help, null, null, false, text -> text);
    }

    /** An integer in [min, max]. */
    static Option<Integer> integer(String name, String value, int min, int max, String help) {
        return new Option<>(name, value, help, null, null, false, text -> {
            int x;
            try {
                x = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("needs an integer, got '" + text + "'");
            }
            if (x < min || x > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + x);
            }
            return x;
        });
    }

    /** A long integer (a seed). */
    static Option<Long> longInteger(String name, String value, String help) {
        return new Option<>(name, value, help, null, null, false, text -> {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("needs an integer, got '" + text + "'");
            }
        });
    }

    /** A finite number ≥ min. */
    static Option<Double> number(String name, String value, double min, String help) {
        return new Option<>(name, value, help, null, null, false, text -> {
            double x;
            try {
                x = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("needs a number, got '" + text + "'");
            }
            if (!Double.isFinite(x) || x < min) {
                throw new IllegalArgumentException("must be a number ≥ " + min + ", got " + text);
            }
            return x;
        });
    }

    /** One of a fixed list of words (case-insensitive); the list is shown in the help. */
    static Option<String> choice(String name, List<String> choices, String help) {
        return new Option<>(name, String.join("|", choices), help, null, null, false, text -> {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (!choices.contains(t)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", choices) + ", got '" + text
                        + "'");
            }
            return t;
        });
    }

    /** Any value, parsed by {@code parser}. */
    static <T> Option<T> of(String name, String value, String help, Parser<T> parser) {
        return new Option<>(name, value, help, null, null, false, parser);
    }

    /** The same option, required. */
    Option<T> required() {
        return new Option<>(name, value, help, defaultText, defaultValue, true, parser);
    }

    /** The same option with a default value, shown as {@code text}. */
    Option<T> orElse(T v, String text) {
        return new Option<>(name, value, help, text, v, required, parser);
    }

    /** The same option with a default value, shown as itself. */
    Option<T> orElse(T v) {
        return orElse(v, String.valueOf(v));
    }

    /** The same option with a default that depends on other options, described in words. */
    Option<T> defaultsTo(String description) {
        return new Option<>(name, value, help, description, defaultValue, required, parser);
    }

    boolean isFlag() {
        return value == null;
    }

    /** {@code --name VALUE}, or {@code --name} for a flag. */
    String synopsis() {
        return "--" + name + (isFlag() ? "" : " " + value);
    }
}
