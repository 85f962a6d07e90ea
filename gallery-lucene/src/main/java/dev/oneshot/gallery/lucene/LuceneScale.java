package dev.oneshot.gallery.lucene;

/**
 * Squared L2 distance ↔ Lucene's similarity score for {@code VectorSimilarityFunction.EUCLIDEAN}.
 *
 * <p>Lucene scores a vector v against a query q as s = 1 / (1 + d²) with d² = ‖q − v‖² (higher
 * is closer, s ∈ (0, 1]); so d² = 1/s − 1. A gallery's τ (the largest squared distance still
 * known) becomes the score bound s_τ = 1 / (1 + τ): a row is within τ iff its score is ≥ s_τ.
 *
 * <p>Lucene computes d² with its own summation order, so its d² may differ from ours by a few
 * units in the last place. {@link #scoreBound} therefore lowers the bound by a relative
 * {@value #SLACK} (far more than float rounding over 1,024 terms): a row at exactly τ is never
 * cut off by the index, and the exact d² (recomputed by the gallery) decides.
 */
public final class LuceneScale {
    /** Relative slack on τ before it is turned into a score bound. */
    public static final double SLACK = 1e-4;

    private LuceneScale() {
    }

    /** Lucene's EUCLIDEAN score of a squared distance: 1 / (1 + d²), in float as Lucene reports it. */
    public static float score(double squaredDistance) {
        if (!(squaredDistance >= 0)) {
            throw new IllegalArgumentException("LuceneScale: a squared distance must be >= 0, got " + squaredDistance);
        }
        return (float) (1.0 / (1.0 + squaredDistance));
    }

    /** The squared distance of a Lucene EUCLIDEAN score: 1/s − 1 (s in (0, 1]). */
    public static double squaredDistance(float score) {
        if (!(score > 0 && score <= 1)) {
            throw new IllegalArgumentException("LuceneScale: a EUCLIDEAN score lies in (0, 1], got " + score);
        }
        return 1.0 / score - 1.0;
    }

    /**
     * The lowest Lucene score a row within τ can have: {@link #score} of τ·(1 + {@value #SLACK}),
     * rounded down; 0 for τ = +∞ (every row).
     */
    public static float scoreBound(double tau) {
        if (Double.isInfinite(tau)) {
            return 0f;
        }
        return Math.nextDown(score(tau * (1 + SLACK)));
    }
}
