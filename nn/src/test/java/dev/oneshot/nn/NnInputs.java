package dev.oneshot.nn;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

/**
 * Seeded gradient-check inputs, the nn twin of core's test helper {@code Inputs} (the core
 * test jar is not on this module's classpath): values kept further than the checker's step
 * from kinks such as ReLU's 0.
 */
public final class NnInputs {
    private NnInputs() {
    }

    /** Magnitudes in [0.2, 1.5] with random signs, requiresGrad. */
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

    /** Distinct values on a grid of spacing 0.1 around offset, random order: no ties for max pooling. */
    public static Tensor distinct(long seed, float offset, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        int[] perm = new SeededRandom(seed).permutation(d.length);
        for (int i = 0; i < d.length; i++) {
            d[i] = (perm[i] - d.length / 2) * 0.1f + offset;
        }
        return t.requiresGrad(true);
    }

    /**
     * Runs a fresh module from {@code factory} on {@code t[0]}, with its parameters
     * {@code names[i]} replaced by {@code t[i + 1]}: a gradient check then sees the layer as
     * a function of its input and its parameters.
     */
    public static Tensor withParams(java.util.function.Supplier<Module> factory, String[] names, Tensor[] t) {
        Module m = factory.get();
        for (int i = 0; i < names.length; i++) {
            m.setParameter(names[i], t[i + 1]);
        }
        return m.forward(t[0]);
    }
}
