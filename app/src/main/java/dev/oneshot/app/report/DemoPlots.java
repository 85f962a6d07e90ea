package dev.oneshot.app.report;

import dev.oneshot.siamese.eval.Roc;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** The demo's plots, one PNG each, drawn with {@link Plot}. */
public final class DemoPlots {
    static final Color GENUINE = new Color(44, 160, 44);
    static final Color IMPOSTOR = new Color(214, 39, 40);
    static final Color FAINT = new Color(31, 119, 180, 70);

    private DemoPlots() {
    }

    /** Loss per step (left) and the fraction of active (or out-of-order) triplets (right), raw and smoothed. */
    public static void training(TrainingLog log, String lossTitle, String activeTitle, Path file) throws IOException {
        BufferedImage img = Canvas.canvas(1000, 380);
        Graphics2D g = img.createGraphics();
        double[] x = log.steps();
        double[] loss = log.loss();
        double[] active = log.activeFraction();
        int w = Math.max(3, x.length / 25);
        Plot left = new Plot(g, 0, 0, 500, 380).title(lossTitle)
                .x(0, Math.max(1, last(x))).y(0, max(loss) * 1.1);
        left.axes("step", "loss");
        left.line(x, loss, FAINT, 1f, "per batch");
        left.line(x, TrainingLog.smooth(loss, w), Canvas.color(0), 2.5f, "moving average (" + w + " steps)");
        left.legend();
        Plot right = new Plot(g, 500, 0, 500, 380).title(activeTitle)
                .x(0, Math.max(1, last(x))).y(0, 1);
        right.axes("step", "active fraction");
        right.line(x, active, new Color(255, 127, 14, 70), 1f, "per batch");
        right.line(x, TrainingLog.smooth(active, w), Canvas.color(1), 2.5f, "moving average");
        right.legend();
        g.dispose();
        Canvas.save(img, file);
    }

    /** Mean squared distances of positive and negative pairs of each batch, with the margin gap α (NaN: none). */
    public static void distances(TrainingLog log, double margin, Path file) throws IOException {
        BufferedImage img = Canvas.canvas(760, 420);
        Graphics2D g = img.createGraphics();
        double[] x = log.steps();
        double[] pos = log.meanPositiveDistance();
        double[] neg = log.meanNegativeDistance();
        int w = Math.max(3, x.length / 25);
        Plot p = new Plot(g, 0, 0, 760, 420).title("Mean squared distance in each training batch")
                .x(0, Math.max(1, last(x))).y(0, Math.max(max(pos), max(neg)) * 1.4);
        p.axes("step", "mean d² (unit-norm embeddings: 0 … 4)");
        p.line(x, pos, new Color(44, 160, 44, 60), 1f, null);
        p.line(x, neg, new Color(214, 39, 40, 60), 1f, null);
        p.line(x, TrainingLog.smooth(pos, w), GENUINE, 2.5f, "d(A,P): same class");
        p.line(x, TrainingLog.smooth(neg, w), IMPOSTOR, 2.5f, "d(A,N): different classes");
        if (Double.isFinite(margin)) { // triplet objectives: the gap the loss asks for
            p.line(x, add(TrainingLog.smooth(pos, w), margin), Color.GRAY, 1f, String.format(Locale.ROOT,
                    "d(A,P) + margin α = %.2f", margin));
        }
        p.legend(true, false);
        g.dispose();
        Canvas.save(img, file);
    }

    /** Histograms (share of pairs per bin) of genuine and impostor test distances, τ as a vertical line. */
    public static void histogram(double[] genuine, double[] impostor, double tau, String title, Path file)
            throws IOException {
        double hi = Math.max(quantile(genuine, 0.999), quantile(impostor, 0.999));
        hi = Math.max(hi, tau) * 1.05;
        int bins = 40;
        double bw = hi / bins;
        double[] starts = new double[bins];
        for (int b = 0; b < bins; b++) {
            starts[b] = b * bw;
        }
        double[] hg = hist(genuine, bw, bins);
        double[] hm = hist(impostor, bw, bins);
        BufferedImage img = Canvas.canvas(760, 420);
        Graphics2D g = img.createGraphics();
        Plot p = new Plot(g, 0, 0, 760, 420).title(title).x(0, hi).y(0, Math.max(max(hg), max(hm)) * 1.12);
        p.axes("squared distance d²", "share of pairs per bin");
        p.bars(starts, bw, hm, new Color(214, 39, 40, 120), "impostor pairs (" + impostor.length + ")");
        p.bars(starts, bw, hg, new Color(44, 160, 44, 120), "genuine pairs (" + genuine.length + ")");
        p.vline(tau, Color.BLACK, String.format(Locale.ROOT, "τ = %.3f", tau));
        p.legend();
        g.dispose();
        Canvas.save(img, file);
    }

    /** The ROC (TAR against FAR) of the model and of raw pixels, the EER point marked. */
    public static void roc(Roc model, Roc pixels, Path file) throws IOException {
        BufferedImage img = Canvas.canvas(560, 520);
        Graphics2D g = img.createGraphics();
        Plot p = new Plot(g, 0, 0, 560, 520).title("ROC on test pairs of the unseen classes").x(0, 1).y(0, 1);
        p.axes("false accept rate (FAR)", "true accept rate (TAR)");
        p.line(new double[] {0, 1}, new double[] {0, 1}, Color.LIGHT_GRAY, 1f, "chance");
        p.line(new double[] {0, 1}, new double[] {1, 0}, new Color(200, 200, 200), 1f, null);
        double[][] px = thin(pixels.far(), pixels.tar());
        p.line(px[0], px[1], Color.GRAY, 2f, String.format(Locale.ROOT, "raw pixels (AUC %.3f)", pixels.auc()));
        double[][] m = thin(model.far(), model.tar());
        p.line(m[0], m[1], Canvas.color(0), 2.5f, String.format(Locale.ROOT, "model (AUC %.3f)", model.auc()));
        double eer = model.eer().rate();
        p.scatter(new double[] {eer}, new double[] {1 - eer}, Canvas.color(3), Plot.Marker.CIRCLE, 11,
                String.format(Locale.ROOT, "model EER %.3f", eer));
        p.text(eer, 1 - eer, 9, 16, "EER", Canvas.color(3));
        p.legend(false, true);
        g.dispose();
        Canvas.save(img, file);
    }

    /** 2-D PCA of embeddings, coloured by class; seen classes as circles, unseen as triangles. */
    public static void pca(Pca.Projection pr, int[] labels, String[] names, boolean[] unseen, Path file)
            throws IOException {
        BufferedImage img = Canvas.canvas(900, 620);
        Graphics2D g = img.createGraphics();
        double xlo = min(pr.x());
        double xhi = max(pr.x());
        double ylo = min(pr.y());
        double yhi = max(pr.y());
        double padX = (xhi - xlo) * 0.05;
        double padY = (yhi - ylo) * 0.05;
        Plot p = new Plot(g, 0, 0, 680, 620).title("PCA of test embeddings (● seen in training, ▲ never seen)")
                .x(xlo - padX, xhi + padX).y(ylo - padY, yhi + padY);
        p.axes(String.format(Locale.ROOT, "PC 1 (%.0f%% of variance)", 100 * pr.varianceX()),
                String.format(Locale.ROOT, "PC 2 (%.0f%% of variance)", 100 * pr.varianceY()));
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            Color col = Canvas.color(c);
            p.point(pr.x()[i], pr.y()[i], new Color(col.getRed(), col.getGreen(), col.getBlue(), 150),
                    unseen[c] ? Plot.Marker.TRIANGLE : Plot.Marker.CIRCLE, unseen[c] ? 8 : 6);
        }
        Plot key = new Plot(g, 640, 0, 260, 620).x(0, 1).y(0, 1);
        for (int c = 0; c < names.length; c++) {
            key.scatter(new double[0], new double[0], Canvas.color(c), unseen[c] ? Plot.Marker.TRIANGLE
                    : Plot.Marker.CIRCLE, 0, c + " " + names[c] + (unseen[c] ? " (unseen)" : ""));
        }
        key.legend(true, false);
        g.dispose();
        Canvas.save(img, file);
    }

    static double[][] thin(double[] x, double[] y) {
        int step = Math.max(1, x.length / 2000);
        int n = (x.length - 1) / step + 2;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0, k = 0; k < n; i += step, k++) {
            int j = Math.min(i, x.length - 1);
            xs[k] = x[j];
            ys[k] = y[j];
        }
        return new double[][] {xs, ys};
    }

    private static double[] hist(double[] v, double bw, int bins) {
        double[] h = new double[bins];
        for (double d : v) {
            h[Math.max(0, Math.min(bins - 1, (int) (d / bw)))] += 1.0 / v.length;
        }
        return h;
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? 1 : s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
    }

    private static double[] add(double[] v, double a) {
        return Arrays.stream(v).map(x -> x + a).toArray();
    }

    static double max(double[] v) {
        return Arrays.stream(v).filter(d -> !Double.isNaN(d)).max().orElse(1);
    }

    static double min(double[] v) {
        return Arrays.stream(v).filter(d -> !Double.isNaN(d)).min().orElse(0);
    }

    private static double last(double[] v) {
        return v.length == 0 ? 1 : v[v.length - 1];
    }
}
