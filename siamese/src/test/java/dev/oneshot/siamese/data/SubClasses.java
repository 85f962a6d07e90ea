package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;

import java.util.Arrays;
import java.util.Map;

/**
 * A view that splits every class into {@code k} sub-classes by k-means on its raw pixels, so a loss
 * over class labels (the normalised softmax) must also tell apart the kinds of image inside a
 * class — strapped from flat sandals, long from short sleeves — instead of packing all of them
 * onto one proxy. Test scope: an experiment ({@code FashionInnerFolds subclasses=k}) that lost on
 * the demo's proxy (docs/experiments.md), kept so the measurement can be repeated.
 * Sub-class j of class c has label c·k + j and name "c/j".
 * <p>k-means (Lloyd): centres cⱼ start by k-means++ (the first image drawn uniformly, each next
 * one with probability ∝ its squared distance to the nearest centre so far); then each image goes
 * to its nearest centre by ‖x − cⱼ‖², each centre moves to the mean of its images, until no image
 * moves or {@value #MAX_ITERATIONS} rounds. A centre left without images takes the image farthest
 * from its own centre. A class of fewer than k images keeps one sub-class per image.
 */
public final class SubClasses implements LabeledImages {
    /** Most Lloyd rounds per class. */
    static final int MAX_ITERATIONS = 30;

    private final LabeledImages source;
    private final int k;
    private final int[] labels;

    /**
     * @param source the classes to split (all images are read once)
     * @param k      sub-classes per class, ≥ 1 (1: the source's labels)
     * @param seed   seeds k-means++ (one stream per class, in class order)
     */
    public SubClasses(LabeledImages source, int k, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("SubClasses: k must be ≥ 1, got " + k);
        }
        this.source = source;
        this.k = k;
        this.labels = new int[source.size()];
        int[][] byClass = source.indicesByClass();
        SeededRandom rng = new SeededRandom(seed);
        for (int c = 0; c < byClass.length; c++) {
            int[] members = byClass[c];
            int[] sub = cluster(source, members, k, rng.split());
            for (int i = 0; i < members.length; i++) {
                labels[members[i]] = c * k + sub[i];
            }
        }
    }

    /** The sub-class (0 … k−1) of each of {@code members}. */
    static int[] cluster(LabeledImages data, int[] members, int k, SeededRandom rng) {
        int n = members.length;
        int[] assign = new int[n];
        if (n <= k) {
            for (int i = 0; i < n; i++) {
                assign[i] = i;
            }
            return assign;
        }
        int dim = data.imageSize();
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            x[i] = data.image(members[i]);
        }
        float[][] centres = new float[k][];
        double[] nearest = new double[n];
        centres[0] = x[rng.nextInt(n)].clone();
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int j = 1; j < k; j++) { // k-means++
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], squaredDistance(x[i], centres[j - 1]));
                total += nearest[i];
            }
            double r = rng.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                r -= nearest[i];
                if (r < 0) {
                    pick = i;
                    break;
                }
            }
            centres[j] = x[pick].clone();
        }
        Arrays.fill(assign, -1);
        for (int round = 0; round < MAX_ITERATIONS; round++) {
            boolean moved = false;
            double[] own = new double[n];
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double d = squaredDistance(x[i], centres[j]);
                    if (d < bestD) {
                        bestD = d;
                        best = j;
                    }
                }
                own[i] = bestD;
                moved |= assign[i] != best;
                assign[i] = best;
            }
            if (!moved) {
                break;
            }
            double[][] sums = new double[k][dim];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[assign[i]]++;
                for (int d = 0; d < dim; d++) {
                    sums[assign[i]][d] += x[i][d];
                }
            }
            for (int j = 0; j < k; j++) {
                if (counts[j] == 0) { // an empty centre takes the worst-fitted image
                    int far = 0;
                    for (int i = 1; i < n; i++) {
                        far = own[i] > own[far] ? i : far;
                    }
                    centres[j] = x[far].clone();
                    own[far] = 0;
                    continue;
                }
                for (int d = 0; d < dim; d++) {
                    centres[j][d] = (float) (sums[j][d] / counts[j]);
                }
            }
        }
        return assign;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            double t = a[d] - b[d];
            s += t * t;
        }
        return s;
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public int classCount() {
        return source.classCount() * k;
    }

    @Override
    public String className(int c) {
        return source.className(c / k) + "/" + (c % k);
    }

    @Override
    public int[] imageShape() {
        return source.imageShape();
    }

    @Override
    public void copyImage(int i, float[] out, int offset) {
        source.copyImage(i, out, offset);
    }

    @Override
    public Map<String, String> metadata(int i) {
        return source.metadata(i);
    }
}
