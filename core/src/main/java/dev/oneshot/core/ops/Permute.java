package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Reorders axes: y[i_{p0}, ..., i_{pr}] = x[i_0, ..., i_r], i.e. axis k of y is axis p[k] of x.
 * Copies the data into the new row-major order (matmul takes transpose flags, so the hot
 * path never needs this). Backward applies the inverse permutation to the gradient.
 */
public final class Permute {
    private Permute() {
    }

    /** Swaps two axes. */
    public static Tensor transpose(Tensor x, int axis0, int axis1) {
        int rank = x.rank();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        int a = Shape.axis("transpose", axis0, rank);
        int b = Shape.axis("transpose", axis1, rank);
        axes[a] = b;
        axes[b] = a;
        return apply(x, axes);
    }

    public static Tensor apply(Tensor x, int... axes) {
        int[] shape = x.shape();
        int rank = shape.length;
        if (axes.length != rank) {
            throw new IllegalArgumentException("permute: " + axes.length + " axes given for a tensor of shape "
                    + Shape.toString(shape));
        }
        boolean[] seen = new boolean[rank];
        int[] outShape = new int[rank];
        for (int k = 0; k < rank; k++) {
            int a = Shape.axis("permute", axes[k], rank);
            if (seen[a]) {
                throw new IllegalArgumentException("permute: axis " + a + " appears twice in "
                        + java.util.Arrays.toString(axes));
            }
            seen[a] = true;
            outShape[k] = shape[a];
        }
        // sourceIndex[i] = flat index in x of the i-th element of y.
        int[] xStrides = Shape.strides(shape);
        int[] stepStrides = new int[rank];
        for (int k = 0; k < rank; k++) {
            stepStrides[k] = xStrides[Shape.axis("permute", axes[k], rank)];
        }
        int n = Shape.numel(shape);
        int[] sourceIndex = new int[n];
        int[] counter = new int[rank];
        int idx = 0;
        for (int i = 0; i < n; i++) {
            sourceIndex[i] = idx;
            for (int k = rank - 1; k >= 0; k--) {
                counter[k]++;
                idx += stepStrides[k];
                if (counter[k] < outShape[k]) {
                    break;
                }
                idx -= stepStrides[k] * outShape[k];
                counter[k] = 0;
            }
        }
        float[] xs = x.data();
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            ys[i] = xs[sourceIndex[i]];
        }
        return Node.record("permute", ys, outShape, gy -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int i = 0; i < n; i++) {
                gx[sourceIndex[i]] += gy[i];
            }
        }, x);
    }
}
