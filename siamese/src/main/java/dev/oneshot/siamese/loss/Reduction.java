package dev.oneshot.siamese.loss;

/**
 * How the per-item losses ℓ₁..ℓₘ of a batch (triplets or pairs) become one scalar L. Every loss
 * of this package takes one; the factor w = ∂L/∂ℓᵢ, the same for every item, is
 * {@link #weight(int, int)}.
 *
 * <p>Which loss honours which constant: {@link TripletLoss} and {@link ContrastiveLoss} all
 * three; {@link BinaryCrossEntropyWithLogits} (and so {@link BinaryVerificationHead}) only
 * {@link #SUM} and {@link #MEAN}, and refuses {@link #MEAN_ACTIVE}: its ℓᵢ = softplus(x) − x·z
 * is &gt; 0 for every logit, so "the active items" would be all of them and the constant would
 * only ever be a slower spelling of {@link #MEAN}.
 */
public enum Reduction {
    /** L = Σᵢ ℓᵢ;  w = 1. */
    SUM,
    /** L = (1/m) Σᵢ ℓᵢ;  w = 1/m. An empty batch (m = 0) gives 0, not 0/0. */
    MEAN,
    /**
     * L = (1/k) Σᵢ ℓᵢ with k = #{i : ℓᵢ &gt; 0}, the active items (FaceNet's "mean over
     * non-zero");  w = 1/k. Inactive items add 0 to the sum anyway, so this only changes the
     * scale: a batch that is mostly easy is not diluted. k is a count, piecewise constant in
     * the inputs, so it gets no gradient. k = 0 gives L = 0 with zero gradient (guarded, not
     * 0/0 = NaN).
     */
    MEAN_ACTIVE;

    /**
     * The factor w = ∂L/∂ℓᵢ for a batch of {@code m} items of which {@code active} have ℓᵢ &gt; 0
     * (0 instead of 1/0 when the count it divides by is 0).
     */
    double weight(int m, int active) {
        return switch (this) {
            case SUM -> 1.0;
            case MEAN -> m == 0 ? 0.0 : 1.0 / m;
            case MEAN_ACTIVE -> active == 0 ? 0.0 : 1.0 / active;
        };
    }
}
