package dev.oneshot.siamese.cli;

import java.io.PrintStream;

/**
 * The {@code oneshot} command line. Results go to stdout, progress and logs to stderr; exit
 * code 0 on success, 1 on a runtime failure, 2 on a usage error.
 */
public final class Main {
    static final int OK = 0;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(help());
            return OK;
        }
        err.println("oneshot: unknown command '" + args[0] + "'");
        err.println("usage: oneshot <command> [options]   (oneshot --help lists the commands)");
        return USAGE;
    }

    static String help() {
        return """
                oneshot — Siamese networks and one-shot recognition in pure Java

                usage: oneshot <command> [options]

                This build contains the engine's foundation (tensor, autograd, ops, gradient
                checker) as a library; its commands arrive with the next milestones:
                  demo        train a small Siamese network on Fashion-MNIST and show what it learned
                  train       train a twin network (triplet, contrastive or binary loss)
                  eval        N-way K-shot evaluation beside the raw-pixel baseline
                  enroll      add people or objects to a gallery of precomputed embeddings
                  identify    find the closest enrolled identity, or UNKNOWN beyond the threshold τ
                  gradcheck   check every op's gradient against finite differences

                options:
                  -h, --help  show this help

                Tests: ./mvnw -B verify
                """;
    }
}
