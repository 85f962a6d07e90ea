package dev.oneshot.nn.optim;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.Tensor;
import java.util.Collection;

/** Gradient clipping, called between {@code backward()} and {@code step()}. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** Added to the norm before dividing, as in PyTorch, so a zero norm never divides by zero. */
    public static final double NORM_EPS = 1e-6;

    /**
     * Rescales all gradients together so that their global L2 norm is at most {@code maxNorm}
     * (PyTorch's {@code clip_grad_norm_}):
     * <pre>
     *   norm = √(Σ over all parameters and elements of ∇²)     (accumulated in double)
     *   c    = maxNorm / (norm + 1e-6)
     *   ∇   *= c          when c &lt; 1 (i.e. the norm exceeds maxNorm); otherwise unchanged
     * </pre>
     * Parameters without a gradient are skipped. <b>Non-finite norm</b> (a NaN or ±∞ anywhere in
     * the gradients): nothing is scaled and the NaN/∞ norm is returned, so the caller can test
     * {@code Double.isFinite(norm)} and skip the step (scaling would turn every gradient to NaN).
     *
     * @return the global norm before clipping
     * @throws IllegalArgumentException if maxNorm is not a finite number &gt; 0
     */
    public static double clipByGlobalNorm(Collection<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipByGlobalNorm: maxNorm must be a finite number > 0, got " + maxNorm);
        }
        double sumSq = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) {
                for (float x : p.gradData()) {
                    sumSq += (double) x * x;
                }
            }
        }
        double norm = Math.sqrt(sumSq);
        if (!Double.isFinite(norm)) {
            return norm;
        }
        double coef = maxNorm / (norm + NORM_EPS);
        if (coef < 1) {
            float c = (float) coef;
            try (Grad.Scope off = Grad.off()) {
                for (Tensor p : params) {
                    if (p.hasGrad()) {
                        float[] d = p.gradData();
                        for (int j = 0; j < d.length; j++) {
                            d[j] *= c;
                        }
                    }
                }
            }
        }
        return norm;
    }
}
