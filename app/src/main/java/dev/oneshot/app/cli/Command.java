package dev.oneshot.app.cli;

import java.io.PrintStream;

/**
 * One subcommand of {@code oneshot}: a name, a one-line summary, its {@link Options} table (which
 * parses the command line and writes {@code --help} and {@code docs/cli.md}) and a body.
 */
interface Command {
    String name();

    /** One line for the main help. */
    String summary();

    /** The option table. */
    Options options();

    /** The usage line(s) and option descriptions, printed by {@code --help} and after a usage error. */
    default String usage() {
        return options().help(name());
    }

    /** Parses {@code args} with {@link #options()} and runs. */
    default int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return run(options().parse(args), out, err);
    }

    /**
     * Runs the command. Results to {@code out}, progress to {@code err}. Returns the exit code;
     * throws {@link Options.UsageException} for usage errors (exit 2) and any other exception for
     * a runtime failure (exit 1, reported as one line).
     */
    int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception;
}
