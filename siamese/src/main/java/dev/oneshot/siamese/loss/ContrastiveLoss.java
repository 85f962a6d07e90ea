package dev.oneshot.siamese.loss;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.util.Arrays;

/**
 * Contrastive loss (Hadsell, Chopra &amp; LeCun 2006) as one fused op, for pairs of embedding
 * rows X1ᵢ, X2ᵢ [d] with labels yᵢ.
 *
 * <p><b>Label convention: yᵢ = 1 means the pair is the SAME identity, yᵢ = 0 DIFFERENT.</b>
 * (Hadsell et al. use the opposite, Y = 0 for similar; we follow the binary head's targets.)
 * <pre>
 *   sᵢ = ‖X1ᵢ − X2ᵢ‖²,   dᵢ = √(sᵢ + ε)
 *   ℓᵢ = yᵢ·sᵢ + (1 − yᵢ)·max(μ − dᵢ, 0)²
 *   L  = Σᵢ ℓᵢ,  (1/m) Σᵢ ℓᵢ,  or (1/k) Σᵢ ℓᵢ with k = #{ℓᵢ > 0}     ({@link Reduction})
 * </pre>
 * Same pairs are pulled together by d², different pairs pushed apart until they are at least
 * the margin μ apart. {@link Reduction#MEAN_ACTIVE} divides by the pairs that still teach
 * something: the different pairs inside the margin and the same pairs not yet identical (as
 * for the triplet loss, k gets no gradient).
 *
 * <p><b>The ½ factor:</b> the paper writes ½·d² and ½·max(μ − d, 0)²; we leave it out (as in
 * the usual y·d² + (1 − y)·max(μ − d, 0)² form). It scales loss and gradient by 2, which is the
 * same as doubling the learning rate — nothing else changes.
 *
 * <p><b>ε policy:</b> the similar term uses s = d² exactly (its gradient 2(X1 − X2) needs no
 * square root). The hinge needs d itself, whose gradient (X1 − X2)/d is 0/0 at X1 = X2; we
 * use d = √(s + ε) with ε &gt; 0, so identical "different" pairs get a finite (zero)
 * gradient instead of NaN.
 *
 * <p><b>Backward</b>, hand-derived. With hᵢ = max(μ − dᵢ, 0) and cᵢ = g·w (g upstream,
 * w = 1, 1/m or 1/k from the {@link Reduction}):
 * <pre>
 *   ∂ℓᵢ/∂X1ᵢ = ( 2yᵢ − 2(1 − yᵢ)·hᵢ/dᵢ )·(X1ᵢ − X2ᵢ),    ∂ℓᵢ/∂X2ᵢ = −∂ℓᵢ/∂X1ᵢ
 * </pre>
 * (chain rule on h²: 2h·∂h/∂d·∂d/∂X1 = 2h·(−1)·(X1 − X2)/d, and 0 once d ≥ μ).
 */
public final class ContrastiveLoss {
    private static final String OP = "contrastiveLoss";

    private ContrastiveLoss() {
    }

    /**
     * Settings; the defaults are in {@link #DEFAULT} only: margin μ = 1, ε = 10⁻⁸,
     * {@link Reduction#MEAN}.
     */
    public record Options(float margin, float epsilon, Reduction reduction) {
        public static final Options DEFAULT = new Options(1f, 1e-8f, Reduction.MEAN);

        public Options {
            if (!(margin > 0) || !Float.isFinite(margin)) {
                throw new IllegalArgumentException("ContrastiveLoss.Options: margin must be finite and > 0, got " + margin);
            }
            if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
                throw new IllegalArgumentException("ContrastiveLoss.Options: epsilon must be finite and > 0, got "
                        + epsilon);
            }
            if (reduction == null) {
                throw new IllegalArgumentException("ContrastiveLoss.Options: reduction must not be null");
            }
        }

        public Options withMargin(float newMargin) {
            return new Options(newMargin, epsilon, reduction);
        }

        public Options withReduction(Reduction newReduction) {
            return new Options(margin, epsilon, newReduction);
        }
    }

    /** With {@link Options#DEFAULT}. */
    public static Tensor apply(Tensor x1, Tensor x2, int[] same) {
        return apply(x1, x2, same, Options.DEFAULT);
    }

    /**
     * @param x1   first embeddings [m, d]
     * @param x2   second embeddings [m, d]
     * @param same labels [m]: 1 = same identity, 0 = different (anything else is rejected)
     */
    public static Tensor apply(Tensor x1, Tensor x2, int[] same, Options options) {
        int[] s = x1.shape();
        if (s.length != 2 || !Arrays.equals(s, x2.shape())) {
            throw new IllegalArgumentException(OP + ": x1 " + Shape.toString(s) + " and x2 "
                    + Shape.toString(x2.shape()) + " must both be [m, d] of the same shape");
        }
        int m = s[0];
        int d = s[1];
        if (same.length != m) {
            throw new IllegalArgumentException(OP + ": " + same.length + " labels for " + m + " pairs");
        }
        int[] y = same.clone();
        for (int i = 0; i < m; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException(OP + ": label " + y[i] + " at pair " + i
                        + " must be 1 (same) or 0 (different)");
            }
        }
        float[] ad = x1.data();
        float[] bd = x2.data();
        double margin = options.margin();
        double[] factor = new double[m]; // ∂ℓᵢ/∂X1ᵢ = factorᵢ·(X1ᵢ − X2ᵢ)
        double total = 0;
        int active = 0; // k = #{ℓᵢ > 0}, for MEAN_ACTIVE
        for (int i = 0; i < m; i++) {
            double sq = TripletLoss.squaredDistance(ad, i, bd, i, d);
            double li;
            if (y[i] == 1) {
                li = sq;
                factor[i] = 2.0;
            } else {
                double dist = Math.sqrt(sq + options.epsilon());
                double h = Math.max(margin - dist, 0.0);
                li = h * h;
                factor[i] = -2.0 * h / dist;
            }
            total += li;
            active += (float) li > 0f ? 1 : 0;
        }
        double w = options.reduction().weight(m, active);
        return Node.record(OP, new float[] {(float) (w * total)}, new int[0], g -> {
            float[] g1 = x1.requiresGrad() ? x1.gradData() : null;
            float[] g2 = x2.requiresGrad() ? x2.gradData() : null;
            for (int i = 0; i < m; i++) {
                double c = g[0] * w * factor[i];
                if (c == 0.0) {
                    continue;
                }
                for (int t = i * d; t < (i + 1) * d; t++) {
                    float v = (float) (c * ((double) ad[t] - bd[t]));
                    if (g1 != null) {
                        g1[t] += v;
                    }
                    if (g2 != null) {
                        g2[t] -= v;
                    }
                }
            }
        }, x1, x2);
    }
}
