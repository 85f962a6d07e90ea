package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Gathers rows along axis 0: y[r] = x[idx[r]]. A row may be picked more than once (the
 * anchor of several triplets). Backward scatters and <em>adds</em>: ∂L/∂x[idx[r]] += ∂L/∂y[r],
 * so a row picked twice receives the sum of both gradients.
 */
public final class IndexSelect {
    private IndexSelect() {
    }

    public static Tensor rows(Tensor x, int[] indices) {
        int[] shape = x.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("indexSelect: cannot select rows of a scalar");
        }
        int rows = shape[0];
        int rowSize = rows == 0 ? 0 : x.numel() / rows;
        int[] idx = indices.clone();
        for (int r = 0; r < idx.length; r++) {
            if (idx[r] < 0 || idx[r] >= rows) {
                throw new IndexOutOfBoundsException("indexSelect: index " + idx[r] + " at position " + r
                        + " is out of range for shape " + Shape.toString(shape) + " (rows 0.." + (rows - 1) + ")");
            }
        }
        int[] outShape = shape.clone();
        outShape[0] = idx.length;
        float[] xs = x.data();
        float[] ys = new float[idx.length * rowSize];
        for (int r = 0; r < idx.length; r++) {
            System.arraycopy(xs, idx[r] * rowSize, ys, r * rowSize, rowSize);
        }
        return Node.record("indexSelect", ys, outShape, gy -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int r = 0; r < idx.length; r++) {
                int src = idx[r] * rowSize;
                int dst = r * rowSize;
                for (int j = 0; j < rowSize; j++) {
                    gx[src + j] += gy[dst + j];
                }
            }
        }, x);
    }
}
