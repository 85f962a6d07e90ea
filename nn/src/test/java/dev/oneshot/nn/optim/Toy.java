package dev.oneshot.nn.optim;

import dev.oneshot.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tiny hand-set problem shared by the optimiser tests (and tools/oracle/optim_oracle.py):
 * p0 = [1, −2, 0.5], gradient set before each step to ∇ = a·p + b with a = [1, 2, 0.5],
 * b = [0.1, −0.3, 0.2] — the gradient of L = Σ (a p²/2 + b p).
 */
final class Toy {
    static final double[] P0 = {1.0, -2.0, 0.5};
    static final double[] A = {1.0, 2.0, 0.5};
    static final double[] B = {0.1, -0.3, 0.2};

    private Toy() {
    }

    static Tensor param() {
        return Tensor.fromArray(new float[] {(float) P0[0], (float) P0[1], (float) P0[2]}, 3).requiresGrad(true);
    }

    static Map<String, Tensor> named(String name, Tensor t) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(name, t);
        return m;
    }

    /** Writes ∇ = a·p + b into the parameter's gradient buffer (float32, like PyTorch). */
    static void setGrad(Tensor p) {
        float[] d = p.data();
        float[] g = p.gradData();
        for (int j = 0; j < d.length; j++) {
            g[j] = (float) A[j] * d[j] + (float) B[j];
        }
    }

    /** The gradient a·p + b in double. */
    static double grad(int j, double p) {
        return A[j] * p + B[j];
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
