package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.SeededRandom;

/**
 * Batch-all (Hermans et al. 2017): every valid triplet (a, p, n) of the batch whose loss is
 * positive, d(A,P) − d(A,N) + α &gt; 0 (hard and semi-hard, see {@link TripletKind}). Averaging the
 * loss over these active triplets only, not over all valid ones, keeps the many easy triplets
 * from diluting the gradient. Order: by anchor, then positive, then negative (increasing); the
 * rng is not used. The count grows as n³: P×K batches of a few dozen samples are fine.
 */
public final class BatchAllMiner implements TripletMiner {
    @Override
    public Triplets mine(float[] dist, int n, int[] labels, float margin, SeededRandom rng) {
        Batch.check(name(), dist, n, labels, margin);
        TripletBuffer out = new TripletBuffer();
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (!Batch.isPositive(labels, a, p)) {
                    continue;
                }
                float dap = dist[a * n + p];
                for (int j = 0; j < n; j++) {
                    if (Batch.isNegative(labels, a, j) && TripletKind.isActive(dap, dist[a * n + j], margin)) {
                        out.add(a, p, j);
                    }
                }
            }
        }
        return out.toTriplets();
    }

    @Override
    public String name() {
        return "batch-all";
    }
}
