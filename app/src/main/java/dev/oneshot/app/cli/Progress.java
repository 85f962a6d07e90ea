package dev.oneshot.app.cli;

import dev.oneshot.siamese.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on stderr: on a terminal a one-line bar redrawn with {@code \r} (epoch,
 * batch, loss, active fraction, ETA); otherwise a plain line about every 10 seconds. Epoch
 * summaries and warnings always get their own line.
 */
final class Progress implements TrainingListener {
    private final PrintStream err;
    private final boolean terminal;
    private final int epochs;
    private final double maxSeconds;
    private final long intervalNanos;
    private long last = System.nanoTime();
    private boolean barShown;

    Progress(PrintStream err, boolean terminal, int epochs, double maxMinutes) {
        this.err = err;
        this.terminal = terminal;
        this.epochs = epochs;
        this.maxSeconds = maxMinutes * 60;
        this.intervalNanos = terminal ? 200_000_000L : 10_000_000_000L;
    }

    @Override
    public void onStep(Step s) {
        long now = System.nanoTime();
        if (now - last < intervalNanos) {
            return;
        }
        last = now;
        long total = (long) epochs * s.stepsPerEpoch();
        long done = (long) s.epoch() * s.stepsPerEpoch() + s.stepInEpoch() + 1;
        double eta = s.elapsedSeconds() / done * (total - done);
        if (maxSeconds > 0) {
            eta = Math.min(eta, Math.max(0, maxSeconds - s.elapsedSeconds()));
        }
        String line = String.format(Locale.ROOT, "epoch %d/%d  batch %d/%d  loss %.4f  active %.2f  ETA %s",
                s.epoch() + 1, epochs, s.stepInEpoch() + 1, s.stepsPerEpoch(), s.loss(), s.activeFraction(), time(eta));
        if (terminal) {
            int width = 20;
            int filled = (int) Math.round(width * (double) done / Math.max(1, total));
            err.print("\r[" + "#".repeat(Math.min(width, filled)) + " ".repeat(Math.max(0, width - filled)) + "] "
                    + line + "   ");
            barShown = true;
        } else {
            err.println(line);
        }
    }

    @Override
    public void onEpoch(Epoch e) {
        endBar();
        err.printf(Locale.ROOT, "epoch %d: mean loss %.4f%s  (%.0f s)%n", e.epoch() + 1, e.meanLoss(),
                Double.isNaN(e.validationAccuracy()) ? ""
                        : String.format(Locale.ROOT, ", validation accuracy %.3f%s", e.validationAccuracy(),
                        e.improved() ? " (best)" : ""), e.elapsedSeconds());
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
