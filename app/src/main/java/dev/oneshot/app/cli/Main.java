package dev.oneshot.app.cli;

import dev.oneshot.siamese.model.Provenance;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code oneshot} command line. Results go to stdout, progress and logs to stderr; exit
 * code 0 on success, 1 on a runtime failure (one line, never a stack trace), 2 on a usage
 * error (the message and the command's usage line). Every command takes {@code --help};
 * {@code oneshot --version} prints the version and the git commit it was built from.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    /** The commands, in help order. */
    static final List<Command> COMMANDS = List.of(new InfoCommand(), new GradcheckCommand(), new RecipesCommand(),
            new TrainCommand(), new EvalCommand(), new EmbedCommand(), new ExportCommand(), new EnrollCommand(),
            new IdentifyCommand(), new VerifyCommand(), new CalibrateCommand(), new CrossvalCommand(), new BenchCommand(),
            new DemoCommand());

    /**
     * When the running command started (System.nanoTime): a {@code --max-minutes} budget counts
     * from here. {@link #main} backdates it to the JVM's start, so the budget includes start-up.
     */
    private static volatile long commandStart = System.nanoTime();

    private Main() {
    }

    public static void main(String[] args) {
        long uptimeNanos = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        System.exit(run(args, System.out, System.err, System.nanoTime() - uptimeNanos));
    }

    /** Nanoseconds since the running command started (see {@link #commandStart}). */
    static long elapsedNanos() {
        return System.nanoTime() - commandStart;
    }

    /** Runs one command line and returns its exit code (no {@code System.exit}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.nanoTime());
    }

    private static int run(String[] args, PrintStream out, PrintStream err, long startNanos) {
        commandStart = startNanos;
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            if (args.length == 2 && args[0].equals("help") && args[1].equals("--markdown")) {
                out.print(CliDocs.markdown());
                return OK;
            }
            out.print(help());
            return OK;
        }
        if (args[0].equals("--version")) {
            if (args.length > 1) {
                err.println("oneshot: --version takes no arguments, got '" + args[1] + "'");
                return USAGE;
            }
            out.println(version());
            return OK;
        }
        Command cmd = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (cmd == null) {
            err.println("oneshot: unknown command '" + args[0] + "'");
            err.println("usage: oneshot <command> [options]   (oneshot --help lists the commands)");
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            out.print(cmd.usage());
            return OK;
        }
        try {
            return cmd.run(rest, out, err);
        } catch (Options.UsageException e) {
            err.println("oneshot " + cmd.name() + ": " + e.getMessage());
            err.print(firstLine(cmd.usage()));
            err.println("       (oneshot " + cmd.name() + " --help for details)");
            return USAGE;
        } catch (OutOfMemoryError e) {
            err.println("oneshot " + cmd.name() + ": out of memory (raise -Xmx via ONESHOT_JAVA_OPTS)");
            return FAILURE;
        } catch (Exception e) {
            err.println("oneshot " + cmd.name() + ": " + oneLine(e));
            return FAILURE;
        }
    }

    /** The exception's message on one line (its class name when it has none). */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName() + (e.getCause() != null ? ": " + oneLine(e.getCause()) : "");
        } else if (e instanceof java.nio.file.NoSuchFileException) {
            m = "no such file: " + m;
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            m = "permission denied: " + m;
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }

    private static String firstLine(String usage) {
        int nl = usage.indexOf('\n');
        return nl < 0 ? usage + "\n" : usage.substring(0, nl + 1);
    }

    /**
     * {@code oneshot VERSION (commit HASH)}: the same version and commit every model card this build
     * trains records in its provenance ({@code unknown} when the jar was built outside a git checkout).
     */
    static String version() {
        return "oneshot " + Provenance.currentVersion() + " (commit " + Provenance.currentCommit() + ")";
    }

    static String help() {
        StringBuilder sb = new StringBuilder("""
                oneshot — Siamese networks and one-shot recognition in pure Java

                usage: oneshot <command> [options]      (oneshot <command> --help for its options)

                commands:
                """);
        for (Command c : COMMANDS) {
            sb.append(String.format("  %-10s  %s%n", c.name(), c.summary()));
        }
        sb.append("""

                conventions: results on stdout, progress on stderr; --json prints one JSON object;
                exit 0 success, 1 runtime failure, 2 usage error.

                options:
                  -h, --help  show this help
                  --version   print the version and the git commit it was built from

                Tests: ./mvnw -B verify
                """);
        return sb.toString();
    }
}
