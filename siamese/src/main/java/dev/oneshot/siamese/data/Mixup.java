package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

/**
 * Mixup (Zhang et al. 2018): every image of a batch is blended with a partner drawn from the same
 * batch, and a loss over class labels is asked for the same blend of the two classes.
 * <pre>
 *   λ ~ Beta(α, α),   π = a random permutation of the batch
 *   x̃ᵢ = λ xᵢ + (1 − λ) x_{π(i)}
 *   L̃  = λ L(x̃, y) + (1 − λ) L(x̃, y∘π)
 * </pre>
 * For a cross-entropy L, L̃ is the cross-entropy against the soft target λ·[yᵢ] + (1 − λ)·[y_{π(i)}],
 * so its gradient is the plain loss's with that target: ∂L̃/∂z = p − λ·[yᵢ] − (1 − λ)·[y_{π(i)}]. An
 * image between two classes is asked to embed between their proxies rather than on one of them —
 * the space between the training classes stays in use, which is where new classes land. One λ per
 * batch; α &lt; 1 keeps most blends near one of the two images, α = 1 draws λ uniformly.
 */
public final class Mixup {
    /** The largest α a recipe may ask for (Beta(α, α) is already close to λ = ½ well below it). */
    public static final double MAX_ALPHA = 100;

    private Mixup() {
    }

    /**
     * A blended batch: the images x̃, the partners' labels y∘π and the weight λ of the images' own
     * labels.
     */
    public record Mixed(Tensor images, int[] partnerLabels, float lambda) {
        /**
         * L̃ = λ L(y) + (1 − λ) L(y∘π): {@code lossFor} is the loss of the blended batch's
         * embeddings against a labelling of its rows, asked once with {@code labels} (the images'
         * own) and once with the partners'.
         */
        public Tensor loss(int[] labels, java.util.function.Function<int[], Tensor> lossFor) {
            if (labels.length != partnerLabels.length) {
                throw new IllegalArgumentException("Mixup: " + labels.length + " labels for a blend of "
                        + partnerLabels.length + " images");
            }
            return lossFor.apply(labels).mul(lambda).add(lossFor.apply(partnerLabels).mul(1 - lambda));
        }
    }

    /**
     * Blends {@code images} [n, …] (class {@code labels[i]} for row i) with a permutation of
     * themselves; draws λ, then the permutation, from {@code rng}.
     *
     * @param alpha α &gt; 0 of Beta(α, α)
     */
    public static Mixed mix(Tensor images, int[] labels, double alpha, SeededRandom rng) {
        int n = images.shape()[0];
        if (labels.length != n) {
            throw new IllegalArgumentException("Mixup: " + labels.length + " labels for a batch of " + n + " images");
        }
        float lambda = (float) beta(alpha, rng);
        int[] partner = new int[n];
        for (int i = 0; i < n; i++) {
            partner[i] = i;
        }
        for (int i = n - 1; i > 0; i--) { // Fisher–Yates
            int j = rng.nextInt(i + 1);
            int t = partner[i];
            partner[i] = partner[j];
            partner[j] = t;
        }
        float[] x = images.data();
        int per = images.numel() / Math.max(1, n);
        float[] out = new float[x.length];
        int[] partnerLabels = new int[n];
        for (int i = 0; i < n; i++) {
            int a = i * per;
            int b = partner[i] * per;
            for (int k = 0; k < per; k++) {
                out[a + k] = lambda * x[a + k] + (1 - lambda) * x[b + k];
            }
            partnerLabels[i] = labels[partner[i]];
        }
        return new Mixed(Tensor.fromArray(out, images.shape()), partnerLabels, lambda);
    }

    /** A draw of Beta(α, α) = X / (X + Y) with X, Y ~ Gamma(α). */
    static double beta(double alpha, SeededRandom rng) {
        if (!(alpha > 0 && alpha <= MAX_ALPHA)) {
            throw new IllegalArgumentException("Mixup: alpha must be in (0, " + MAX_ALPHA + "], got " + alpha);
        }
        double x = gamma(alpha, rng);
        double y = gamma(alpha, rng);
        return x + y > 0 ? x / (x + y) : 0.5;
    }

    /**
     * Gamma(α, 1) by Marsaglia and Tsang (2000): for α ≥ 1, d = α − ⅓, c = 1/√(9d); draw z ~ N(0, 1),
     * v = (1 + cz)³, accept d·v when v &gt; 0 and ln u &lt; z²/2 + d − dv + d ln v. For α &lt; 1,
     * Gamma(α) = Gamma(α + 1) · u^{1/α}.
     */
    static double gamma(double alpha, SeededRandom rng) {
        if (alpha < 1) {
            double u = 1.0 - rng.nextDouble(); // (0, 1]
            return gamma(alpha + 1, rng) * Math.pow(u, 1 / alpha);
        }
        double d = alpha - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = rng.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1.0 - rng.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
