package dev.oneshot.core.kernels;

/**
 * One implementation of the single-thread GEMM rectangle behind {@link Gemm}: the scalar,
 * auto-vectorised {@link GemmKernel}, or {@code VectorGemmKernel} (JDK Vector API), which only
 * {@link VectorSupport#load} loads, by name, when the {@code jdk.incubator.vector} module is
 * in the boot layer.
 */
interface GemmPath {
    /** Row bands given to threads are multiples of this (the micro-kernel's rows). */
    int rowGrain();

    /** Column bands given to threads are multiples of this (the micro-kernel's columns). */
    int columnGrain();

    /**
     * Computes rows [i0, i1) and columns [j0, j1) of C (arguments as in {@link Gemm#multiply});
     * requires k &gt; 0. Only that rectangle of C is read or written. Each element of C is
     * summed over k in order 0, 1, ..., k-1, so the result does not depend on the rectangle.
     */
    void compute(boolean transA, boolean transB, int m, int n, int k,
                 float[] a, int aOffset, float[] b, int bOffset,
                 float[] c, int cOffset, boolean accumulate,
                 int i0, int i1, int j0, int j1);

    /**
     * Floats that {@link #packA} writes for an m×k op(A), or −1 when this kernel does not
     * pre-pack (then {@link #packA} and {@link #computePackedA} are not to be called).
     */
    default int packedASize(int m, int k) {
        return -1;
    }

    /** op(A) (m×k, arguments as in {@link Gemm#multiply}) packed once for many products into dst. */
    default void packA(boolean transA, int m, int k, float[] a, int aOffset, float[] dst, int dstOffset) {
        throw new UnsupportedOperationException("this GEMM kernel does not pre-pack A");
    }

    /**
     * Columns [j0, j1) of C = op(A)·op(B) (or C +=), every row, with op(A) from {@link #packA}:
     * bit for bit {@link #compute} on the unpacked A.
     */
    default void computePackedA(float[] ap, int apOffset, boolean transB, int m, int n, int k, float[] b,
                                int bOffset, float[] c, int cOffset, boolean accumulate, int j0, int j1) {
        throw new UnsupportedOperationException("this GEMM kernel does not pre-pack A");
    }
}
