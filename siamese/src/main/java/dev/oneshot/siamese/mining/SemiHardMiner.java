package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.SeededRandom;

/**
 * Semi-hard negatives (FaceNet, Schroff et al. 2015): for every ordered anchor–positive pair
 * (a, p), among the negatives with
 * <pre>  d(A,P) ≤ d(A,N) &lt; d(A,P) + α</pre>
 * (farther than the positive but still inside the margin, see {@link TripletKind#SEMI_HARD})
 * take the hardest one, the smallest d(A,N); ties go to the lowest index. The choice is
 * deterministic: the rng is not used.
 *
 * <p>Semi-hard triplets have a loss in (0, α] and, unlike the hardest negatives, do not pull
 * the negative onto the anchor, which is why they are the safe choice early in training.
 * When a pair has no semi-hard negative, the {@link Fallback} decides.
 */
public final class SemiHardMiner implements TripletMiner {
    /** What to do for an anchor–positive pair without a semi-hard negative. */
    public enum Fallback {
        /** Emit no triplet for the pair. */
        SKIP,
        /** Use the anchor's hardest negative (smallest d(A,N)), as {@link HardestNegativeMiner}. */
        HARDEST_NEGATIVE,
        /** Use the anchor's easiest negative (largest d(A,N)), as TensorFlow Addons' semi-hard loss. */
        EASIEST_NEGATIVE
    }

    private final Fallback fallback;

    /** Semi-hard with {@link Fallback#SKIP}. */
    public SemiHardMiner() {
        this(Fallback.SKIP);
    }

    public SemiHardMiner(Fallback fallback) {
        if (fallback == null) {
            throw new IllegalArgumentException("semi-hard: fallback must not be null (SKIP, HARDEST_NEGATIVE or EASIEST_NEGATIVE)");
        }
        this.fallback = fallback;
    }

    public Fallback fallback() {
        return fallback;
    }

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
                int best = -1;
                for (int j = 0; j < n; j++) {
                    if (Batch.isNegative(labels, a, j)
                            && TripletKind.of(dap, dist[a * n + j], margin) == TripletKind.SEMI_HARD
                            && (best < 0 || dist[a * n + j] < dist[a * n + best])) {
                        best = j;
                    }
                }
                if (best < 0) {
                    best = switch (fallback) {
                        case SKIP -> -1;
                        case HARDEST_NEGATIVE -> Batch.extremeNegative(dist, n, labels, a, true);
                        case EASIEST_NEGATIVE -> Batch.extremeNegative(dist, n, labels, a, false);
                    };
                }
                if (best >= 0) {
                    out.add(a, p, best);
                }
            }
        }
        return out.toTriplets();
    }

    @Override
    public String name() {
        return "semi-hard";
    }
}
