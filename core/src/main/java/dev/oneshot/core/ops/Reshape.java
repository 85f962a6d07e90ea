package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * A new shape over the same storage (no copy: every tensor is contiguous row-major, so the
 * flat order does not change). Backward: ∂L/∂x = ∂L/∂y read in the same flat order.
 */
public final class Reshape {
    private Reshape() {
    }

    public static Tensor apply(Tensor x, int... newShape) {
        int[] target = resolve(x.shape(), newShape);
        return Node.record("reshape", x.data(), target, gy -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int i = 0; i < gx.length; i++) {
                gx[i] += gy[i];
            }
        }, x);
    }

    /** Fills in one -1 dimension and checks the element count. */
    static int[] resolve(int[] from, int[] to) {
        int[] shape = to.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: " + Shape.toString(from) + " -> "
                            + Shape.toString(to) + ": only one dimension may be -1");
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("reshape: " + Shape.toString(from) + " -> "
                        + Shape.toString(to) + ": negative dimension " + shape[i]);
            } else {
                known *= shape[i];
            }
        }
        int n = Shape.numel(from);
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("reshape: " + Shape.toString(from) + " (" + n
                        + " elements) cannot be viewed as " + Shape.toString(to));
            }
            shape[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException("reshape: " + Shape.toString(from) + " (" + n
                    + " elements) cannot be viewed as " + Shape.toString(to) + " (" + known + " elements)");
        }
        return shape;
    }
}
