package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;

/**
 * Inverted dropout (Srivastava et al. 2014). In training mode each element is kept with
 * probability 1 − p and scaled so the expected value is unchanged:
 * <pre>  y = x · m,   m = 1/(1 − p) with probability 1 − p, else 0</pre>
 * so ∂L/∂x = ∂L/∂y · m (core's broadcasting mul). In eval mode y = x and nothing is drawn.
 * The mask comes from the layer's own {@link SeededRandom}: the same seed and the same
 * sequence of calls give the same masks. p = 1 drops everything (y = 0).
 */
public final class Dropout extends Module {
    private final double p;
    private final SeededRandom rng;

    public Dropout(double p, SeededRandom rng) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    /** The drop probability p (training mode only). */
    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0.0) {
            return x;
        }
        float keep = p == 1.0 ? 0f : (float) (1.0 / (1.0 - p));
        float[] mask = new float[x.numel()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() >= p ? keep : 0f;
        }
        return x.mul(Tensor.wrap(mask, x.shape()));
    }

    @Override
    public String spec() {
        return "Dropout(p=" + p + ")";
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
