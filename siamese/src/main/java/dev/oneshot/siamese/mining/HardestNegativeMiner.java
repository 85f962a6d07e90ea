package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.SeededRandom;

/**
 * Hardest negative: for every ordered anchor–positive pair (a, p) in the batch, the negative
 * with the smallest d(A,N). Ties go to the lowest index. Triplets are kept even when their loss
 * is 0 (they add nothing to the loss but count in its mean). The hardest negative depends only
 * on the anchor, so all pairs of one anchor share it; this differs from {@link BatchHardMiner},
 * which also takes only the hardest positive and so yields one triplet per anchor.
 *
 * <p>Hardest negatives early in training can pull every embedding to one point (collapse,
 * Schroff et al. 2015 §3.2); start with {@link SemiHardMiner} and watch {@link CollapseDetector}.
 */
public final class HardestNegativeMiner implements TripletMiner {
    @Override
    public Triplets mine(float[] dist, int n, int[] labels, float margin, SeededRandom rng) {
        Batch.check(name(), dist, n, labels, margin);
        TripletBuffer out = new TripletBuffer();
        for (int a = 0; a < n; a++) {
            int neg = Batch.extremeNegative(dist, n, labels, a, true);
            if (neg < 0) {
                continue;
            }
            for (int p = 0; p < n; p++) {
                if (Batch.isPositive(labels, a, p)) {
                    out.add(a, p, neg);
                }
            }
        }
        return out.toTriplets();
    }

    @Override
    public String name() {
        return "hard";
    }
}
