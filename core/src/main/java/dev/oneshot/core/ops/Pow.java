package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Tensor;

/** y = xᵖ for a constant exponent p;  dy/dx = p·xᵖ⁻¹. */
public final class Pow {
    private Pow() {
    }

    public static Tensor apply(Tensor x, float p) {
        float[] xs = x.data();
        float[] ys = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ys[i] = (float) Math.pow(xs[i], p);
        }
        return Node.record("pow", ys, x.shape(), gy -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int i = 0; i < xs.length; i++) {
                gx[i] += gy[i] * p * (float) Math.pow(xs[i], p - 1f);
            }
        }, x);
    }
}
