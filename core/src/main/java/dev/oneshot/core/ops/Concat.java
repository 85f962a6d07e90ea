package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Joins tensors along an axis. Seen as [outer, nᵢ, inner] around the axis, part i fills
 * columns [offsetᵢ, offsetᵢ + nᵢ) of the output's middle axis. Backward hands each part its
 * block of the gradient. {@link #stack} is composed: reshape each part to size 1 on the new
 * axis, then concatenate.
 */
public final class Concat {
    private Concat() {
    }

    public static Tensor apply(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        int[] first = parts[0].shape();
        int ax = Shape.axis("concat", axis, first.length);
        int total = 0;
        for (int p = 0; p < parts.length; p++) {
            int[] s = parts[p].shape();
            boolean compatible = s.length == first.length;
            for (int i = 0; compatible && i < s.length; i++) {
                compatible = i == ax || s[i] == first[i];
            }
            if (!compatible) {
                throw new IllegalArgumentException("concat: along axis " + axis + ", part " + p + " has shape "
                        + Shape.toString(s) + " which does not match part 0's " + Shape.toString(first)
                        + " outside that axis");
            }
            total += s[ax];
        }
        int[] outShape = first.clone();
        outShape[ax] = total;
        AxisView out = AxisView.of(outShape, ax);
        float[] ys = new float[Shape.numel(outShape)];
        int[] offsets = new int[parts.length];
        int offset = 0;
        for (int p = 0; p < parts.length; p++) {
            offsets[p] = offset;
            int block = parts[p].size(ax) * out.inner;
            float[] xs = parts[p].data();
            for (int o = 0; o < out.outer; o++) {
                System.arraycopy(xs, o * block, ys, (o * out.n + offset) * out.inner, block);
            }
            offset += parts[p].size(ax);
        }
        Tensor[] inputs = parts.clone();
        return Node.record("concat", ys, outShape, gy -> {
            for (int p = 0; p < inputs.length; p++) {
                if (!inputs[p].requiresGrad()) {
                    continue;
                }
                float[] gx = inputs[p].gradData();
                int block = inputs[p].size(ax) * out.inner;
                for (int o = 0; o < out.outer; o++) {
                    int src = (o * out.n + offsets[p]) * out.inner;
                    int dst = o * block;
                    for (int j = 0; j < block; j++) {
                        gx[dst + j] += gy[src + j];
                    }
                }
            }
        }, inputs);
    }

    /** Stacks same-shaped tensors along a new axis (0 ≤ axis ≤ rank). */
    public static Tensor stack(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        int[] shape = parts[0].shape();
        int ax = axis < 0 ? axis + shape.length + 1 : axis;
        if (ax < 0 || ax > shape.length) {
            throw new IllegalArgumentException("stack: axis " + axis + " is out of range for tensors of rank "
                    + shape.length);
        }
        int[] expanded = new int[shape.length + 1];
        for (int i = 0, j = 0; i < expanded.length; i++) {
            expanded[i] = i == ax ? 1 : shape[j++];
        }
        Tensor[] views = new Tensor[parts.length];
        for (int p = 0; p < parts.length; p++) {
            if (!java.util.Arrays.equals(parts[p].shape(), shape)) {
                throw new IllegalArgumentException("stack: part " + p + " has shape " + Shape.toString(parts[p].shape())
                        + " but part 0 has " + Shape.toString(shape));
            }
            views[p] = parts[p].reshape(expanded);
        }
        return apply(ax, views);
    }
}
