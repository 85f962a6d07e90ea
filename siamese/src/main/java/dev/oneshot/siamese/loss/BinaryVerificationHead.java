package dev.oneshot.siamese.loss;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.layers.Linear;

import java.util.Arrays;

/**
 * The verification head of Koch, Zemel &amp; Salakhutdinov (2015): it turns two embeddings
 * into the probability that they show the same identity.
 * <pre>
 *   v     = |e1 − e2|               elementwise "L1 vector", [m, d]
 *   logit = v·wᵀ + b                its own Linear(d, 1): w [1, d], b [1]  → [m]
 *   p     = σ(logit)                for inference only
 * </pre>
 * Training uses the logit with the fused {@link BinaryCrossEntropyWithLogits} (never σ then
 * log: that overflows for confident pairs). Gradients of v and the Linear come from core's
 * autograd (abs: sign(e1 − e2), undefined only at exact ties); parameters are {@code fc.weight}
 * and {@code fc.bias}.
 */
public final class BinaryVerificationHead extends Module {
    private final int dim;
    private final Linear fc;

    /** A head for embeddings of width {@code dim}, Linear initialised from {@code rng}. */
    public BinaryVerificationHead(int dim, SeededRandom rng) {
        this.dim = dim;
        this.fc = registerModule("fc", new Linear(dim, 1, rng));
    }

    /** Logits [m] from a precomputed L1 vector v = |e1 − e2| [m, d]. */
    @Override
    public Tensor forward(Tensor l1Vector) {
        int[] s = l1Vector.shape();
        if (s.length != 2 || s[1] != dim) {
            throw new IllegalArgumentException("BinaryVerificationHead(" + dim + "): input " + Shape.toString(s)
                    + " must be [m, " + dim + "]");
        }
        return fc.forward(l1Vector).reshape(s[0]);
    }

    /** Logits [m] for the pairs (e1[i], e2[i]); e1, e2 are [m, d]. */
    public Tensor logits(Tensor e1, Tensor e2) {
        if (!Arrays.equals(e1.shape(), e2.shape())) {
            throw new IllegalArgumentException("BinaryVerificationHead: e1 " + Shape.toString(e1.shape())
                    + " and e2 " + Shape.toString(e2.shape()) + " differ in shape");
        }
        return forward(e1.sub(e2).abs());
    }

    /** P(same) = σ(logit) per pair, [m]; for inference (wrap in {@code Grad.off()} if no graph is wanted). */
    public Tensor probability(Tensor e1, Tensor e2) {
        return logits(e1, e2).sigmoid();
    }

    /** Binary cross-entropy of the pairs against labels (1 = same identity, 0 = different). */
    public Tensor loss(Tensor e1, Tensor e2, int[] same, Reduction reduction) {
        return BinaryCrossEntropyWithLogits.apply(logits(e1, e2), same, reduction);
    }

    /** The embedding width the head takes. */
    public int dim() {
        return dim;
    }

    /** {@code BinaryVerificationHead(64)}: rebuilt by {@code SiameseModel.load}. */
    @Override
    public String spec() {
        return "BinaryVerificationHead(" + dim + ")";
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
