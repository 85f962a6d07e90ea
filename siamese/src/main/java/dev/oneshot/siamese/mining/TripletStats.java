package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.Tensor;

/**
 * Telemetry of one batch, independent of the miner: how many of its valid triplets would teach
 * the network something. Counts run over all valid triplets (a, p, n) — ordered anchor–positive
 * pairs times the anchor's negatives — and are split by {@link TripletKind}:
 * hard + semiHard + easy = valid, active = hard + semiHard (loss &gt; 0).
 *
 * <p>The means are over pairs, not triplets: meanPositiveDistance over all positive pairs,
 * meanNegativeDistance over all negative pairs (both squared distances, as in the matrix;
 * NaN when the batch has no such pair); meanEmbeddingNorm is the mean L2 norm ‖e_i‖ of the rows.
 * A healthy run shows active falling slowly, meanNegativeDistance above meanPositiveDistance,
 * and norms neither exploding nor shrinking to 0.
 */
public record TripletStats(long valid, long active, long hard, long semiHard, long easy,
                           double meanPositiveDistance, double meanNegativeDistance, double meanEmbeddingNorm) {

    /** Fraction of valid triplets that are active (0 for a batch without valid triplets). */
    public double activeFraction() {
        return valid == 0 ? 0.0 : (double) active / valid;
    }

    /**
     * @param dist       [n×n] squared distances, row-major
     * @param labels     class of each sample, length n
     * @param margin     α
     * @param embeddings [n×dim] rows, row-major
     */
    public static TripletStats compute(float[] dist, int n, int[] labels, float margin, float[] embeddings, int dim) {
        Batch.check("TripletStats", dist, n, labels, margin);
        if (embeddings == null || dim <= 0 || embeddings.length != (long) n * dim) {
            throw new IllegalArgumentException("TripletStats: embeddings must be [n×dim] = " + n + "×" + dim
                    + ", got " + (embeddings == null ? "null" : embeddings.length + " values"));
        }
        long hard = 0;
        long semi = 0;
        long easy = 0;
        double sumPos = 0;
        long pos = 0;
        double sumNeg = 0;
        long neg = 0;
        for (int a = 0; a < n; a++) {
            for (int j = 0; j < n; j++) {
                if (Batch.isPositive(labels, a, j)) {
                    sumPos += dist[a * n + j];
                    pos++;
                } else if (Batch.isNegative(labels, a, j)) {
                    sumNeg += dist[a * n + j];
                    neg++;
                }
            }
            for (int p = 0; p < n; p++) {
                if (!Batch.isPositive(labels, a, p)) {
                    continue;
                }
                float dap = dist[a * n + p];
                for (int j = 0; j < n; j++) {
                    if (Batch.isNegative(labels, a, j)) {
                        switch (TripletKind.of(dap, dist[a * n + j], margin)) {
                            case HARD -> hard++;
                            case SEMI_HARD -> semi++;
                            case EASY -> easy++;
                        }
                    }
                }
            }
        }
        return new TripletStats(hard + semi + easy, hard + semi, hard, semi, easy,
                pos == 0 ? Double.NaN : sumPos / pos, neg == 0 ? Double.NaN : sumNeg / neg,
                meanRowNorm(embeddings, n, dim));
    }

    /** The same from tensors: distances [n, n] and embeddings [n, dim]. */
    public static TripletStats compute(Tensor dist, int[] labels, float margin, Tensor embeddings) {
        int[] ds = dist.shape();
        int[] es = embeddings.shape();
        if (ds.length != 2 || ds[0] != ds[1] || es.length != 2 || es[0] != ds[0]) {
            throw new IllegalArgumentException("TripletStats: need distances [n, n] and embeddings [n, dim], got "
                    + java.util.Arrays.toString(ds) + " and " + java.util.Arrays.toString(es));
        }
        return compute(dist.data(), ds[0], labels, margin, embeddings.data(), es[1]);
    }

    private static double meanRowNorm(float[] e, int n, int dim) {
        if (n == 0) {
            return Double.NaN;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < dim; t++) {
                s += (double) e[i * dim + t] * e[i * dim + t];
            }
            total += Math.sqrt(s);
        }
        return total / n;
    }

    /** One log line: {@code valid 26 active 15 (hard 11, semi-hard 4, easy 11) d+ 8.750 d- 15.000 |e| 2.333}. */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "valid %d active %d (hard %d, semi-hard %d, easy %d) d+ %.3f d- %.3f |e| %.3f",
                valid, active, hard, semiHard, easy, meanPositiveDistance, meanNegativeDistance, meanEmbeddingNorm);
    }
}
