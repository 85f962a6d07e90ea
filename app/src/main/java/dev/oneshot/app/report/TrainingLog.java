package dev.oneshot.app.report;

import dev.oneshot.siamese.train.TrainingListener;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Records the per-step telemetry of a run for the plots — loss, active-triplet fraction
 * (active / valid triplets of the batch, from its TripletStats) and the batch's mean squared
 * distances d(A,P) and d(A,N) — and prints a progress line to {@code err} every
 * {@code everySeconds} (and for warnings).
 */
public final class TrainingLog implements TrainingListener {
    private final PrintStream err;
    private final long totalSteps;
    private final double everySeconds;
    private double lastPrinted = 0;
    private int n = 0;
    private double[] step = new double[256];
    private double[] loss = new double[256];
    private double[] active = new double[256];
    private double[] dPos = new double[256];
    private double[] dNeg = new double[256];

    public TrainingLog(PrintStream err, long totalSteps, double everySeconds) {
        this.err = err;
        this.totalSteps = totalSteps;
        this.everySeconds = everySeconds;
    }

    @Override
    public void onStep(Step s) {
        if (n == step.length) {
            step = Arrays.copyOf(step, 2 * n);
            loss = Arrays.copyOf(loss, 2 * n);
            active = Arrays.copyOf(active, 2 * n);
            dPos = Arrays.copyOf(dPos, 2 * n);
            dNeg = Arrays.copyOf(dNeg, 2 * n);
        }
        step[n] = s.step();
        loss[n] = s.loss();
        active[n] = s.stats() != null ? s.stats().activeFraction() : s.activeFraction();
        dPos[n] = s.stats() != null ? s.stats().meanPositiveDistance() : Double.NaN;
        dNeg[n] = s.stats() != null ? s.stats().meanNegativeDistance() : Double.NaN;
        n++;
        if (err != null && (s.elapsedSeconds() - lastPrinted >= everySeconds || s.step() == totalSteps)) {
            lastPrinted = s.elapsedSeconds();
            err.printf(Locale.ROOT, "step %d/%d  loss %.4f  active %.2f  d(A,P) %.3f  d(A,N) %.3f  %.0f s%n", s.step(),
                    totalSteps, s.loss(), active[n - 1], dPos[n - 1], dNeg[n - 1], s.elapsedSeconds());
        }
    }

    @Override
    public void onWarning(String message) {
        if (err != null) {
            err.println("warning: " + message);
        }
    }

    public int size() {
        return n;
    }

    public double[] steps() {
        return Arrays.copyOf(step, n);
    }

    public double[] loss() {
        return Arrays.copyOf(loss, n);
    }

    public double[] activeFraction() {
        return Arrays.copyOf(active, n);
    }

    public double[] meanPositiveDistance() {
        return Arrays.copyOf(dPos, n);
    }

    public double[] meanNegativeDistance() {
        return Arrays.copyOf(dNeg, n);
    }

    /** A centred moving average over {@code window} points (NaNs skipped), for a readable trend line. */
    public static double[] smooth(double[] v, int window) {
        double[] out = new double[v.length];
        int h = Math.max(0, window / 2);
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            int c = 0;
            for (int j = Math.max(0, i - h); j <= Math.min(v.length - 1, i + h); j++) {
                if (!Double.isNaN(v[j])) {
                    s += v[j];
                    c++;
                }
            }
            out[i] = c == 0 ? Double.NaN : s / c;
        }
        return out;
    }
}
