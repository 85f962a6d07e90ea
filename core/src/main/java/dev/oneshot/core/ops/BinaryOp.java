package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Elementwise z = f(a, b) with numpy broadcasting, each with its two partial derivatives.
 *
 * <p>Broadcasting: shapes align from the right; an axis of size 1 (or a missing one) repeats.
 * Backward through a repeated element sums the gradients of all its copies — done here by
 * accumulating through the same index map the forward read with.
 */
public enum BinaryOp {
    /** z = a + b;  ∂z/∂a = 1, ∂z/∂b = 1. */
    ADD("add") {
        float value(float a, float b) { return a + b; }
        float dA(float a, float b, float z) { return 1f; }
        float dB(float a, float b, float z) { return 1f; }
    },
    /** z = a − b;  ∂z/∂a = 1, ∂z/∂b = −1. */
    SUB("sub") {
        float value(float a, float b) { return a - b; }
        float dA(float a, float b, float z) { return 1f; }
        float dB(float a, float b, float z) { return -1f; }
    },
    /** z = a·b;  ∂z/∂a = b, ∂z/∂b = a. */
    MUL("mul") {
        float value(float a, float b) { return a * b; }
        float dA(float a, float b, float z) { return b; }
        float dB(float a, float b, float z) { return a; }
    },
    /** z = a/b;  ∂z/∂a = 1/b, ∂z/∂b = −a/b². */
    DIV("div") {
        float value(float a, float b) { return a / b; }
        float dA(float a, float b, float z) { return 1f / b; }
        float dB(float a, float b, float z) { return -a / (b * b); }
    },
    /** z = max(a, b);  the gradient goes to the larger input, split ½–½ on a tie (as PyTorch). */
    MAXIMUM("maximum") {
        float value(float a, float b) { return Math.max(a, b); }
        float dA(float a, float b, float z) { return a > b ? 1f : a == b ? 0.5f : 0f; }
        float dB(float a, float b, float z) { return b > a ? 1f : a == b ? 0.5f : 0f; }
    },
    /** z = min(a, b);  the gradient goes to the smaller input, split ½–½ on a tie. */
    MINIMUM("minimum") {
        float value(float a, float b) { return Math.min(a, b); }
        float dA(float a, float b, float z) { return a < b ? 1f : a == b ? 0.5f : 0f; }
        float dB(float a, float b, float z) { return b < a ? 1f : a == b ? 0.5f : 0f; }
    };

    private final String opName;

    BinaryOp(String opName) {
        this.opName = opName;
    }

    abstract float value(float a, float b);

    abstract float dA(float a, float b, float z);

    abstract float dB(float a, float b, float z);

    public String opName() {
        return opName;
    }

    /** z = f(a, b) over the broadcast shape of a and b. */
    public Tensor apply(Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast(opName, a.shape(), b.shape());
        int[] ia = Shape.broadcastIndex(a.shape(), outShape);
        int[] ib = Shape.broadcastIndex(b.shape(), outShape);
        float[] as = a.data();
        float[] bs = b.data();
        int n = Shape.numel(outShape);
        float[] zs = new float[n];
        for (int i = 0; i < n; i++) {
            zs[i] = value(as[ia == null ? i : ia[i]], bs[ib == null ? i : ib[i]]);
        }
        return Node.record(opName, zs, outShape, gz -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradData();
                for (int i = 0; i < n; i++) {
                    int ai = ia == null ? i : ia[i];
                    ga[ai] += gz[i] * dA(as[ai], bs[ib == null ? i : ib[i]], zs[i]);
                }
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradData();
                for (int i = 0; i < n; i++) {
                    int bi = ib == null ? i : ib[i];
                    gb[bi] += gz[i] * dB(as[ia == null ? i : ia[i]], bs[bi], zs[i]);
                }
            }
        }, a, b);
    }
}
