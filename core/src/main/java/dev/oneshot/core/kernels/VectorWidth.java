package dev.oneshot.core.kernels;

import java.util.function.IntSupplier;

import jdk.incubator.vector.FloatVector;

/**
 * The bit width of the preferred float vector of this CPU (e.g. 256 or 512), for
 * {@link VectorSupport#path()}. It names the Vector API, so {@link VectorSupport} loads it by
 * name like the kernels; that it can be created at all is the test that the Vector API works.
 */
final class VectorWidth implements IntSupplier {
    private final int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize(); // fails here if the API does not work

    @Override
    public int getAsInt() {
        return bits;
    }
}
