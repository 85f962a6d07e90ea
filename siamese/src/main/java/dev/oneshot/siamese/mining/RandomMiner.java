package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.SeededRandom;

/**
 * The baseline: for each anchor, one positive and one negative drawn uniformly at random.
 * Distances are not looked at. Once the network separates the classes a little, most such
 * triplets are easy (d(A,N) ≥ d(A,P) + α), their loss is 0 and the batch teaches nothing —
 * the weakness the other miners fix.
 *
 * <p>Draw order (reproducible from the seed): anchors in increasing order; for each, first
 * {@code rng.nextInt(#positives)} picks among its positives in index order, then
 * {@code rng.nextInt(#negatives)} among its negatives in index order. Skipped anchors draw nothing.
 */
public final class RandomMiner implements TripletMiner {
    @Override
    public Triplets mine(float[] dist, int n, int[] labels, float margin, SeededRandom rng) {
        Batch.check(name(), dist, n, labels, margin);
        if (rng == null) {
            throw new IllegalArgumentException("random: needs a SeededRandom, got null");
        }
        TripletBuffer out = new TripletBuffer();
        int[] positives = new int[n];
        int[] negatives = new int[n];
        for (int a = 0; a < n; a++) {
            int np = 0;
            int nn = 0;
            for (int j = 0; j < n; j++) {
                if (Batch.isPositive(labels, a, j)) {
                    positives[np++] = j;
                } else if (Batch.isNegative(labels, a, j)) {
                    negatives[nn++] = j;
                }
            }
            if (np > 0 && nn > 0) {
                int p = positives[rng.nextInt(np)];
                out.add(a, p, negatives[rng.nextInt(nn)]);
            }
        }
        return out.toTriplets();
    }

    @Override
    public String name() {
        return "random";
    }
}
