package dev.oneshot.nn.loss;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Softmax followed by cross-entropy, fused into one op (PyTorch's {@code F.cross_entropy}) for
 * logits z [n, k] and class indices t [n]:
 * <pre>  L = (1/n) Σᵢ ( logΣⱼ exp(zᵢⱼ) − z_{i, tᵢ} ),   logΣⱼ exp(zᵢⱼ) = mᵢ + log Σⱼ exp(zᵢⱼ − mᵢ),  mᵢ = maxⱼ zᵢⱼ</pre>
 * Subtracting the row maximum (the log-sum-exp trick) keeps every exponent ≤ 0, so logits of
 * ±1000 give finite, exact results where exp(1000) would overflow.
 *
 * <p>Backward: with pᵢⱼ = softmax(zᵢ)ⱼ = exp(zᵢⱼ − logΣ exp(zᵢ)),
 * <pre>  ∂L/∂zᵢⱼ = (pᵢⱼ − [j = tᵢ]) / n</pre>
 * — the famous "prediction minus one-hot". Fusing saves the softmax's own Jacobian, and the
 * separate log(softmax) would lose precision (log 0 = −∞) for confident predictions.
 */
public final class SoftmaxCrossEntropy {
    private static final String OP = "softmaxCrossEntropy";

    private SoftmaxCrossEntropy() {
    }

    /** Mean cross-entropy of logits [n, classes] against targets (each in [0, classes)). */
    public static Tensor apply(Tensor logits, int[] targets) {
        int[] s = logits.shape();
        if (s.length != 2 || s[0] == 0) {
            throw new IllegalArgumentException(OP + ": logits must be [n, classes] with n > 0, got " + Shape.toString(s));
        }
        int n = s[0];
        int k = s[1];
        if (targets.length != n) {
            throw new IllegalArgumentException(OP + ": " + targets.length + " targets for " + n + " rows of logits "
                    + Shape.toString(s));
        }
        float[] z = logits.data();
        float[] p = new float[z.length]; // softmax, saved for backward
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= k) {
                throw new IllegalArgumentException(OP + ": target " + targets[i] + " at row " + i + " is outside [0, "
                        + k + ")");
            }
            int row = i * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[row + j] - max);
            }
            double logSumExp = max + Math.log(sum);
            for (int j = 0; j < k; j++) {
                p[row + j] = (float) Math.exp(z[row + j] - logSumExp);
            }
            total += logSumExp - z[row + targets[i]];
        }
        int[] t = targets.clone();
        return Node.record(OP, new float[] {(float) (total / n)}, new int[0], g -> {
            if (!logits.requiresGrad()) {
                return;
            }
            float[] gz = logits.gradData();
            float scale = g[0] / n;
            for (int i = 0; i < n; i++) {
                int row = i * k;
                for (int j = 0; j < k; j++) {
                    gz[row + j] += scale * (p[row + j] - (j == t[i] ? 1f : 0f));
                }
            }
        }, logits);
    }
}
