package dev.oneshot.app.cli;

import java.io.PrintStream;

/** One subcommand of {@code oneshot}: a name, a one-line summary, a usage text and a body. */
interface Command {
    String name();

    /** One line for the main help. */
    String summary();

    /** The usage line(s) and option descriptions, printed by {@code --help} and after a usage error. */
    String usage();

    /**
     * Runs the command. Results to {@code out}, progress to {@code err}. Returns the exit code;
     * throws {@link Args.UsageException} for usage errors (exit 2) and any other exception for a
     * runtime failure (exit 1, reported as one line).
     */
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
}
