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
}
