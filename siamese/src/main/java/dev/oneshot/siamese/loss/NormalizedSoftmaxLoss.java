package dev.oneshot.siamese.loss;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;

/**
 * Normalised softmax (a cosine classifier; Wang et al.'s NormFace, Zhai &amp; Wu 2019): one learnt
 * proxy wⱼ per training class, and a softmax over the cosines between an embedding and every proxy.
 * <pre>
 *   êᵢ = eᵢ / ‖eᵢ‖,   ŵⱼ = wⱼ / ‖wⱼ‖,   zᵢⱼ = s · êᵢ·ŵⱼ          (cosines scaled by s, [n, C])
 *   L  = (1/n) Σᵢ ( log Σⱼ exp(zᵢⱼ) − z_{i,yᵢ} )                 (cross-entropy)
 * </pre>
 * Gradient: ∂L/∂zᵢⱼ = (pᵢⱼ − [j = yᵢ]) / n with p = softmax(zᵢ); then ∂L/∂êᵢ = s Σⱼ ∂zᵢⱼ ŵⱼ and
 * ∂L/∂ŵⱼ = s Σᵢ ∂zᵢⱼ êᵢ, and each normalisation passes on the part orthogonal to its vector:
 * ∂L/∂e = (∂L/∂ê − ê (ê·∂L/∂ê)) / ‖e‖ (the same for w). Every class pulls on every embedding, not
 * only those a batch happens to contain — the proxies stand in for the classes. Only the embedding
 * network is kept after training: the proxies name training classes, and a one-shot model meets
 * other ones. The scale s sets how sharp the softmax is (cosines lie in [−1, 1], so without it
 * the loss cannot approach 0 over many classes).
 */
public final class NormalizedSoftmaxLoss {
    /** Clamp of the norms below (a zero embedding or proxy gets a zero gradient, not NaN). */
    private static final float EPS = 1e-12f;

    private final Tensor proxies;
    private final float scale;

    /**
     * @param classes training classes C (one proxy each)
     * @param dim     embedding width d
     * @param scale   s &gt; 0
     * @param rng     draws the proxies' initial directions (standard normal)
     */
    public NormalizedSoftmaxLoss(int classes, int dim, float scale, SeededRandom rng) {
        if (classes < 2 || dim < 1 || !(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("NormalizedSoftmaxLoss: need classes ≥ 2, dim ≥ 1 and a finite scale "
                    + "> 0, got classes=" + classes + ", dim=" + dim + ", scale=" + scale);
        }
        this.proxies = Tensor.randn(rng, classes, dim).requiresGrad(true);
        this.scale = scale;
    }

    /** The proxies w [C, d], a trainable parameter (give it to the optimiser). */
    public Tensor proxies() {
        return proxies;
    }

    /** The mean loss of embeddings e [n, d] whose classes are {@code labels} (each in [0, C)). */
    public Tensor apply(Tensor e, int[] labels) {
        return apply(e, proxies, labels, scale);
    }

    /** The loss of embeddings e [n, d] against proxies w [C, d] at scale s (the formula above). */
    public static Tensor apply(Tensor e, Tensor proxies, int[] labels, float scale) {
        int[] s = e.shape();
        int[] w = proxies.shape();
        if (w.length != 2) {
            throw new IllegalArgumentException("NormalizedSoftmaxLoss: proxies " + Shape.toString(w) + " must be [C, d]");
        }
        if (s.length != 2 || s[1] != w[1] || labels.length != s[0]) {
            throw new IllegalArgumentException("NormalizedSoftmaxLoss: embeddings " + Shape.toString(s) + " must be [n, "
                    + w[1] + "] with one label per row (" + labels.length + " labels)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= w[0]) {
                throw new IllegalArgumentException("NormalizedSoftmaxLoss: label " + labels[i] + " at row " + i
                        + " is outside the " + w[0] + " classes [0, " + w[0] + ")");
            }
        }
        Tensor cosines = e.l2NormalizeRows(EPS).matmul(proxies.l2NormalizeRows(EPS), false, true);
        return SoftmaxCrossEntropy.apply(cosines.mul(scale), labels);
    }
}
