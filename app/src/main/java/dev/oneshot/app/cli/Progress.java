package dev.oneshot.app.cli;

import dev.oneshot.siamese.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on stderr: on a terminal a one-line bar redrawn with {@code \r} (step, loss,
 * active fraction, learning rate, ETA); otherwise a plain line about every 10 seconds.
 * Validations and warnings always get their own line.
 */
final class Progress implements TrainingListener {
    private final PrintStream err;
    private final boolean terminal;
    private final double budgetSeconds;
    private final int members;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long last = start;
    private long lastStep;
    private int member;
    private boolean barShown;

    /**
     * @param budgetSeconds the run's time budget (for the ETA of a timed run), 0 for none
     * @param members       networks the run trains one after another (an ensemble), each restarting its step count
     */
    Progress(PrintStream err, boolean terminal, double budgetSeconds, int members) {
        this(err, terminal, budgetSeconds, members, terminal ? 200_000_000L : 10_000_000_000L);
    }

    /** The same, drawing at most once per {@code intervalNanos}. */
    Progress(PrintStream err, boolean terminal, double budgetSeconds, int members, long intervalNanos) {
        this.err = err;
        this.terminal = terminal;
        this.budgetSeconds = budgetSeconds;
        this.members = Math.max(1, members);
        this.intervalNanos = intervalNanos;
    }

    /** Progress of a run of one network. */
    Progress(PrintStream err, boolean terminal, double budgetSeconds) {
        this(err, terminal, budgetSeconds, 1);
    }

    @Override
    public void onStep(Step s) {
        if (s.step() < lastStep) {
            member++; // the next network of an ensemble started
        }
        lastStep = s.step();
        long now = System.nanoTime();
        if (now - last < intervalNanos) {
            return;
        }
        last = now;
        int after = Math.max(0, members - 1 - member); // networks still to train after this one
        double eta = s.totalSteps() > 0
                ? s.elapsedSeconds() / s.step() * (s.totalSteps() - s.step() + (double) after * s.totalSteps())
                : Math.max(0, budgetSeconds - (now - start) / 1e9);
        String line = String.format(Locale.ROOT, "%sstep %d%s  loss %.4f  active %.2f  lr %.2g  ETA %s",
                members > 1 ? "net " + (member + 1) + "/" + members + "  " : "", s.step(),
                s.totalSteps() > 0 ? "/" + s.totalSteps() : "", s.loss(), s.activeFraction(), s.lr(), time(eta));
        if (terminal) {
            int width = 20;
            int filled = (int) Math.round(width * s.progress());
            err.print("\r[" + "#".repeat(Math.min(width, filled)) + " ".repeat(Math.max(0, width - filled)) + "] "
                    + line + "   ");
            barShown = true;
        } else {
            err.println(line);
        }
    }

    @Override
    public void onValidation(ValidationPass v) {
        endBar();
        err.printf(Locale.ROOT, "step %d: mean loss %.4f, validation accuracy %.3f%s  (%.0f s)%n", v.step(),
                v.meanLoss(), v.accuracy(), v.improved() ? " (best)" : "", v.elapsedSeconds());
    }

    @Override
    public void onWarning(String message) {
        endBar();
        err.println("warning: " + message);
    }

    void endBar() {
        if (barShown) {
            err.println();
            barShown = false;
        }
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
