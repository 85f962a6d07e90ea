package dev.oneshot.siamese.eval;

import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.PairSampler;

/**
 * Genuine and impostor pair scores from feature rows and their labels, for {@link Roc} and
 * {@link VerificationReport}. The score of a pair (a, b) is the squared L2 distance
 * ‖f(a) − f(b)‖² ({@link Embedder.Features#squaredDistance}), a {@link ScoreDirection#DISTANCE};
 * squaring is monotone, so the ROC, AUC and EER are those of the plain L2 distance (only the
 * thresholds are squared).
 *
 * <ul>
 *   <li>{@link #all}: every unordered pair {a, b}, a &lt; b, once — n(n−1)/2 pairs; a pair is
 *       genuine when the labels agree.</li>
 *   <li>{@link #sampled}: a seeded, balanced sample for large sets — {@code perSide} genuine and
 *       {@code perSide} impostor pairs drawn by {@link PairSampler} (classes uniform, two
 *       distinct examples, with replacement across pairs). Same inputs and seed ⇒ same scores.</li>
 * </ul>
 */
public final class FeaturePairs {
    private FeaturePairs() {
    }

    /** Genuine and impostor distances. */
    public record Scores(double[] genuine, double[] impostor) {
    }

    /** Every pair of rows, split by whether {@code labels} agree. */
    public static Scores all(Embedder.Features features, int[] labels) {
        check(features, labels);
        int n = labels.length;
        long total = (long) n * (n - 1) / 2;
        long genuineCount = 0;
        for (int c : countByClass(labels)) {
            genuineCount += (long) c * (c - 1) / 2;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("FeaturePairs.all: " + n + " rows give " + total
                    + " pairs, too many for one array; use FeaturePairs.sampled");
        }
        double[] genuine = new double[(int) genuineCount];
        double[] impostor = new double[(int) (total - genuineCount)];
        int g = 0;
        int m = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                double d = features.squaredDistance(a, b);
                if (labels[a] == labels[b]) {
                    genuine[g++] = d;
                } else {
                    impostor[m++] = d;
                }
            }
        }
        return new Scores(genuine, impostor);
    }

    /** Every pair of rows, labelled by {@code data}. */
    public static Scores all(Embedder.Features features, LabeledImages data) {
        return all(features, labelsOf(data));
    }

    /** {@code perSide} genuine and {@code perSide} impostor pairs drawn from {@code seed}. */
    public static Scores sampled(Embedder.Features features, int[] labels, int perSide, long seed) {
        check(features, labels);
        if (perSide < 1) {
            throw new IllegalArgumentException("FeaturePairs.sampled: perSide must be ≥ 1, got " + perSide);
        }
        PairSampler.Pairs pairs = new PairSampler(new LabelsOnly(labels), seed).sample(2 * perSide);
        double[] genuine = new double[perSide];
        double[] impostor = new double[perSide];
        int g = 0;
        int m = 0;
        for (int k = 0; k < pairs.size(); k++) {
            double d = features.squaredDistance(pairs.left()[k], pairs.right()[k]);
            if (pairs.same()[k] == 1) {
                genuine[g++] = d;
            } else {
                impostor[m++] = d;
            }
        }
        return new Scores(genuine, impostor);
    }

    /** {@code perSide} pairs of each kind, labelled by {@code data}. */
    public static Scores sampled(Embedder.Features features, LabeledImages data, int perSide, long seed) {
        return sampled(features, labelsOf(data), perSide, seed);
    }

    static int[] labelsOf(LabeledImages data) {
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.label(i);
        }
        return labels;
    }

    private static void check(Embedder.Features features, int[] labels) {
        if (labels.length != features.rows()) {
            throw new IllegalArgumentException("FeaturePairs: " + features.rows() + " feature rows but "
                    + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("FeaturePairs: label " + i + " is negative (" + labels[i] + ")");
            }
        }
    }

    private static int[] countByClass(int[] labels) {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        int[] counts = new int[max + 1];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** Labels seen as a data set with no pixels, so that {@link PairSampler} can draw from them. */
    private record LabelsOnly(int[] labels) implements LabeledImages {
        @Override
        public int size() {
            return labels.length;
        }

        @Override
        public int label(int i) {
            return labels[i];
        }

        @Override
        public int classCount() {
            return countByClass(labels).length;
        }

        @Override
        public String className(int c) {
            return Integer.toString(c);
        }

        @Override
        public int[] imageShape() {
            return new int[] {0, 0, 0};
        }

        @Override
        public void copyImage(int i, float[] out, int offset) {
            throw new UnsupportedOperationException("FeaturePairs: labels only, no pixels");
        }
    }
}
