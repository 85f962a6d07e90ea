package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every Vector API kernel uses: the CPU's preferred float vector (8 lanes with
 * AVX2, 16 with AVX-512), unless the system property {@value #PROPERTY} names another width in
 * bits (64, 128, 256 or 512). The kernels take other paths at other widths (the GEMM's micro-kernel
 * has 6 rows below 16 lanes and 8 from 16; batch norm scatters its pooled gradient only with 16),
 * so core's test suite runs them once more at the width the host does not prefer (core/pom.xml):
 * 256 bits on an AVX-512 host runs natively, 512 bits on an AVX2 host runs the Vector API's Java
 * stand-in — slow, but the same arithmetic lane for lane. A width wider than the CPU's is for
 * tests only; it is reported on stderr. Read once, when the first kernel loads.
 */
final class KernelSpecies {
    /** The system property that overrides the vector width, in bits. */
    static final String PROPERTY = "oneshot.vector.bits";

    /** The float species of every Vector API kernel. */
    static final VectorSpecies<Float> FLOAT = choose(System.getProperty(PROPERTY));
    /** The int species with as many lanes as {@link #FLOAT} (indices, arg-max positions). */
    static final VectorSpecies<Integer> INT = IntVector.SPECIES_PREFERRED.length() == FLOAT.length()
            ? IntVector.SPECIES_PREFERRED : VectorSpecies.of(int.class, FLOAT.vectorShape());

    private KernelSpecies() {
    }

    /** The species for the property's value: the preferred one when unset, or when the value is not a width. */
    static VectorSpecies<Float> choose(String bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == null || bits.isBlank()) {
            return preferred;
        }
        VectorShape shape = switch (bits.strip()) {
            case "64" -> VectorShape.S_64_BIT;
            case "128" -> VectorShape.S_128_BIT;
            case "256" -> VectorShape.S_256_BIT;
            case "512" -> VectorShape.S_512_BIT;
            default -> null;
        };
        if (shape == null) {
            System.err.println("oneshot: system property " + PROPERTY + " must be 64, 128, 256 or 512, got \"" + bits
                    + "\"; the kernels use this CPU's " + preferred.vectorBitSize() + "-bit vectors");
            return preferred;
        }
        VectorSpecies<Float> chosen = FloatVector.SPECIES_PREFERRED.withShape(shape);
        if (chosen.vectorBitSize() > preferred.vectorBitSize()) {
            System.err.println("oneshot: " + PROPERTY + "=" + bits.strip() + " is wider than this CPU's "
                    + preferred.vectorBitSize() + "-bit vectors; the kernels run on the Vector API's slow Java stand-in"
                    + " (meant for tests)");
        }
        return chosen;
    }
}
