package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM rectangle with the JDK Vector API ({@code jdk.incubator.vector}): a register-tiled
 * micro-kernel over packed panels. Never referenced by name from other classes: {@link Gemm}
 * loads it through {@link VectorSupport#load}, only when the module is in the boot layer, so
 * the library runs without the module.
 *
 * <h2>Blocking scheme</h2>
 * <pre>
 * for each column block jc of C, NC wide
 *   for each k block pc, KC deep
 *     pack op(B)[pc.., jc..] into strips of NR = 2 vectors: bp[strip][p][0..NR)   (in L2)
 *     for each group of MR = 8 rows i of C
 *       pack op(A)[i..i+8, pc..] into ap[p][0..8)                                 (in L1)
 *       for each strip: the micro-kernel
 *         16 accumulators c[r][v] (8 rows × 2 vectors of C) live in registers:
 *         for p in 0..kc:  b0, b1 = bp[strip][p];  c[r][v] = fma(ap[p][r], b_v, c[r][v])
 * </pre>
 * Per k step: 2 vector loads, 8 broadcasts, 16 FMAs. Where vectors are narrower than 512 bits
 * (AVX2: 16 vector registers, not 32) MR is 6: 12 accumulators, 2 of B and a broadcast fit.
 * Partial tiles (m or n not a multiple of MR rows / NR columns) run the same micro-kernel on a
 * small tile buffer; packed panels are zero-padded.
 *
 * <p><b>Determinism.</b> Every element of C is {@code c = fma(a, b, c)} for p = 0, 1, ...,
 * k-1 in order (one rounding per step, unlike the scalar path's multiply-then-add), whatever
 * the blocking or the rectangle, so results do not depend on the thread count.
 */
final class VectorGemmKernel implements GemmPath {
    private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
    private static final int VL = S.length();
    /**
     * Rows of C per micro-kernel: 8 where vectors are 512 bits wide (AVX-512 has 32 vector
     * registers: 16 accumulators, 2 of B and a broadcast fit), 6 where they are narrower (AVX2
     * has 16: 8 rows would spill accumulators to the stack every k step, at half the speed).
     */
    static final int MR = VL >= 16 ? 8 : 6;
    /** Columns of C per micro-kernel (two vectors). */
    static final int NR = 2 * VL;
    /** Depth of a k block. */
    static final int KC = 256;
    /** Columns per block of packed B (a multiple of NR, about 512). */
    static final int NC = NR * Math.max(1, 512 / NR);

    /** Up to this many columns of C (two strips), a row-major A is read in place, not packed. */
    static final int IN_PLACE_A_MAX_COLUMNS = 2 * NR;

    /**
     * {@link #transpose16}'s stage constants for a block of b = 1, 2, 4, 8 lanes: UPb moves lane
     * l − b to lane l and DOWNb lane l + b to lane l (where those lanes are used), BITb marks the
     * lanes l with bit b set.
     */
    private static final VectorShuffle<Float> UP1 = shift(1, true);
    private static final VectorShuffle<Float> UP2 = shift(2, true);
    private static final VectorShuffle<Float> UP4 = shift(4, true);
    private static final VectorShuffle<Float> UP8 = shift(8, true);
    private static final VectorShuffle<Float> DOWN1 = shift(1, false);
    private static final VectorShuffle<Float> DOWN2 = shift(2, false);
    private static final VectorShuffle<Float> DOWN4 = shift(4, false);
    private static final VectorShuffle<Float> DOWN8 = shift(8, false);
    private static final VectorMask<Float> BIT1 = bit(1);
    private static final VectorMask<Float> BIT2 = bit(2);
    private static final VectorMask<Float> BIT4 = bit(4);
    private static final VectorMask<Float> BIT8 = bit(8);

    /** Lane l takes lane l − b (up) or l + b (down) where that lane exists, else its own. */
    private static VectorShuffle<Float> shift(int b, boolean up) {
        int[] from = new int[VL];
        for (int l = 0; l < VL; l++) {
            int o = up ? l - b : l + b;
            from[l] = o >= 0 && o < VL ? o : l;
        }
        return VectorShuffle.fromArray(S, from, 0);
    }

    /** The lanes whose index has bit b set. */
    private static VectorMask<Float> bit(int b) {
        boolean[] set = new boolean[VL];
        for (int l = 0; l < VL; l++) {
            set[l] = (l & b) != 0;
        }
        return VectorMask.fromArray(S, set, 0);
    }

    /** The start values of a tile that overwrites C (read only). */
    private static final float[] ZEROS = new float[MR * NR];

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread packing buffers, reused across calls (about 530 KB). */
    private static final class Scratch {
        final float[] bp = new float[KC * NC];
        final float[] ap = new float[MR * KC];
        final float[] tile = new float[MR * NR];
    }

    @Override
    public int rowGrain() {
        return MR;
    }

    @Override
    public int columnGrain() {
        return NR;
    }

    @Override
    public void compute(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int aOffset, float[] b, int bOffset,
                        float[] c, int cOffset, boolean accumulate,
                        int i0, int i1, int j0, int j1) {
        blocks(null, 0, transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate, i0, i1, j0, j1);
    }

    /**
     * The blocked loops of {@link #compute} and {@link #computePackedA}: per block of NC columns
     * and KC of depth, B packed, then per band of MR rows op(A)'s panel — packed here, or taken
     * from {@code packed} (then i0 = 0) — and the micro-kernel along the strips.
     */
    private static void blocks(float[] packed, int packedOffset, boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset,
                               boolean accumulate, int i0, int i1, int j0, int j1) {
        Scratch s = SCRATCH.get();
        float[] bp = s.bp;
        int mPad = (m + MR - 1) / MR * MR;
        // A row-major panel used by one or two strips is read in place: packing it would cost
        // as much as the multiplications it feeds (∂W-type products: C small, k long).
        boolean inPlace = packed == null && !transA && j1 - j0 <= IN_PLACE_A_MAX_COLUMNS;
        for (int jc = j0; jc < j1; jc += NC) {
            int nb = Math.min(NC, j1 - jc);
            int strips = (nb + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean load = accumulate || pc > 0;
                packB(transB, n, k, b, bOffset, pc, kc, jc, nb, bp);
                for (int i = i0; i < i1; i += MR) {
                    int rows = Math.min(MR, i1 - i);
                    float[] ap = packed;
                    int ao = packedOffset + pc * mPad + i * kc;
                    boolean aInPlace = inPlace && rows == MR;
                    if (aInPlace) {
                        ap = a;
                        ao = aOffset + i * k + pc;
                    } else if (packed == null) {
                        ap = s.ap;
                        ao = 0;
                        packA(transA, m, k, a, aOffset, i, rows, pc, kc, ap);
                    }
                    for (int st = 0; st < strips; st++) {
                        int j = jc + st * NR;
                        int cols = Math.min(NR, jc + nb - j);
                        int at = cOffset + i * n + j;
                        if (rows == MR && cols == NR) {
                            if (aInPlace) {
                                microInPlaceA(kc, a, ao, k, bp, st * NR * kc, c, at, n, load);
                            } else {
                                micro(kc, ap, ao, bp, st * NR * kc, c, at, n, load);
                            }
                        } else {
                            if (aInPlace) { // the edge tile runs on the packed panel
                                ap = s.ap;
                                ao = 0;
                                aInPlace = false;
                                packA(transA, m, k, a, aOffset, i, rows, pc, kc, ap);
                            }
                            edge(kc, ap, ao, bp, st * NR * kc, c, at, n, rows, cols, load, s.tile);
                        }
                    }
                }
            }
        }
    }

    @Override
    public int packedASize(int m, int k) {
        return (m + MR - 1) / MR * MR * k;
    }

    /**
     * op(A) in the panels {@link #compute} packs for each block of C, all of them: for each k
     * block pc (KC deep), for each band of MR rows i, the panel ap[p·MR + r] at
     * dst + pc·m' + (i/MR)·MR·kc (m' = m rounded up to MR).
     */
    @Override
    public void packA(boolean transA, int m, int k, float[] a, int aOffset, float[] dst, int dstOffset) {
        float[] ap = SCRATCH.get().ap;
        int mPad = (m + MR - 1) / MR * MR;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int i = 0; i < m; i += MR) {
                packA(transA, m, k, a, aOffset, i, Math.min(MR, m - i), pc, kc, ap);
                System.arraycopy(ap, 0, dst, dstOffset + pc * mPad + i * kc, MR * kc);
            }
        }
    }

    @Override
    public void computePackedA(float[] ap, int apOffset, boolean transB, int m, int n, int k, float[] b,
                               int bOffset, float[] c, int cOffset, boolean accumulate, int j0, int j1) {
        blocks(ap, apOffset, false, transB, m, n, k, null, 0, b, bOffset, c, cOffset, accumulate, 0, m, j0, j1);
    }

    /** A partial tile: C's rows × cols copied into the MR × NR buffer, the micro-kernel, copied back. */
    private static void edge(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int at, int ldc,
                             int rows, int cols, boolean load, float[] tile) {
        if (load) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, at + r * ldc, tile, r * NR, cols);
            }
        }
        micro(kc, ap, ao, bp, bo, tile, 0, NR, load);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * NR, c, at + r * ldc, cols);
        }
    }

    /** C[MR × NR] at {@code c[co..]} (row stride ldc) = (load ? C : 0) + ap-panel (from ao) · bp-strip. */
    private static void micro(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                              boolean load) {
        if (MR == 8) { // a constant: the JIT keeps one branch
            micro8(kc, ap, ao, bp, bo, c, co, ldc, load);
        } else {
            micro6(kc, ap, ao, bp, bo, c, co, ldc, load);
        }
    }

    /** {@link #micro} with A read in place: row r of the MR at {@code a[ao + r·lda ..]}. */
    private static void microInPlaceA(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] c, int co,
                                      int ldc, boolean load) {
        if (MR == 8) {
            microInPlaceA8(kc, a, ao, lda, bp, bo, c, co, ldc, load);
        } else {
            microInPlaceA6(kc, a, ao, lda, bp, bo, c, co, ldc, load);
        }
    }

    /** C[8 × NR] at {@code c[co..]} (row stride ldc) = (load ? C : 0) + ap-panel (from ao) · bp-strip. */
    private static void micro8(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                              boolean load) {
        // No branch on `load`: a branch that profiling never saw taken becomes an uncommon trap,
        // and a later deoptimisation sends this method back to code where every Vector API call
        // allocates. The start values come from C or from a tile of zeros.
        float[] src = load ? c : ZEROS;
        int so = load ? co : 0;
        int ld = load ? ldc : NR;
        FloatVector c00 = FloatVector.fromArray(S, src, so);
        FloatVector c01 = FloatVector.fromArray(S, src, so + VL);
        FloatVector c10 = FloatVector.fromArray(S, src, so + ld);
        FloatVector c11 = FloatVector.fromArray(S, src, so + ld + VL);
        FloatVector c20 = FloatVector.fromArray(S, src, so + 2 * ld);
        FloatVector c21 = FloatVector.fromArray(S, src, so + 2 * ld + VL);
        FloatVector c30 = FloatVector.fromArray(S, src, so + 3 * ld);
        FloatVector c31 = FloatVector.fromArray(S, src, so + 3 * ld + VL);
        FloatVector c40 = FloatVector.fromArray(S, src, so + 4 * ld);
        FloatVector c41 = FloatVector.fromArray(S, src, so + 4 * ld + VL);
        FloatVector c50 = FloatVector.fromArray(S, src, so + 5 * ld);
        FloatVector c51 = FloatVector.fromArray(S, src, so + 5 * ld + VL);
        FloatVector c60 = FloatVector.fromArray(S, src, so + 6 * ld);
        FloatVector c61 = FloatVector.fromArray(S, src, so + 6 * ld + VL);
        FloatVector c70 = FloatVector.fromArray(S, src, so + 7 * ld);
        FloatVector c71 = FloatVector.fromArray(S, src, so + 7 * ld + VL);
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + VL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + VL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + VL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + VL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + VL);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + VL);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + VL);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + VL);
    }

    /** C[6 × NR] at {@code c[co..]} (row stride ldc) = (load ? C : 0) + ap-panel (from ao) · bp-strip. */
    private static void micro6(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                              boolean load) {
        // No branch on `load`: a branch that profiling never saw taken becomes an uncommon trap,
        // and a later deoptimisation sends this method back to code where every Vector API call
        // allocates. The start values come from C or from a tile of zeros.
        float[] src = load ? c : ZEROS;
        int so = load ? co : 0;
        int ld = load ? ldc : NR;
        FloatVector c00 = FloatVector.fromArray(S, src, so);
        FloatVector c01 = FloatVector.fromArray(S, src, so + VL);
        FloatVector c10 = FloatVector.fromArray(S, src, so + ld);
        FloatVector c11 = FloatVector.fromArray(S, src, so + ld + VL);
        FloatVector c20 = FloatVector.fromArray(S, src, so + 2 * ld);
        FloatVector c21 = FloatVector.fromArray(S, src, so + 2 * ld + VL);
        FloatVector c30 = FloatVector.fromArray(S, src, so + 3 * ld);
        FloatVector c31 = FloatVector.fromArray(S, src, so + 3 * ld + VL);
        FloatVector c40 = FloatVector.fromArray(S, src, so + 4 * ld);
        FloatVector c41 = FloatVector.fromArray(S, src, so + 4 * ld + VL);
        FloatVector c50 = FloatVector.fromArray(S, src, so + 5 * ld);
        FloatVector c51 = FloatVector.fromArray(S, src, so + 5 * ld + VL);
        // indices linear in p, not stepped by +=, so the JIT can drop the bounds checks from the loop
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR;
            int b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + VL);
            FloatVector x = FloatVector.broadcast(S, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[a + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[a + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + VL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + VL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + VL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + VL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + VL);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + VL);
    }

    /**
     * {@link #micro} with A read in place: row r of the 8 at {@code a[ao + r·lda ..]}, the same
     * FMAs in the same order (so the same bits as with A packed).
     */
    private static void microInPlaceA8(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] c, int co, int ldc,
                              boolean load) {
        // the start values as in micro (no branch on `load`)
        float[] src = load ? c : ZEROS;
        int so = load ? co : 0;
        int ld = load ? ldc : NR;
        FloatVector c00 = FloatVector.fromArray(S, src, so);
        FloatVector c01 = FloatVector.fromArray(S, src, so + VL);
        FloatVector c10 = FloatVector.fromArray(S, src, so + ld);
        FloatVector c11 = FloatVector.fromArray(S, src, so + ld + VL);
        FloatVector c20 = FloatVector.fromArray(S, src, so + 2 * ld);
        FloatVector c21 = FloatVector.fromArray(S, src, so + 2 * ld + VL);
        FloatVector c30 = FloatVector.fromArray(S, src, so + 3 * ld);
        FloatVector c31 = FloatVector.fromArray(S, src, so + 3 * ld + VL);
        FloatVector c40 = FloatVector.fromArray(S, src, so + 4 * ld);
        FloatVector c41 = FloatVector.fromArray(S, src, so + 4 * ld + VL);
        FloatVector c50 = FloatVector.fromArray(S, src, so + 5 * ld);
        FloatVector c51 = FloatVector.fromArray(S, src, so + 5 * ld + VL);
        FloatVector c60 = FloatVector.fromArray(S, src, so + 6 * ld);
        FloatVector c61 = FloatVector.fromArray(S, src, so + 6 * ld + VL);
        FloatVector c70 = FloatVector.fromArray(S, src, so + 7 * ld);
        FloatVector c71 = FloatVector.fromArray(S, src, so + 7 * ld + VL);
        int a1 = ao + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        int a6 = a5 + lda;
        int a7 = a6 + lda;
        for (int p = 0; p < kc; p++, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + VL);
            FloatVector x = FloatVector.broadcast(S, a[ao + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + VL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + VL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + VL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + VL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + VL);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + VL);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + VL);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + VL);
    }

    /**
     * {@link #micro} with A read in place: row r of the 6 at {@code a[ao + r·lda ..]}, the same
     * FMAs in the same order (so the same bits as with A packed).
     */
    private static void microInPlaceA6(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] c, int co, int ldc,
                              boolean load) {
        // the start values as in micro (no branch on `load`)
        float[] src = load ? c : ZEROS;
        int so = load ? co : 0;
        int ld = load ? ldc : NR;
        FloatVector c00 = FloatVector.fromArray(S, src, so);
        FloatVector c01 = FloatVector.fromArray(S, src, so + VL);
        FloatVector c10 = FloatVector.fromArray(S, src, so + ld);
        FloatVector c11 = FloatVector.fromArray(S, src, so + ld + VL);
        FloatVector c20 = FloatVector.fromArray(S, src, so + 2 * ld);
        FloatVector c21 = FloatVector.fromArray(S, src, so + 2 * ld + VL);
        FloatVector c30 = FloatVector.fromArray(S, src, so + 3 * ld);
        FloatVector c31 = FloatVector.fromArray(S, src, so + 3 * ld + VL);
        FloatVector c40 = FloatVector.fromArray(S, src, so + 4 * ld);
        FloatVector c41 = FloatVector.fromArray(S, src, so + 4 * ld + VL);
        FloatVector c50 = FloatVector.fromArray(S, src, so + 5 * ld);
        FloatVector c51 = FloatVector.fromArray(S, src, so + 5 * ld + VL);
        int a1 = ao + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        for (int p = 0; p < kc; p++) { // indices linear in p (see micro6)
            int b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + VL);
            FloatVector x = FloatVector.broadcast(S, a[ao + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + VL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + VL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + VL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + VL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + VL);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + VL);
    }

    /** bp[st·NR·kc + p·NR + j] = op(B)[pc + p][jc + st·NR + j], zero beyond nb. */
    private static void packB(boolean transB, int n, int k, float[] b, int bOffset,
                              int pc, int kc, int jc, int nb, float[] bp) {
        for (int st = 0, j0 = 0; j0 < nb; st++, j0 += NR) {
            int cols = Math.min(NR, nb - j0);
            int base = st * NR * kc;
            if (!transB && cols == NR) { // B is k×n: NR contiguous floats per k row, two vectors
                // (not System.arraycopy: for 128 bytes its call costs more than the copy)
                for (int p = 0, src = bOffset + pc * n + jc + j0, dst = base; p < kc; p++, src += n, dst += NR) {
                    FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + VL).intoArray(bp, dst + VL);
                }
            } else if (!transB) { // the last, partial strip
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * NR;
                    System.arraycopy(b, bOffset + (pc + p) * n + jc + j0, bp, dst, cols);
                    java.util.Arrays.fill(bp, dst + cols, dst + NR, 0f);
                }
            } else {       // B is n×k
                int p0 = 0;
                if (cols == NR && VL == 16) { // 16 × 16 blocks of both halves of the strip, in registers
                    for (; p0 + VL <= kc; p0 += VL) {
                        int src = bOffset + (jc + j0) * k + pc + p0;
                        transpose16(b, src, k, bp, base + p0 * NR);
                        transpose16(b, src + VL * k, k, bp, base + p0 * NR + VL);
                    }
                } else if (cols == NR && VL == 8) { // 8 × 8 blocks likewise (AVX2)
                    for (; p0 + VL <= kc; p0 += VL) {
                        int src = bOffset + (jc + j0) * k + pc + p0;
                        transpose8(b, src, k, bp, base + p0 * NR);
                        transpose8(b, src + VL * k, k, bp, base + p0 * NR + VL);
                    }
                }
                for (int j = 0; j < cols; j++) { // the rest: read along B's rows, scatter with stride NR
                    int src = bOffset + (jc + j0 + j) * k + pc;
                    for (int p = p0; p < kc; p++) {
                        bp[base + p * NR + j] = b[src + p];
                    }
                }
                for (int j = cols; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * bp[dst + q·NR + i] = b[src + i·k + q] for i, q &lt; 16: a 16 × 16 block of B (rows k apart)
     * transposed in registers. Stage s (blocks of 1, 2, 4, 8 lanes) swaps, in each pair of rows
     * i and i + s (i without bit s), the lanes with bit s set of row i with those without it of
     * row i + s — one lane shift and one blend per row — and after the four stages row i holds
     * column i. A copy: the products' bits do not depend on how B was packed.
     */
    private static void transpose16(float[] b, int src, int k, float[] bp, int dst) {
        FloatVector r0 = FloatVector.fromArray(S, b, src);
        FloatVector r1 = FloatVector.fromArray(S, b, src + k);
        FloatVector r2 = FloatVector.fromArray(S, b, src + 2 * k);
        FloatVector r3 = FloatVector.fromArray(S, b, src + 3 * k);
        FloatVector r4 = FloatVector.fromArray(S, b, src + 4 * k);
        FloatVector r5 = FloatVector.fromArray(S, b, src + 5 * k);
        FloatVector r6 = FloatVector.fromArray(S, b, src + 6 * k);
        FloatVector r7 = FloatVector.fromArray(S, b, src + 7 * k);
        FloatVector r8 = FloatVector.fromArray(S, b, src + 8 * k);
        FloatVector r9 = FloatVector.fromArray(S, b, src + 9 * k);
        FloatVector r10 = FloatVector.fromArray(S, b, src + 10 * k);
        FloatVector r11 = FloatVector.fromArray(S, b, src + 11 * k);
        FloatVector r12 = FloatVector.fromArray(S, b, src + 12 * k);
        FloatVector r13 = FloatVector.fromArray(S, b, src + 13 * k);
        FloatVector r14 = FloatVector.fromArray(S, b, src + 14 * k);
        FloatVector r15 = FloatVector.fromArray(S, b, src + 15 * k);
        FloatVector s0 = r0.blend(r1.rearrange(UP1), BIT1);
        FloatVector s1 = r0.rearrange(DOWN1).blend(r1, BIT1);
        FloatVector s2 = r2.blend(r3.rearrange(UP1), BIT1);
        FloatVector s3 = r2.rearrange(DOWN1).blend(r3, BIT1);
        FloatVector s4 = r4.blend(r5.rearrange(UP1), BIT1);
        FloatVector s5 = r4.rearrange(DOWN1).blend(r5, BIT1);
        FloatVector s6 = r6.blend(r7.rearrange(UP1), BIT1);
        FloatVector s7 = r6.rearrange(DOWN1).blend(r7, BIT1);
        FloatVector s8 = r8.blend(r9.rearrange(UP1), BIT1);
        FloatVector s9 = r8.rearrange(DOWN1).blend(r9, BIT1);
        FloatVector s10 = r10.blend(r11.rearrange(UP1), BIT1);
        FloatVector s11 = r10.rearrange(DOWN1).blend(r11, BIT1);
        FloatVector s12 = r12.blend(r13.rearrange(UP1), BIT1);
        FloatVector s13 = r12.rearrange(DOWN1).blend(r13, BIT1);
        FloatVector s14 = r14.blend(r15.rearrange(UP1), BIT1);
        FloatVector s15 = r14.rearrange(DOWN1).blend(r15, BIT1);
        FloatVector t0 = s0.blend(s2.rearrange(UP2), BIT2);
        FloatVector t2 = s0.rearrange(DOWN2).blend(s2, BIT2);
        FloatVector t1 = s1.blend(s3.rearrange(UP2), BIT2);
        FloatVector t3 = s1.rearrange(DOWN2).blend(s3, BIT2);
        FloatVector t4 = s4.blend(s6.rearrange(UP2), BIT2);
        FloatVector t6 = s4.rearrange(DOWN2).blend(s6, BIT2);
        FloatVector t5 = s5.blend(s7.rearrange(UP2), BIT2);
        FloatVector t7 = s5.rearrange(DOWN2).blend(s7, BIT2);
        FloatVector t8 = s8.blend(s10.rearrange(UP2), BIT2);
        FloatVector t10 = s8.rearrange(DOWN2).blend(s10, BIT2);
        FloatVector t9 = s9.blend(s11.rearrange(UP2), BIT2);
        FloatVector t11 = s9.rearrange(DOWN2).blend(s11, BIT2);
        FloatVector t12 = s12.blend(s14.rearrange(UP2), BIT2);
        FloatVector t14 = s12.rearrange(DOWN2).blend(s14, BIT2);
        FloatVector t13 = s13.blend(s15.rearrange(UP2), BIT2);
        FloatVector t15 = s13.rearrange(DOWN2).blend(s15, BIT2);
        FloatVector u0 = t0.blend(t4.rearrange(UP4), BIT4);
        FloatVector u4 = t0.rearrange(DOWN4).blend(t4, BIT4);
        FloatVector u1 = t1.blend(t5.rearrange(UP4), BIT4);
        FloatVector u5 = t1.rearrange(DOWN4).blend(t5, BIT4);
        FloatVector u2 = t2.blend(t6.rearrange(UP4), BIT4);
        FloatVector u6 = t2.rearrange(DOWN4).blend(t6, BIT4);
        FloatVector u3 = t3.blend(t7.rearrange(UP4), BIT4);
        FloatVector u7 = t3.rearrange(DOWN4).blend(t7, BIT4);
        FloatVector u8 = t8.blend(t12.rearrange(UP4), BIT4);
        FloatVector u12 = t8.rearrange(DOWN4).blend(t12, BIT4);
        FloatVector u9 = t9.blend(t13.rearrange(UP4), BIT4);
        FloatVector u13 = t9.rearrange(DOWN4).blend(t13, BIT4);
        FloatVector u10 = t10.blend(t14.rearrange(UP4), BIT4);
        FloatVector u14 = t10.rearrange(DOWN4).blend(t14, BIT4);
        FloatVector u11 = t11.blend(t15.rearrange(UP4), BIT4);
        FloatVector u15 = t11.rearrange(DOWN4).blend(t15, BIT4);
        FloatVector v0 = u0.blend(u8.rearrange(UP8), BIT8);
        FloatVector v8 = u0.rearrange(DOWN8).blend(u8, BIT8);
        FloatVector v1 = u1.blend(u9.rearrange(UP8), BIT8);
        FloatVector v9 = u1.rearrange(DOWN8).blend(u9, BIT8);
        FloatVector v2 = u2.blend(u10.rearrange(UP8), BIT8);
        FloatVector v10 = u2.rearrange(DOWN8).blend(u10, BIT8);
        FloatVector v3 = u3.blend(u11.rearrange(UP8), BIT8);
        FloatVector v11 = u3.rearrange(DOWN8).blend(u11, BIT8);
        FloatVector v4 = u4.blend(u12.rearrange(UP8), BIT8);
        FloatVector v12 = u4.rearrange(DOWN8).blend(u12, BIT8);
        FloatVector v5 = u5.blend(u13.rearrange(UP8), BIT8);
        FloatVector v13 = u5.rearrange(DOWN8).blend(u13, BIT8);
        FloatVector v6 = u6.blend(u14.rearrange(UP8), BIT8);
        FloatVector v14 = u6.rearrange(DOWN8).blend(u14, BIT8);
        FloatVector v7 = u7.blend(u15.rearrange(UP8), BIT8);
        FloatVector v15 = u7.rearrange(DOWN8).blend(u15, BIT8);
        v0.intoArray(bp, dst);
        v1.intoArray(bp, dst + NR);
        v2.intoArray(bp, dst + 2 * NR);
        v3.intoArray(bp, dst + 3 * NR);
        v4.intoArray(bp, dst + 4 * NR);
        v5.intoArray(bp, dst + 5 * NR);
        v6.intoArray(bp, dst + 6 * NR);
        v7.intoArray(bp, dst + 7 * NR);
        v8.intoArray(bp, dst + 8 * NR);
        v9.intoArray(bp, dst + 9 * NR);
        v10.intoArray(bp, dst + 10 * NR);
        v11.intoArray(bp, dst + 11 * NR);
        v12.intoArray(bp, dst + 12 * NR);
        v13.intoArray(bp, dst + 13 * NR);
        v14.intoArray(bp, dst + 14 * NR);
        v15.intoArray(bp, dst + 15 * NR);
    }

    /** {@link #transpose16} for 8 lanes: an 8 × 8 block in three stages (blocks of 1, 2, 4 lanes). */
    private static void transpose8(float[] b, int src, int k, float[] bp, int dst) {
        FloatVector r0 = FloatVector.fromArray(S, b, src);
        FloatVector r1 = FloatVector.fromArray(S, b, src + k);
        FloatVector r2 = FloatVector.fromArray(S, b, src + 2 * k);
        FloatVector r3 = FloatVector.fromArray(S, b, src + 3 * k);
        FloatVector r4 = FloatVector.fromArray(S, b, src + 4 * k);
        FloatVector r5 = FloatVector.fromArray(S, b, src + 5 * k);
        FloatVector r6 = FloatVector.fromArray(S, b, src + 6 * k);
        FloatVector r7 = FloatVector.fromArray(S, b, src + 7 * k);
        FloatVector s0 = r0.blend(r1.rearrange(UP1), BIT1);
        FloatVector s1 = r0.rearrange(DOWN1).blend(r1, BIT1);
        FloatVector s2 = r2.blend(r3.rearrange(UP1), BIT1);
        FloatVector s3 = r2.rearrange(DOWN1).blend(r3, BIT1);
        FloatVector s4 = r4.blend(r5.rearrange(UP1), BIT1);
        FloatVector s5 = r4.rearrange(DOWN1).blend(r5, BIT1);
        FloatVector s6 = r6.blend(r7.rearrange(UP1), BIT1);
        FloatVector s7 = r6.rearrange(DOWN1).blend(r7, BIT1);
        FloatVector t0 = s0.blend(s2.rearrange(UP2), BIT2);
        FloatVector t2 = s0.rearrange(DOWN2).blend(s2, BIT2);
        FloatVector t1 = s1.blend(s3.rearrange(UP2), BIT2);
        FloatVector t3 = s1.rearrange(DOWN2).blend(s3, BIT2);
        FloatVector t4 = s4.blend(s6.rearrange(UP2), BIT2);
        FloatVector t6 = s4.rearrange(DOWN2).blend(s6, BIT2);
        FloatVector t5 = s5.blend(s7.rearrange(UP2), BIT2);
        FloatVector t7 = s5.rearrange(DOWN2).blend(s7, BIT2);
        t0.blend(t4.rearrange(UP4), BIT4).intoArray(bp, dst);
        t1.blend(t5.rearrange(UP4), BIT4).intoArray(bp, dst + NR);
        t2.blend(t6.rearrange(UP4), BIT4).intoArray(bp, dst + 2 * NR);
        t3.blend(t7.rearrange(UP4), BIT4).intoArray(bp, dst + 3 * NR);
        t0.rearrange(DOWN4).blend(t4, BIT4).intoArray(bp, dst + 4 * NR);
        t1.rearrange(DOWN4).blend(t5, BIT4).intoArray(bp, dst + 5 * NR);
        t2.rearrange(DOWN4).blend(t6, BIT4).intoArray(bp, dst + 6 * NR);
        t3.rearrange(DOWN4).blend(t7, BIT4).intoArray(bp, dst + 7 * NR);
    }

    /** ap[p·MR + r] = op(A)[i + r][pc + p] for r &lt; rows, zero for rows ≤ r &lt; MR. */
    private static void packA(boolean transA, int m, int k, float[] a, int aOffset,
                              int i, int rows, int pc, int kc, float[] ap) {
        if (!transA) { // A is m×k
            for (int r = 0; r < rows; r++) {
                int src = aOffset + (i + r) * k + pc;
                for (int p = 0; p < kc; p++) {
                    ap[p * MR + r] = a[src + p];
                }
            }
        } else if (rows == 8 && MR == 8) { // A is k×m: the 8 values for one p are adjacent (a loop: an
            for (int p = 0; p < kc; p++) { // arraycopy call per 8 floats cost Aᵀ ≈ 20 %)
                int src = aOffset + (pc + p) * m + i;
                int dst = p * MR;
                ap[dst] = a[src];
                ap[dst + 1] = a[src + 1];
                ap[dst + 2] = a[src + 2];
                ap[dst + 3] = a[src + 3];
                ap[dst + 4] = a[src + 4];
                ap[dst + 5] = a[src + 5];
                ap[dst + 6] = a[src + 6];
                ap[dst + 7] = a[src + 7];
            }
        } else {
            for (int p = 0; p < kc; p++) {
                for (int r = 0; r < rows; r++) {
                    ap[p * MR + r] = a[aOffset + (pc + p) * m + i + r];
                }
            }
        }
        if (rows < MR) {
            for (int p = 0; p < kc; p++) {
                for (int r = rows; r < MR; r++) {
                    ap[p * MR + r] = 0f;
                }
            }
        }
    }
}
