package dev.oneshot.siamese.mining;

/**
 * The three kinds of valid triplet, by where the negative lies relative to the positive
 * (squared distances d, margin α). They partition all valid triplets:
 * <ul>
 *   <li>{@link #HARD}: d(A,N) &lt; d(A,P) — the negative is closer than the positive;</li>
 *   <li>{@link #SEMI_HARD}: d(A,P) ≤ d(A,N) &lt; d(A,P) + α — ordered correctly, but inside the margin;</li>
 *   <li>{@link #EASY}: d(A,N) ≥ d(A,P) + α — loss 0, nothing to learn.</li>
 * </ul>
 * A triplet is <em>active</em> (loss d(A,P) − d(A,N) + α &gt; 0) exactly when it is hard or semi-hard.
 *
 * <p>FaceNet (Schroff et al. 2015) writes the semi-hard condition with a strict d(A,P) &lt; d(A,N).
 * Here the tie d(A,N) = d(A,P) counts as semi-hard so that the three kinds cover every triplet;
 * it only matters for exactly equal distances.
 */
public enum TripletKind {
    HARD, SEMI_HARD, EASY;

    public static TripletKind of(float dap, float dan, float margin) {
        if (dan < dap) {
            return HARD;
        }
        return dan < dap + margin ? SEMI_HARD : EASY;
    }

    /**
     * Triplet loss max(d(A,P) − d(A,N) + α, 0) &gt; 0, written as d(A,N) &lt; d(A,P) + α so that it
     * agrees with {@link #of} even under float rounding.
     */
    public static boolean isActive(float dap, float dan, float margin) {
        return dan < dap + margin;
    }
}
