package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Tensor;

/**
 * y = min(max(x, lo), hi);  dy/dx = 1 where lo ≤ x ≤ hi, else 0 (the gradient passes where
 * the value passes, as in PyTorch).
 */
public final class Clamp {
    private Clamp() {
    }

    public static Tensor apply(Tensor x, float lo, float hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: min " + lo + " must not exceed max " + hi);
        }
        float[] xs = x.data();
        float[] ys = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ys[i] = Math.min(Math.max(xs[i], lo), hi);
        }
        return Node.record("clamp", ys, x.shape(), gy -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int i = 0; i < xs.length; i++) {
                if (xs[i] >= lo && xs[i] <= hi) {
                    gx[i] += gy[i];
                }
            }
        }, x);
    }
}
