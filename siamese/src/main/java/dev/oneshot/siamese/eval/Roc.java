package dev.oneshot.siamese.eval;

import dev.oneshot.core.json.Json;
import java.util.Arrays;

/**
 * The ROC curve of a verifier from its genuine (same identity) and impostor (different
 * identities) pair scores, and the operating points read off it.
 *
 * <p><b>Definitions.</b> With G genuine and I impostor scores and a threshold τ that accepts a
 * pair when its score is on the "similar" side of τ (see {@link ScoreDirection}):
 * TAR(τ) = TPR(τ) = #genuine accepted / G, FAR(τ) = FPR(τ) = #impostor accepted / I,
 * FRR(τ) = 1 − TAR(τ).
 *
 * <p><b>Points and ties.</b> Point 0 is τ = "accept nothing" (−∞ for distances, +∞ for
 * similarities; FAR = TAR = 0). Then there is exactly one point per <em>distinct</em> score,
 * in order from most to least similar, with τ equal to that score. All pairs with a tied score
 * are accepted together, so a tie between genuine and impostor scores is one diagonal step,
 * never a staircase whose shape would depend on the input order. The last point is FAR = TAR = 1.
 *
 * <p><b>AUC</b> is the trapezoid area under these points. It equals the Mann–Whitney
 * probability P(genuine more similar than impostor) + ½·P(tie): a tie is a diagonal step whose
 * trapezoid contributes exactly half of its rectangle.
 */
public final class Roc {
    private final ScoreDirection direction;
    private final int genuine;
    private final int impostor;
    private final double[] tau;
    private final int[] acceptedGenuine;
    private final int[] acceptedImpostor;

    /** Equal error rate: the rate where FAR = FRR, and the threshold chosen for it. */
    public record Eer(double rate, double tau) {
    }

    /** The largest TAR with FAR ≤ {@code targetFar}; its FAR and threshold. */
    public record TarAtFar(double targetFar, double tar, double far, double tau) {
    }

    /** The threshold maximising F1 = 2·precision·recall / (precision + recall), genuine = positive. */
    public record BestF1(double f1, double tau, double precision, double recall) {
    }

    private Roc(ScoreDirection direction, int genuine, int impostor, double[] tau, int[] tp, int[] fp) {
        this.direction = direction;
        this.genuine = genuine;
        this.impostor = impostor;
        this.tau = tau;
        this.acceptedGenuine = tp;
        this.acceptedImpostor = fp;
    }

    /** The ROC of distance scores (smaller = more similar). */
    public static Roc of(double[] genuine, double[] impostor) {
        return of(genuine, impostor, ScoreDirection.DISTANCE);
    }

    /** The ROC of scores pointing in {@code direction}. Both lists non-empty, no NaN. */
    public static Roc of(double[] genuine, double[] impostor, ScoreDirection direction) {
        double[] g = asSortedDistances("genuine", genuine, direction);
        double[] m = asSortedDistances("impostor", impostor, direction);
        double[] tau = new double[g.length + m.length + 1];
        int[] tp = new int[tau.length];
        int[] fp = new int[tau.length];
        tau[0] = Double.NEGATIVE_INFINITY;
        int n = 1;
        int i = 0;
        int j = 0;
        while (i < g.length || j < m.length) {
            double t = j == m.length || (i < g.length && g[i] <= m[j]) ? g[i] : m[j];
            while (i < g.length && g[i] == t) {
                i++;
            }
            while (j < m.length && m[j] == t) {
                j++;
            }
            tau[n] = t;
            tp[n] = i;
            fp[n] = j;
            n++;
        }
        for (int k = 0; k < n; k++) {
            tau[k] = direction.fromDistance(tau[k]);
        }
        return new Roc(direction, g.length, m.length, Arrays.copyOf(tau, n), Arrays.copyOf(tp, n), Arrays.copyOf(fp, n));
    }

    private static double[] asSortedDistances(String what, double[] scores, ScoreDirection direction) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("Roc: no " + what + " scores");
        }
        double[] d = new double[scores.length];
        for (int k = 0; k < d.length; k++) {
            if (Double.isNaN(scores[k])) {
                throw new IllegalArgumentException("Roc: " + what + " score " + k + " of " + d.length + " is NaN");
            }
            d[k] = direction.toDistance(scores[k]);
        }
        Arrays.sort(d);
        return d;
    }

    public ScoreDirection direction() {
        return direction;
    }

    /** Number of points (1 + number of distinct scores). */
    public int size() {
        return tau.length;
    }

    public int genuineCount() {
        return genuine;
    }

    public int impostorCount() {
        return impostor;
    }

    /** Thresholds, point by point (a copy). */
    public double[] tau() {
        return tau.clone();
    }

    /** FAR at each point (non-decreasing from 0 to 1). */
    public double[] far() {
        double[] out = new double[tau.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = far(k);
        }
        return out;
    }

    /** TAR = TPR at each point (non-decreasing from 0 to 1). */
    public double[] tar() {
        double[] out = new double[tau.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = tar(k);
        }
        return out;
    }

    private double far(int k) {
        return (double) acceptedImpostor[k] / impostor;
    }

    private double tar(int k) {
        return (double) acceptedGenuine[k] / genuine;
    }

    /** Trapezoid area under the curve; 1 = perfect, ½ = chance or constant, 0 = perfectly inverted. */
    public double auc() {
        double area = 0;
        for (int k = 1; k < tau.length; k++) {
            area += (far(k) - far(k - 1)) * (tar(k) + tar(k - 1)) / 2;
        }
        return area;
    }

    /**
     * Equal error rate. FAR − FRR increases strictly from point to point, so it changes sign on
     * exactly one segment (or is 0 at one point, whose FAR is then the EER). The EER is the
     * <b>linear interpolation</b> of that segment where FAR = FRR, i.e. where the ROC polyline
     * meets the line TAR = 1 − FAR. Its τ is the τ of the segment end <b>closer</b> to the
     * crossing (the more accepting end on an exact half-way crossing), since τ takes only the
     * scores' values. Hence the constant model has EER ½ and τ = its score; a perfect one has 0.
     */
    public Eer eer() {
        for (int k = 0; k < tau.length; k++) {
            double d1 = far(k) - (1 - tar(k));
            if (d1 == 0) {
                return new Eer(far(k), tau[k]);
            }
            if (d1 > 0) {
                double d0 = far(k - 1) - (1 - tar(k - 1)); // < 0; point 0 has d = −1
                double t = -d0 / (d1 - d0);
                double rate = far(k - 1) + t * (far(k) - far(k - 1));
                return new Eer(rate, tau[t < 0.5 ? k - 1 : k]);
            }
        }
        throw new IllegalStateException("Roc: FAR − FRR never reached 0"); // the last point has d = 1
    }

    /**
     * The largest TAR among points with FAR ≤ {@code targetFar}, the most accepting such point
     * (FAR and TAR never decrease along the curve). TAR 0 at τ "accept nothing" when even the
     * single most similar score lets through too many impostors.
     */
    public TarAtFar tarAtFar(double targetFar) {
        int best = 0;
        for (int k = 0; k < tau.length; k++) {
            if (far(k) <= targetFar) {
                best = k;
            }
        }
        return new TarAtFar(targetFar, tar(best), far(best), tau[best]);
    }

    /**
     * The point maximising F1 = 2TP / (2TP + FP + FN) with TP = accepted genuine, FP = accepted
     * impostor, FN = rejected genuine. Ties go to the first (least accepting) point.
     */
    public BestF1 bestF1() {
        int best = 0;
        double bestF1 = 0;
        for (int k = 1; k < tau.length; k++) {
            double f1 = 2.0 * acceptedGenuine[k] / (acceptedGenuine[k] + acceptedImpostor[k] + genuine);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = k;
            }
        }
        int tp = acceptedGenuine[best];
        int accepted = tp + acceptedImpostor[best];
        return new BestF1(bestF1, tau[best], accepted == 0 ? Double.NaN : (double) tp / accepted, tar(best));
    }

    /** {@code {"direction":…,"tau":[…],"far":[…],"tar":[…]}}; the first τ (±∞) is {@code null}. */
    public String toJson() {
        return Json.object().put("direction", direction.name()).put("tau", tau).put("far", far()).put("tar", tar()).toString();
    }
}
