package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Row-wise L2 normalisation of X [m, d] (embeddings onto the unit sphere):
 * <pre>  yᵢ = xᵢ / max(‖xᵢ‖, ε)</pre>
 * Backward, with g = ∂L/∂yᵢ: where ‖xᵢ‖ &gt; ε, ∂L/∂xᵢ = (g − yᵢ·(yᵢ·g)) / ‖xᵢ‖ (the component
 * of g along yᵢ is removed — moving along the radius does not change a unit vector); where
 * the clamp bites, yᵢ = xᵢ/ε and ∂L/∂xᵢ = g/ε. The clamp keeps a zero row finite.
 */
public final class L2NormalizeRows {
    private L2NormalizeRows() {
    }

    public static Tensor apply(Tensor x, float eps) {
        int[] shape = x.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("l2NormalizeRows: need a 2-D tensor [rows, dim], got "
                    + Shape.toString(shape));
        }
        if (!(eps > 0f)) {
            throw new IllegalArgumentException("l2NormalizeRows: eps must be positive, got " + eps);
        }
        int m = shape[0];
        int d = shape[1];
        float[] xs = x.data();
        float[] ys = new float[xs.length];
        float[] norms = new float[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                s += (double) xs[i * d + t] * xs[i * d + t];
            }
            norms[i] = (float) Math.sqrt(s);
            float scale = 1f / Math.max(norms[i], eps);
            for (int t = 0; t < d; t++) {
                ys[i * d + t] = xs[i * d + t] * scale;
            }
        }
        return Node.record("l2NormalizeRows", ys, shape, g -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int i = 0; i < m; i++) {
                int row = i * d;
                if (norms[i] > eps) {
                    float dot = 0f;
                    for (int t = 0; t < d; t++) {
                        dot += ys[row + t] * g[row + t];
                    }
                    float inv = 1f / norms[i];
                    for (int t = 0; t < d; t++) {
                        gx[row + t] += (g[row + t] - ys[row + t] * dot) * inv;
                    }
                } else {
                    float inv = 1f / eps;
                    for (int t = 0; t < d; t++) {
                        gx[row + t] += g[row + t] * inv;
                    }
                }
            }
        }, x);
    }
}
