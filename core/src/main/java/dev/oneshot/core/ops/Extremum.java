package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Maximum or minimum along an axis, with the index where it was found.
 * m[o, j] = maxₖ x[o, k, j];  ∂L/∂x[o, k*, j] += ∂L/∂m[o, j] at the arg-max k* only
 * (the first one on a tie). NaN propagates: a row holding NaN has NaN as its extremum.
 */
public final class Extremum {
    private Extremum() {
    }

    /** The values tensor (in the graph) and the flat arg-indices along the axis (one per value). */
    public record Result(Tensor values, int[] indices) {
    }

    public static Result max(Tensor x, int axis, boolean keepDim) {
        return reduce(x, axis, keepDim, true);
    }

    public static Result min(Tensor x, int axis, boolean keepDim) {
        return reduce(x, axis, keepDim, false);
    }

    private static Result reduce(Tensor x, int axis, boolean keepDim, boolean max) {
        String op = max ? "max" : "min";
        int[] shape = x.shape();
        int ax = Shape.axis(op, axis, shape.length);
        if (shape[ax] == 0) {
            throw new IllegalArgumentException(op + ": axis " + axis + " of shape " + Shape.toString(shape)
                    + " is empty; the extremum is undefined");
        }
        AxisView v = AxisView.of(shape, ax);
        float[] xs = x.data();
        float[] out = new float[v.outer * v.inner];
        int[] arg = new int[out.length];
        for (int o = 0; o < v.outer; o++) {
            for (int j = 0; j < v.inner; j++) {
                int best = 0;
                float bestValue = xs[o * v.n * v.inner + j];
                for (int k = 1; k < v.n && !Float.isNaN(bestValue); k++) {
                    float value = xs[(o * v.n + k) * v.inner + j];
                    if (Float.isNaN(value) || (max ? value > bestValue : value < bestValue)) {
                        best = k;
                        bestValue = value;
                    }
                }
                out[o * v.inner + j] = bestValue;
                arg[o * v.inner + j] = best;
            }
        }
        Tensor values = Node.record(op, out, v.reducedShape(shape, ax, keepDim), gm -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int o = 0; o < v.outer; o++) {
                for (int j = 0; j < v.inner; j++) {
                    int i = o * v.inner + j;
                    gx[(o * v.n + arg[i]) * v.inner + j] += gm[i];
                }
            }
        }, x);
        return new Result(values, arg.clone());
    }
}
