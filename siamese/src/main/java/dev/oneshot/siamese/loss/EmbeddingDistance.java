package dev.oneshot.siamese.loss;

/**
 * The distance between two embedding rows a, b [d] used by the triplet loss, written as a
 * function of the squared norm s = ‖a − b‖², so that each kind needs only its value d(s) and
 * its slope k with ∂d/∂a = k·(a − b) (and ∂d/∂b = −k·(a − b)):
 * <ul>
 *   <li>{@link #SQUARED_L2}: d = s,  ∂d/∂a = 2(a − b), so k = 2. The mission's distance.</li>
 *   <li>{@link #L2}: d = √(s + ε),  ∂d/∂a = (a − b)/d, so k = 1/d. Plain √s has slope
 *       (a − b)/‖a − b‖, which is 0/0 at a = b; the ε (> 0) keeps d ≥ √ε, so the gradient is
 *       finite everywhere and exactly 0 at a = b. The price is a value biased up by at most
 *       ε/(2√s) (≈ 5·10⁻⁹ for the default ε = 10⁻⁸ and s ≈ 1).</li>
 * </ul>
 */
public enum EmbeddingDistance {
    SQUARED_L2 {
        @Override
        double of(double squaredNorm, double epsilon) {
            return squaredNorm;
        }

        @Override
        double slope(double distance) {
            return 2.0;
        }
    },
    L2 {
        @Override
        double of(double squaredNorm, double epsilon) {
            return Math.sqrt(squaredNorm + epsilon);
        }

        @Override
        double slope(double distance) {
            return 1.0 / distance;
        }
    };

    /** d as a function of s = ‖a − b‖² (ε is used by {@link #L2} only). */
    abstract double of(double squaredNorm, double epsilon);

    /** k in ∂d/∂a = k·(a − b), given the distance value d. */
    abstract double slope(double distance);
}
