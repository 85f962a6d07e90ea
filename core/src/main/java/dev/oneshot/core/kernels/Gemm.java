package dev.oneshot.core.kernels;

/**
 * General matrix multiply on row-major float arrays:
 * <pre>  C = op(A)·op(B)        (accumulate = false)
 *   C = C + op(A)·op(B)    (accumulate = true)</pre>
 * where op(X) is X or Xᵀ. op(A) is m×k, op(B) is k×n, C is m×n. A is stored as m×k
 * (or k×m when {@code transA}), B as k×n (or n×k when {@code transB}); each matrix is
 * contiguous from its offset. Backward uses the transposed forms, so no transpose is ever
 * materialised: for C = A·B, ∂A = ∂C·Bᵀ and ∂B = Aᵀ·∂C.
 *
 * <p>The work is done by one of two kernels (each javadoc explains its blocking scheme):
 * {@code VectorGemmKernel}, a register-tiled micro-kernel written with the JDK Vector API, used
 * when {@link VectorSupport#enabled()} (the module is present and not switched off: see there);
 * otherwise {@link GemmKernel} (blocked, packed, scalar loops auto-vectorised by the JIT). The
 * two round differently (fused multiply-add vs multiply then add); each is deterministic. {@link #kernel()} names the one in use. Large products (m·n·k &gt; 2²¹) are split into
 * disjoint blocks of rows (or of columns, when C is wide) of C, one per thread, on a small
 * shared pool of daemon threads. Each element of C is always summed over k in the same order,
 * so results are bitwise identical whatever the thread count.
 *
 * <p>Thread count: {@link #setThreads(int)}, or the system property {@code oneshot.threads}, or the
 * environment variable {@code ONESHOT_THREADS};
 * default = available processors.
 */
public final class Gemm {
    /** Products with m·n·k at or below this run on the calling thread only. */
    static final long PARALLEL_THRESHOLD = 1L << 21;
    /** The Vector API kernel, or null when the module is absent or the class fails to load. */
    private static final GemmPath VECTOR = VectorSupport.load(GemmPath.class, "VectorGemmKernel");

    /** Whether products run on the Vector API kernel (fused multiply-add) now. */
    static boolean vectorInUse() {
        return VectorSupport.ifEnabled(VECTOR) != null;
    }

    private Gemm() {
    }

    /**
     * C = op(A)·op(B), or C += op(A)·op(B) when {@code accumulate}.
     *
     * @param transA     use Aᵀ (A is stored k×m) instead of A (stored m×k)
     * @param transB     use Bᵀ (B is stored n×k) instead of B (stored k×n)
     * @param m          rows of op(A) and of C
     * @param n          columns of op(B) and of C
     * @param k          columns of op(A) = rows of op(B); when 0, C is zeroed (or left as is
     *                   when accumulating)
     * @param a          A's data, read from {@code aOffset}; not modified
     * @param aOffset    index of A's first element in {@code a}
     * @param b          B's data, read from {@code bOffset}; not modified
     * @param bOffset    index of B's first element in {@code b}
     * @param c          C's data, m·n elements from {@code cOffset}; modified (must not overlap
     *                   A or B)
     * @param cOffset    index of C's first element in {@code c}
     * @param accumulate add the product to C's current contents instead of overwriting them
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOffset, float[] b, int bOffset,
                                float[] c, int cOffset, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkRange("C", c, cOffset, (long) m * n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                java.util.Arrays.fill(c, cOffset, cOffset + m * n, 0f);
            }
            return;
        }
        checkRange("A", a, aOffset, (long) m * k);
        checkRange("B", b, bOffset, (long) k * n);

        int threads = Parallel.threads();
        GemmPath kernel = path();
        if (threads == 1 || (long) m * n * k <= PARALLEL_THRESHOLD) {
            kernel.compute(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate, 0, m, 0, n);
        } else if (m >= n) { // tall: each thread takes a band of rows (a multiple of the kernel's rows)
            int chunk = roundUp(ceilDiv(m, threads), kernel.rowGrain());
            Parallel.run(ceilDiv(m, chunk), part -> kernel.compute(transA, transB, m, n, k,
                    a, aOffset, b, bOffset, c, cOffset, accumulate,
                    part * chunk, Math.min(m, (part + 1) * chunk), 0, n));
        } else {             // wide: each thread takes a band of columns
            int chunk = roundUp(ceilDiv(n, threads), kernel.columnGrain());
            Parallel.run(ceilDiv(n, chunk), part -> kernel.compute(transA, transB, m, n, k,
                    a, aOffset, b, bOffset, c, cOffset, accumulate,
                    0, m, part * chunk, Math.min(n, (part + 1) * chunk)));
        }
    }

    /**
     * Single-thread rectangle [i0, i1) × [j0, j1) of C with the kernel in use (no checks; k &gt; 0),
     * for kernels that split work themselves (convolution).
     */
    static void block(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset,
                      float[] b, int bOffset, float[] c, int cOffset, boolean accumulate,
                      int i0, int i1, int j0, int j1) {
        path().compute(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate, i0, i1, j0, j1);
    }

    /**
     * The kernel in use when it can pack an A once for many products ({@link GemmPath#packA},
     * {@link GemmPath#computePackedA}: the Vector API kernel), else null. Callers keep the one
     * returned for both calls.
     */
    static GemmPath prepacking() {
        GemmPath p = path();
        return p.packedASize(1, 1) > 0 ? p : null;
    }

    /**
     * The kernel in use: {@code "vector-<bits>"} (JDK Vector API, e.g. {@code vector-512}) or
     * {@code "scalar"} (auto-vectorised Java loops). {@link VectorSupport#use} switches it.
     */
    public static String kernel() {
        return VectorSupport.pathOf(VECTOR);
    }

    private static GemmPath path() {
        GemmPath vector = VectorSupport.ifEnabled(VECTOR);
        return vector != null ? vector : GemmKernel.PATH;
    }

    /** Sets the number of threads used for large products (1 = single-threaded). */
    public static void setThreads(int threads) {
        Parallel.setThreads(threads);
    }

    /** The number of threads used for large products. */
    public static int threads() {
        return Parallel.threads();
    }

    private static void checkRange(String name, float[] array, int offset, long length) {
        if (offset < 0 || offset + length > array.length) {
            throw new IndexOutOfBoundsException("gemm: " + name + " needs " + length + " elements from offset "
                    + offset + " but the array has " + array.length);
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
