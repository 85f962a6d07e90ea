package dev.oneshot.core.kernels;

import java.util.function.IntSupplier;

/**
 * The bit width of the kernels' float vector ({@link KernelSpecies#FLOAT}: this CPU's preferred
 * one, e.g. 256 or 512, unless overridden), for
 * {@link VectorSupport#path()}. It names the Vector API, so {@link VectorSupport} loads it by
 * name like the kernels; that it can be created at all is the test that the Vector API works.
 */
final class VectorWidth implements IntSupplier {
    private final int bits = KernelSpecies.FLOAT.vectorBitSize(); // fails here if the API does not work

    @Override
    public int getAsInt() {
        return bits;
    }
}
