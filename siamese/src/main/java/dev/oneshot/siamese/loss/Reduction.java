package dev.oneshot.siamese.loss;

/**
 * How per-item losses ℓ₁..ℓₘ become one scalar, for the pair losses (contrastive, binary
 * cross-entropy). The triplet loss has its own {@link TripletOptions.Reduction}, which adds a
 * mean over active triplets.
 */
public enum Reduction {
    /** L = Σᵢ ℓᵢ;  ∂L/∂ℓᵢ = 1. */
    SUM,
    /** L = (1/m) Σᵢ ℓᵢ;  ∂L/∂ℓᵢ = 1/m. An empty batch (m = 0) gives 0, not 0/0. */
    MEAN;

    /** The factor ∂L/∂ℓᵢ for a batch of {@code m} items (0 when m = 0). */
    double weight(int m) {
        if (this == SUM) {
            return 1.0;
        }
        return m == 0 ? 0.0 : 1.0 / m;
    }
}
