package dev.oneshot.siamese.loss;

/**
 * Settings of the {@link TripletLoss}. The defaults live in {@link #DEFAULT} and nowhere else:
 * margin α = 0.2 (FaceNet's value for unit-length embeddings), squared L2 distance, hard
 * margin, {@link Reduction#SUM} (the mission's J = Σᵢ Lᵢ), ε = 10⁻⁸.
 *
 * @param margin    α ≥ 0, used by the {@link Margin#HARD hard} margin only
 * @param distance  how d(a, b) is measured
 * @param marginKind hinge or softplus
 * @param reduction how per-triplet losses become one scalar (all three {@link Reduction}s apply)
 * @param epsilon   ε > 0 inside √(‖a − b‖² + ε), used by {@link EmbeddingDistance#L2} only
 */
public record TripletOptions(float margin, EmbeddingDistance distance, Margin marginKind, Reduction reduction,
                             float epsilon) {

    public static final TripletOptions DEFAULT =
            new TripletOptions(0.2f, EmbeddingDistance.SQUARED_L2, Margin.HARD, Reduction.SUM, 1e-8f);

    /** The per-triplet loss as a function of u = d(A,P) − d(A,N). */
    public enum Margin {
        /** Lᵢ = max(u + α, 0);  ∂Lᵢ/∂u = 1 when u + α > 0, else 0. */
        HARD,
        /**
         * Lᵢ = softplus(u) = ln(1 + eᵘ), evaluated stably as max(u, 0) + log1p(e^−|u|);
         * ∂Lᵢ/∂u = σ(u). No margin α (Hermans et al. 2017, "In Defense of the Triplet Loss"):
         * the loss never reaches 0, it keeps pulling ever more gently.
         */
        SOFT
    }

    public TripletOptions {
        if (distance == null || marginKind == null || reduction == null) {
            throw new IllegalArgumentException("TripletOptions: distance, marginKind and reduction must not be null");
        }
        if (!(margin >= 0) || !Float.isFinite(margin)) {
            throw new IllegalArgumentException("TripletOptions: margin must be finite and ≥ 0, got " + margin);
        }
        if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException("TripletOptions: epsilon must be finite and > 0, got " + epsilon);
        }
    }

    public TripletOptions withMargin(float newMargin) {
        return new TripletOptions(newMargin, distance, marginKind, reduction, epsilon);
    }

    public TripletOptions withDistance(EmbeddingDistance newDistance) {
        return new TripletOptions(margin, newDistance, marginKind, reduction, epsilon);
    }

    public TripletOptions withMarginKind(Margin newMarginKind) {
        return new TripletOptions(margin, distance, newMarginKind, reduction, epsilon);
    }

    public TripletOptions withReduction(Reduction newReduction) {
        return new TripletOptions(margin, distance, marginKind, newReduction, epsilon);
    }

    public TripletOptions withEpsilon(float newEpsilon) {
        return new TripletOptions(margin, distance, marginKind, reduction, newEpsilon);
    }
}
