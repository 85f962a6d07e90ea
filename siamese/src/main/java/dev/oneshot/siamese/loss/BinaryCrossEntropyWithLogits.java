package dev.oneshot.siamese.loss;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.util.Arrays;

/**
 * Binary cross-entropy on logits, fused with the sigmoid (PyTorch's
 * {@code binary_cross_entropy_with_logits}). For a logit x and a target z ∈ [0, 1]:
 * <pre>
 *   ℓ = −z·log σ(x) − (1 − z)·log(1 − σ(x))
 *     = max(x, 0) − x·z + log1p(e^−|x|)          (the stable form used here)
 * </pre>
 * The stable form follows from log σ(x) = −softplus(−x) and log(1 − σ(x)) = −softplus(x):
 * ℓ = softplus(x) − x·z, and softplus(x) = max(x, 0) + log1p(e^−|x|) only ever exponentiates
 * a non-positive number. So logits of ±1000 give exact finite values (e.g. x = −1000, z = 1
 * gives 1000), where σ(x) = 0 followed by log would give ∞.
 *
 * <p><b>Backward:</b> ∂ℓ/∂x = σ(x) − z ("prediction minus target"), with σ evaluated without
 * overflow. Reduction {@link Reduction#SUM} or {@link Reduction#MEAN} (factor 1 or 1/m);
 * {@link Reduction#MEAN_ACTIVE} is refused: every ℓ is &gt; 0 (for a 0/1 label it is
 * softplus(±x)), so the mean over active items would be {@link Reduction#MEAN} under another
 * name. Targets are labels: they receive no gradient.
 */
public final class BinaryCrossEntropyWithLogits {
    private static final String OP = "bceWithLogits";

    private BinaryCrossEntropyWithLogits() {
    }

    /** Mean loss of logits against 0/1 labels (1 = same identity), one per logit. */
    public static Tensor apply(Tensor logits, int[] labels) {
        return apply(logits, labels, Reduction.MEAN);
    }

    /** Loss of logits against 0/1 labels (1 = same identity); logits of any shape with one label each. */
    public static Tensor apply(Tensor logits, int[] labels, Reduction reduction) {
        checkReduction(reduction);
        float[] z = new float[labels.length];
        for (int i = 0; i < z.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException(OP + ": label " + labels[i] + " at " + i + " must be 0 or 1");
            }
            z[i] = labels[i];
        }
        if (z.length != logits.numel()) {
            throw new IllegalArgumentException(OP + ": " + z.length + " labels for " + logits.numel() + " logits "
                    + Shape.toString(logits.shape()));
        }
        return apply(logits, Tensor.wrap(z, logits.shape()), reduction);
    }

    /** Loss of logits against targets z ∈ [0, 1] of the same shape (soft targets allowed). */
    public static Tensor apply(Tensor logits, Tensor targets, Reduction reduction) {
        checkReduction(reduction);
        if (!Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException(OP + ": logits " + Shape.toString(logits.shape()) + " and targets "
                    + Shape.toString(targets.shape()) + " differ in shape");
        }
        float[] x = logits.data();
        float[] z = targets.data().clone();
        int m = x.length;
        double total = 0;
        for (int i = 0; i < m; i++) {
            if (!(z[i] >= 0f && z[i] <= 1f)) {
                throw new IllegalArgumentException(OP + ": target " + z[i] + " at " + i + " is outside [0, 1]");
            }
            double xi = x[i];
            total += Math.max(xi, 0.0) - xi * z[i] + Math.log1p(Math.exp(-Math.abs(xi)));
        }
        double w = reduction.weight(m, m); // SUM or MEAN: the active count is not used
        return Node.record(OP, new float[] {(float) (w * total)}, new int[0], g -> {
            if (!logits.requiresGrad()) {
                return;
            }
            float[] gx = logits.gradData();
            double c = g[0] * w;
            for (int i = 0; i < m; i++) {
                gx[i] += (float) (c * (TripletLoss.sigmoid(x[i]) - z[i]));
            }
        }, logits);
    }

    private static void checkReduction(Reduction reduction) {
        if (reduction == null || reduction == Reduction.MEAN_ACTIVE) {
            throw new IllegalArgumentException(OP + ": reduction " + reduction + " is not supported, use SUM or MEAN"
                    + " (every binary cross-entropy term is > 0, so the mean over active items would be MEAN)");
        }
    }
}
