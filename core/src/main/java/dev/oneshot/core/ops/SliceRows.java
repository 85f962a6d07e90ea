package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Rows [start, end) along axis 0: y = x[start:end]. Copies the rows (a contiguous block).
 * Backward: ∂L/∂x[start + r] += ∂L/∂y[r]; rows outside the slice get nothing.
 */
public final class SliceRows {
    private SliceRows() {
    }

    public static Tensor apply(Tensor x, int start, int end) {
        int[] shape = x.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("sliceRows: cannot slice a scalar");
        }
        if (start < 0 || end > shape[0] || start > end) {
            throw new IllegalArgumentException("sliceRows: rows [" + start + ", " + end + ") are out of range for shape "
                    + Shape.toString(shape));
        }
        int rowSize = shape[0] == 0 ? 0 : x.numel() / shape[0];
        int[] outShape = shape.clone();
        outShape[0] = end - start;
        float[] ys = new float[(end - start) * rowSize];
        System.arraycopy(x.data(), start * rowSize, ys, 0, ys.length);
        return Node.record("sliceRows", ys, outShape, gy -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            int offset = start * rowSize;
            for (int i = 0; i < gy.length; i++) {
                gx[offset + i] += gy[i];
            }
        }, x);
    }
}
