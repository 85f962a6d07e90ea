package dev.oneshot.core.gradcheck;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

/**
 * Seeded inputs for {@link GradCheck} that keep every element further than the checker's step
 * (10⁻²) from the kinks of the ops under test: 0 for ReLU and |x|, ties for max and pooling,
 * clamp bounds. A finite difference taken across a kink measures neither side's derivative, so
 * a check there would fail a correct backward. Each returns a leaf with {@code requiresGrad} set.
 */
public final class KinkFreeInputs {
    private KinkFreeInputs() {
    }

    /** Magnitudes in [0.2, 1.5] with random signs: away from 0. */
    public static Tensor away(long seed, int... shape) {
        SeededRandom rng = new SeededRandom(seed);
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            float mag = (float) (0.2 + 1.3 * rng.nextDouble());
            d[i] = rng.nextDouble() < 0.5 ? -mag : mag;
        }
        return t.requiresGrad(true);
    }

    /** Values in [0.5, 2]: safe for log, sqrt, division. */
    public static Tensor positive(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        new SeededRandom(seed).fillUniform(t.data(), 0.5f, 2f);
        return t.requiresGrad(true);
    }

    /**
     * Distinct values on a grid of spacing 0.1 shifted by {@code offset}, in random order:
     * no two elements closer than 0.1, so max/min/pooling have no ties within the step.
     */
    public static Tensor distinct(long seed, float offset, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        int[] perm = new SeededRandom(seed).permutation(d.length);
        for (int i = 0; i < d.length; i++) {
            d[i] = (perm[i] - d.length / 2) * 0.1f + offset;
        }
        return t.requiresGrad(true);
    }

    /** base + away(seed): every element at least 0.2 from base's, so |x − y| has no kink nearby. */
    public static Tensor shiftedAway(Tensor base, long seed) {
        Tensor shift = away(seed, base.shape());
        float[] d = shift.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += base.data()[i];
        }
        return shift;
    }
}
