package dev.oneshot.app.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's option table: the synopsis, a paragraph of description, the {@link Option}s in
 * help order, and what its positional arguments are. It parses a command line ({@code --name
 * value}, {@code --name=value}, flags, positionals; {@code --} ends the options) into
 * {@link Parsed} values, and renders the command's {@code --help} and its section of
 * {@code docs/cli.md}.
 */
final class Options {
    /** Thrown for a usage error; the message is printed before the command's usage line (exit code 2). */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    final String synopsis;
    final String description;
    final List<Option<?>> options;
    final String positionals;
    final int minPositionals;
    final int maxPositionals;

    /**
     * @param synopsis       the part of the usage line after {@code oneshot NAME}
     * @param description    what the command does, a few lines
     * @param positionals    what the positional arguments are (e.g. {@code "IMAGE..."}), or "" for none
     * @param minPositionals the fewest positionals accepted
     * @param maxPositionals the most positionals accepted
     */
    Options(String synopsis, String description, String positionals, int minPositionals, int maxPositionals,
            List<Option<?>> options) {
        this.synopsis = synopsis;
        this.description = description.strip();
        this.positionals = positionals;
        this.minPositionals = minPositionals;
        this.maxPositionals = maxPositionals;
        this.options = List.copyOf(options);
        Map<String, Option<?>> seen = new HashMap<>();
        for (Option<?> o : options) {
            if (seen.put(o.name, o) != null) {
                throw new IllegalStateException("option --" + o.name + " declared twice");
            }
        }
    }

    /** A table without positional arguments. */
    Options(String synopsis, String description, List<Option<?>> options) {
        this(synopsis, description, "", 0, 0, options);
    }

    /** The parsed command line: typed values by option, and the positionals. */
    static final class Parsed {
        private final Map<Option<?>, Object> values = new LinkedHashMap<>();
        private final List<String> positionals = new ArrayList<>();

        /** The option's value, its default when absent (null when it has none). */
        @SuppressWarnings("unchecked")
        <T> T get(Option<T> o) {
            return values.containsKey(o) ? (T) values.get(o) : o.defaultValue;
        }

        /** Whether the option was given. */
        boolean has(Option<?> o) {
            return values.containsKey(o);
        }

        List<String> positionals() {
            return positionals;
        }
    }

    /** Parses {@code args}; unknown options, missing values, bad values and wrong positional counts are usage errors. */
    Parsed parse(String[] args) throws UsageException {
        Map<String, Option<?>> byName = new HashMap<>();
        options.forEach(o -> byName.put(o.name, o));
        Parsed p = new Parsed();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (optionsEnded || !s.startsWith("--") || s.equals("--")) {
                if (s.equals("--") && !optionsEnded) {
                    optionsEnded = true;
                } else {
                    p.positionals.add(s);
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
            Option<?> o = byName.get(name);
            if (o == null) {
                throw new UsageException("unknown option '" + s + "'");
            }
            if (o.isFlag()) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                p.values.put(o, Boolean.TRUE);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option --" + name + " needs a value (" + o.value + ")");
                }
                value = args[++i];
            }
            try {
                p.values.put(o, o.parser.parse(value));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + name + " " + e.getMessage());
            }
        }
        for (Option<?> o : options) {
            if (o.required && !p.values.containsKey(o)) {
                throw new UsageException("missing required option --" + o.name);
            }
        }
        int n = p.positionals.size();
        if (n < minPositionals || n > maxPositionals) {
            if (maxPositionals == 0) {
                throw new UsageException("unexpected argument '" + p.positionals.get(0) + "'");
            }
            throw new UsageException(minPositionals == maxPositionals
                    ? "expected " + minPositionals + " argument" + (minPositionals == 1 ? "" : "s") + " (" + positionals
                    + "), got " + n
                    : n < minPositionals ? "no " + positionals + " given" : "too many arguments: " + n);
        }
        return p;
    }

    /** The {@code --help} text: usage line, description, one entry per option. */
    String help(String command) {
        StringBuilder sb = new StringBuilder("usage: oneshot ").append(command).append(' ').append(synopsis).append('\n');
        for (String line : description.split("\n")) {
            sb.append("  ").append(line).append('\n');
        }
        int width = options.stream().mapToInt(o -> o.synopsis().length()).max().orElse(0);
        for (Option<?> o : options) {
            String first = String.format("  %-" + width + "s  ", o.synopsis());
            String text = o.help + (o.required ? " (required)" : o.defaultText != null ? " (default: " + o.defaultText + ")"
                    : "");
            sb.append(first).append(wrap(text, 100 - first.length(), " ".repeat(first.length()))).append('\n');
        }
        return sb.toString();
    }

    /** The command's section of {@code docs/cli.md}. */
    String markdown(String command, String summary) {
        StringBuilder sb = new StringBuilder("## oneshot ").append(command).append("\n\n").append(summary).append(".\n\n");
        sb.append("```\noneshot ").append(command).append(' ').append(synopsis).append("\n```\n\n");
        boolean laidOut = description.lines().anyMatch(l -> l.startsWith("  "));
        sb.append(laidOut ? "```\n" + description + "\n```" : description.replace("\n", " ").replaceAll(" +", " "))
                .append("\n\n");
        if (!options.isEmpty()) {
            sb.append("| option | default | what |\n|---|---|---|\n");
            for (Option<?> o : options) {
                sb.append("| `").append(o.synopsis()).append("` | ")
                        .append(o.required ? "required" : o.defaultText == null ? "" : o.defaultText.replace("|", "\\|"))
                        .append(" | ").append(o.help.replace("|", "\\|").replace("[", "\\[").replace("\n", " "))
                        .append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Greedy word wrap at {@code width}, continuation lines indented. */
    static String wrap(String text, int width, String indent) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + 1 + word.length() > width) {
                sb.append('\n').append(indent);
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.toString();
    }
}
