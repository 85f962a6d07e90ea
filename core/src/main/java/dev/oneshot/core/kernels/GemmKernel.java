package dev.oneshot.core.kernels;

/**
 * The blocked, packed single-thread GEMM kernel behind {@link Gemm}. It computes one
 * rectangle C[i0..i1) × [j0..j1) of the output over the whole k range; {@link Gemm} hands
 * disjoint rectangles to different threads.
 *
 * <h2>Blocking scheme</h2>
 * <pre>
 * for each column block jc of C, at most NC = 256 columns wide  (C tile width)
 *   for each k block pc, KC = 256 deep                            (B panel fits in L2)
 *     pack op(B)[pc..pc+kc, jc..jc+nb] into bRows[p][j]           (one float[] per k row)
 *     for each group of MR = 4 rows i of C                        (register/L1 blocking)
 *       pack op(A)[i..i+4, pc..pc+kc] into aPanel[4·p + r]
 *       copy the 4 C row segments into 4 small accumulator arrays (or zero them)
 *       for p in 0..kc:                                           (micro-kernel)
 *         b = bRows[p]
 *         for j in 0..nb:  acc_r[j] += a_r,p · b[j]   (r = 0..3: one load of b feeds 4 rows)
 *       copy the accumulators back into C
 * </pre>
 *
 * <p><b>Why this layout.</b> The innermost j loop is a plain unit-stride loop that the
 * HotSpot C2 compiler turns into SIMD code (AVX/NEON) — but only if it can prove the loads
 * and stores do not overlap. C2 compares array accesses by their index expressions: when all
 * of them are {@code x[j]} with the same (zero) offset it knows they are independent lane by
 * lane; when one of them is {@code x[off + j]} with a run-time {@code off} (for example two rows
 * of one flat {@code float[]}) it gives up and emits scalar code, about 10× slower. Hence B is
 * repacked into separate row arrays and C rows are accumulated in separate small arrays, all
 * indexed by plain {@code j}. Packing also turns every transpose into a copy, so the four
 * transpose variants run the same inner loop.
 *
 * <p><b>Determinism.</b> Every element of C is computed as {@code c += a·b} for p = 0, 1, ...,
 * k-1 in order (a multiply and an add, each rounded, whether in a SIMD lane or a scalar
 * remainder loop), so the result does not depend on how rows or columns are split between
 * threads.
 */
final class GemmKernel {
    /** Rows of C updated together by the micro-kernel. */
    static final int MR = 4;
    /** Columns of C per block (the accumulator length). */
    static final int NC = 256;
    /** Depth of a k block (rows of packed B). */
    static final int KC = 256;
    /** Column blocks at least this wide use {@link #kernel4}/{@link #kernel1}, narrower ones the copies. */
    static final int WIDE = 64;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread packing buffers, reused across calls (about 260 KB). */
    private static final class Scratch {
        final float[][] bRows = new float[KC][NC];
        final float[] aPanel = new float[MR * KC];
        final float[] c0 = new float[NC];
        final float[] c1 = new float[NC];
        final float[] c2 = new float[NC];
        final float[] c3 = new float[NC];
    }

    /** This kernel as a {@link GemmPath}. */
    static final GemmPath PATH = new GemmPath() {
        @Override
        public int rowGrain() {
            return MR;
        }

        @Override
        public int columnGrain() {
            return 16;
        }

        @Override
        public void compute(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset,
                            float[] b, int bOffset, float[] c, int cOffset, boolean accumulate,
                            int i0, int i1, int j0, int j1) {
            GemmKernel.compute(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate, i0, i1, j0, j1);
        }
    };

    private GemmKernel() {
    }

    /**
     * Computes rows [i0, i1) and columns [j0, j1) of C (arguments as in {@link Gemm#multiply});
     * requires k &gt; 0. Only that rectangle of C is read or written.
     */
    static void compute(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int aOffset, float[] b, int bOffset,
                        float[] c, int cOffset, boolean accumulate,
                        int i0, int i1, int j0, int j1) {
        Scratch s = SCRATCH.get();
        float[][] bRows = s.bRows;
        float[] ap = s.aPanel;
        // equal-width column blocks, so that no block is needlessly narrow
        int blocks = (j1 - j0 + NC - 1) / NC;
        int width = (j1 - j0 + blocks - 1) / blocks;
        for (int jc = j0; jc < j1; jc += width) {
            int nb = Math.min(width, j1 - jc);
            boolean wide = nb >= WIDE;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean load = accumulate || pc > 0;
                packB(transB, n, k, b, bOffset, pc, kc, jc, nb, bRows);
                int i = i0;
                for (; i + MR <= i1; i += MR) {
                    packA(transA, m, k, a, aOffset, i, MR, pc, kc, ap);
                    int row = cOffset + i * n + jc;
                    loadRow(c, row, nb, s.c0, load);
                    loadRow(c, row + n, nb, s.c1, load);
                    loadRow(c, row + 2 * n, nb, s.c2, load);
                    loadRow(c, row + 3 * n, nb, s.c3, load);
                    if (wide) {
                        kernel4(ap, bRows, kc, nb, s.c0, s.c1, s.c2, s.c3);
                    } else {
                        kernel4Narrow(ap, bRows, kc, nb, s.c0, s.c1, s.c2, s.c3);
                    }
                    System.arraycopy(s.c0, 0, c, row, nb);
                    System.arraycopy(s.c1, 0, c, row + n, nb);
                    System.arraycopy(s.c2, 0, c, row + 2 * n, nb);
                    System.arraycopy(s.c3, 0, c, row + 3 * n, nb);
                }
                for (; i < i1; i++) { // leftover rows, one at a time
                    packA(transA, m, k, a, aOffset, i, 1, pc, kc, ap);
                    int row = cOffset + i * n + jc;
                    loadRow(c, row, nb, s.c0, load);
                    if (wide) {
                        kernel1(ap, bRows, kc, nb, s.c0);
                    } else {
                        kernel1Narrow(ap, bRows, kc, nb, s.c0);
                    }
                    System.arraycopy(s.c0, 0, c, row, nb);
                }
            }
        }
    }

    private static void loadRow(float[] c, int from, int nb, float[] acc, boolean load) {
        if (load) {
            System.arraycopy(c, from, acc, 0, nb);
        } else {
            java.util.Arrays.fill(acc, 0, nb, 0f);
        }
    }

    /** bRows[p][j] = op(B)[pc + p][jc + j] for p &lt; kc, j &lt; nb. */
    private static void packB(boolean transB, int n, int k, float[] b, int bOffset,
                              int pc, int kc, int jc, int nb, float[][] bRows) {
        if (!transB) { // B is k×n: each packed row is a contiguous slice
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOffset + (pc + p) * n + jc, bRows[p], 0, nb);
            }
        } else {       // B is n×k: read along B's rows (contiguous in k), scatter into packed rows
            for (int j = 0; j < nb; j++) {
                int src = bOffset + (jc + j) * k + pc;
                for (int p = 0; p < kc; p++) {
                    bRows[p][j] = b[src + p];
                }
            }
        }
    }

    /** ap[rows·p + r] = op(A)[i + r][pc + p] for r &lt; rows, p &lt; kc. */
    private static void packA(boolean transA, int m, int k, float[] a, int aOffset,
                              int i, int rows, int pc, int kc, float[] ap) {
        if (!transA) { // A is m×k
            for (int r = 0; r < rows; r++) {
                int src = aOffset + (i + r) * k + pc;
                for (int p = 0; p < kc; p++) {
                    ap[rows * p + r] = a[src + p];
                }
            }
        } else {       // A is k×m: the rows values for one p are adjacent
            for (int p = 0; p < kc; p++) {
                int src = aOffset + (pc + p) * m + i;
                for (int r = 0; r < rows; r++) {
                    ap[rows * p + r] = a[src + r];
                }
            }
        }
    }

    /** The micro-kernel: acc_r[j] += ap[4p + r] · bRows[p][j]; the j loop is auto-vectorised. */
    private static void kernel4(float[] ap, float[][] bRows, int kc, int nb,
                                float[] c0, float[] c1, float[] c2, float[] c3) {
        for (int p = 0; p < kc; p++) {
            float a0 = ap[4 * p];
            float a1 = ap[4 * p + 1];
            float a2 = ap[4 * p + 2];
            float a3 = ap[4 * p + 3];
            float[] bp = bRows[p];
            for (int j = 0; j < nb; j++) {
                float bj = bp[j];
                c0[j] += a0 * bj;
                c1[j] += a1 * bj;
                c2[j] += a2 * bj;
                c3[j] += a3 * bj;
            }
        }
    }

    /** One-row version of {@link #kernel4}, for the rows left over when m is not a multiple of 4. */
    private static void kernel1(float[] ap, float[][] bRows, int kc, int nb, float[] c0) {
        for (int p = 0; p < kc; p++) {
            float a0 = ap[p];
            float[] bp = bRows[p];
            for (int j = 0; j < nb; j++) {
                c0[j] += a0 * bp[j];
            }
        }
    }

    // The two copies below are identical to kernel4/kernel1 on purpose. C2 decides how far to
    // unroll (and so whether to vectorise) a loop from the trip counts profiled before it
    // compiles the method; if a program first makes many products with a tiny n, one shared
    // kernel would be compiled as scalar code for good. Narrow blocks therefore run in their
    // own methods, so the profile of the main kernels only ever sees wide blocks.

    private static void kernel4Narrow(float[] ap, float[][] bRows, int kc, int nb,
                                      float[] c0, float[] c1, float[] c2, float[] c3) {
        for (int p = 0; p < kc; p++) {
            float a0 = ap[4 * p];
            float a1 = ap[4 * p + 1];
            float a2 = ap[4 * p + 2];
            float a3 = ap[4 * p + 3];
            float[] bp = bRows[p];
            for (int j = 0; j < nb; j++) {
                float bj = bp[j];
                c0[j] += a0 * bj;
                c1[j] += a1 * bj;
                c2[j] += a2 * bj;
                c3[j] += a3 * bj;
            }
        }
    }

    private static void kernel1Narrow(float[] ap, float[][] bRows, int kc, int nb, float[] c0) {
        for (int p = 0; p < kc; p++) {
            float a0 = ap[p];
            float[] bp = bRows[p];
            for (int j = 0; j < nb; j++) {
                c0[j] += a0 * bp[j];
            }
        }
    }
}
