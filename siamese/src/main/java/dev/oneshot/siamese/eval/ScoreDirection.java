package dev.oneshot.siamese.eval;

/**
 * Which way a pair score points.
 *
 * <ul>
 *   <li>{@link #DISTANCE}: smaller = more similar (e.g. ‖f(x₁) − f(x₂)‖²); a threshold τ
 *       <em>accepts</em> a pair ("same identity") when {@code score ≤ τ}.</li>
 *   <li>{@link #SIMILARITY}: larger = more similar (e.g. cosine, or the verification head's
 *       logit); τ accepts when {@code score ≥ τ}.</li>
 * </ul>
 * Thresholds are always reported in the scores' own units.
 */
public enum ScoreDirection {
    DISTANCE,
    SIMILARITY;

    /** Whether threshold {@code tau} accepts {@code score}. */
    public boolean accepts(double score, double tau) {
        return this == DISTANCE ? score <= tau : score >= tau;
    }

    /** The score as a distance (similarities negated), so that "accept" is always {@code d ≤ τ}. */
    double toDistance(double score) {
        return this == DISTANCE ? score : -score;
    }

    /** The inverse of {@link #toDistance}: a distance-space threshold back in score units. */
    double fromDistance(double tau) {
        return this == DISTANCE ? tau : -tau;
    }

    /** The threshold that accepts nothing: −∞ for distances, +∞ for similarities. */
    public double acceptNothing() {
        return fromDistance(Double.NEGATIVE_INFINITY);
    }
}
