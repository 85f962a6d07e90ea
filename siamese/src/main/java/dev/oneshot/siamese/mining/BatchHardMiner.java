package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.SeededRandom;

/**
 * Batch-hard (Hermans, Beyer and Leibe 2017, "In Defense of the Triplet Loss"): one triplet per
 * anchor, made of its hardest positive and its hardest negative in the batch:
 * <pre>  p* = argmax_{p: y_p = y_a, p ≠ a} d(a, p)     n* = argmin_{n: y_n ≠ y_a} d(a, n)</pre>
 * Ties go to the lowest index; the rng is not used. Meant for P×K batches (P classes,
 * K samples each), where every anchor has K − 1 positives.
 */
public final class BatchHardMiner implements TripletMiner {
    @Override
    public Triplets mine(float[] dist, int n, int[] labels, float margin, SeededRandom rng) {
        Batch.check(name(), dist, n, labels, margin);
        TripletBuffer out = new TripletBuffer();
        for (int a = 0; a < n; a++) {
            int pos = -1;
            for (int p = 0; p < n; p++) {
                if (Batch.isPositive(labels, a, p) && (pos < 0 || dist[a * n + p] > dist[a * n + pos])) {
                    pos = p;
                }
            }
            int neg = Batch.extremeNegative(dist, n, labels, a, true);
            if (pos >= 0 && neg >= 0) {
                out.add(a, pos, neg);
            }
        }
        return out.toTriplets();
    }

    @Override
    public String name() {
        return "batch-hard";
    }
}
