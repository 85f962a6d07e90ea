package dev.oneshot.nn;

import dev.oneshot.core.gradcheck.KinkFreeInputs;
import dev.oneshot.core.tensor.Tensor;

/**
 * Gradient-check helpers for layers: core's {@link KinkFreeInputs} under short names, and
 * {@link #withParams} to check a layer as a function of its input and its parameters.
 */
public final class NnInputs {
    private NnInputs() {
    }

    /** See {@link KinkFreeInputs#away}. */
    public static Tensor away(long seed, int... shape) {
        return KinkFreeInputs.away(seed, shape);
    }

    /** See {@link KinkFreeInputs#distinct}. */
    public static Tensor distinct(long seed, float offset, int... shape) {
        return KinkFreeInputs.distinct(seed, offset, shape);
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
