package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Sums: s = Σᵢ xᵢ over all elements, or along one axis. Backward: every summed element
 * receives the gradient of its sum, ∂L/∂xᵢ += ∂L/∂s. Accumulation is in double.
 */
public final class Sum {
    private Sum() {
    }

    /** Σ of all elements as a scalar (shape []). */
    public static Tensor all(Tensor x) {
        float[] xs = x.data();
        double s = 0;
        for (float v : xs) {
            s += v;
        }
        return Node.record("sum", new float[] {(float) s}, new int[0], gs -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int i = 0; i < gx.length; i++) {
                gx[i] += gs[0];
            }
        }, x);
    }

    /**
     * Σ along {@code axis}: viewing x as [outer, n, inner], s[o, j] = Σₖ x[o, k, j].
     * With keepDim the axis stays with size 1, otherwise it is removed.
     */
    public static Tensor along(Tensor x, int axis, boolean keepDim) {
        int[] shape = x.shape();
        int ax = Shape.axis("sum", axis, shape.length);
        AxisView v = AxisView.of(shape, ax);
        float[] xs = x.data();
        float[] out = new float[v.outer * v.inner];
        for (int o = 0; o < v.outer; o++) {
            for (int k = 0; k < v.n; k++) {
                int base = (o * v.n + k) * v.inner;
                int outBase = o * v.inner;
                for (int j = 0; j < v.inner; j++) {
                    out[outBase + j] += xs[base + j];
                }
            }
        }
        return Node.record("sum", out, v.reducedShape(shape, ax, keepDim), gs -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int o = 0; o < v.outer; o++) {
                for (int k = 0; k < v.n; k++) {
                    int base = (o * v.n + k) * v.inner;
                    int outBase = o * v.inner;
                    for (int j = 0; j < v.inner; j++) {
                        gx[base + j] += gs[outBase + j];
                    }
                }
            }
        }, x);
    }
}
