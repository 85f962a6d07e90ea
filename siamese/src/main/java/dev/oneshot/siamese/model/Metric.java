package dev.oneshot.siamese.model;

/**
 * How a query is compared with an enrolled embedding, and which way the threshold τ points.
 */
public enum Metric {
    /**
     * Squared Euclidean distance ‖q − g‖²: <b>lower = more similar</b>. A match is known when
     * distance ≤ τ (a distance exactly equal to τ counts as known).
     */
    SQUARED_L2,
    /**
     * The Koch verification head's probability p = σ(w·|q − g| + b): <b>higher = more similar</b>.
     * τ is a probability in [0, 1]; a match is known when p ≥ τ (equality counts as known).
     */
    BINARY_HEAD_PROBABILITY;

    /** True when {@code score} passes the threshold {@code tau} in this metric's direction. */
    public boolean accepts(float score, double tau) {
        return this == SQUARED_L2 ? score <= tau : score >= tau;
    }
}
