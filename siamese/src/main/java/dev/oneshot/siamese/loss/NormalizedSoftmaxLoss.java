package dev.oneshot.siamese.loss;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;

/**
 * Normalised softmax (a cosine classifier; Wang et al.'s NormFace, Zhai &amp; Wu 2019): one learnt
 * proxy wⱼ per training class, and a softmax over the cosines between an embedding and every proxy.
 * <pre>
 *   êᵢ = eᵢ / ‖eᵢ‖,   ŵⱼ = wⱼ / ‖wⱼ‖,   zᵢⱼ = s · (êᵢ·ŵⱼ − m [j = yᵢ])   (cosines scaled by s, [n, C])
 *   L  = (1/n) Σᵢ ( log Σⱼ exp(zᵢⱼ) − z_{i,yᵢ} )                       (cross-entropy)
 * </pre>
 * With a margin m &gt; 0 (the additive cosine margin of CosFace, Wang et al. 2018) an embedding's
 * own class must win by m in cosine before the loss lets go of it, so each class is packed tighter
 * and further from the others than the softmax alone asks; m = 0 is NormFace. m is a constant
 * offset of the logits, so the gradient below is unchanged in form (p is the softmax of the
 * margin-shifted z).
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
    private final float margin;

    /** Without a margin (m = 0). */
    public NormalizedSoftmaxLoss(int classes, int dim, float scale, SeededRandom rng) {
        this(classes, dim, scale, 0, rng);
    }

    /**
     * @param classes training classes C (one proxy each)
     * @param dim     embedding width d
     * @param scale   s &gt; 0
     * @param margin  m in [0, 1): the cosine the true class must win by
     * @param rng     draws the proxies' initial directions (standard normal)
     */
    public NormalizedSoftmaxLoss(int classes, int dim, float scale, float margin, SeededRandom rng) {
        if (classes < 2 || dim < 1 || !(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("NormalizedSoftmaxLoss: need classes ≥ 2, dim ≥ 1 and a finite scale "
                    + "> 0, got classes=" + classes + ", dim=" + dim + ", scale=" + scale);
        }
        checkMargin(margin);
        this.proxies = Tensor.randn(rng, classes, dim).requiresGrad(true);
        this.scale = scale;
        this.margin = margin;
    }

    private static void checkMargin(float margin) {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("NormalizedSoftmaxLoss: margin must be in [0, 1), got " + margin);
        }
    }

    /** The proxies w [C, d], a trainable parameter (give it to the optimiser). */
    public Tensor proxies() {
        return proxies;
    }

    /** The mean loss of embeddings e [n, d] whose classes are {@code labels} (each in [0, C)). */
    public Tensor apply(Tensor e, int[] labels) {
        return apply(e, proxies, labels, scale, margin);
    }

    /** The loss of embeddings e [n, d] against proxies w [C, d] at scale s, no margin. */
    public static Tensor apply(Tensor e, Tensor proxies, int[] labels, float scale) {
        return apply(e, proxies, labels, scale, 0);
    }

    /** The loss of embeddings e [n, d] against proxies w [C, d] at scale s and margin m (the formula above). */
    public static Tensor apply(Tensor e, Tensor proxies, int[] labels, float scale, float margin) {
        checkMargin(margin);
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
        if (margin > 0) {
            float[] offsets = new float[s[0] * w[0]];
            for (int i = 0; i < labels.length; i++) {
                offsets[i * w[0] + labels[i]] = margin;
            }
            cosines = cosines.sub(Tensor.fromArray(offsets, s[0], w[0]));
        }
        return SoftmaxCrossEntropy.apply(cosines.mul(scale), labels);
    }
}
