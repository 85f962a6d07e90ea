package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Every dot product of a few long rows with a few dozen long rows, out[i·B + j] = Σ_q a_i[q]·b_j[q]
 * — a first layer's weight gradient ∂Wᵀ = cols·Gᵀ, where cols has K = 9 rows (one channel, 3×3)
 * and G has F = 32 or 64 rows, both nb·P ≈ 6,000 long. As a GEMM that product is all packing:
 * both operands must be transposed into panels, and K = 9 fills a row panel of 8 and a second
 * one of 1. Here each of 16 lanes sums every 16th product of its pair of rows (lane l the
 * products q ≡ l mod 16), blocks of 3 a-rows × 4 b-rows (12 accumulators, 7 loads per 12 fused
 * multiply-adds) walking the rows together, a chunk of q at a time so the chunk's rows stay in L1;
 * the 16 lanes are added at the end by the fixed tree of {@link DistanceKernels#tree} and the last
 * n mod 16 products after them, in order.
 *
 * <p>The 16 lanes are the order's, not the CPU's: a vector of 8 floats (AVX2) makes two passes
 * over each chunk (lanes 0–7, then 8–15), one of 16 (AVX-512) one pass. So the order of every sum
 * depends on n and the chunk only — bitwise the same at every vector width, on every call with the
 * same rows, whichever thread makes it. (Until 2026-12-06 each lane was a vector lane and the sum
 * {@code reduceLanes}: a model trained on an AVX2 host differed from one trained on an AVX-512
 * host.) Loaded by {@link VectorSupport#load}.
 */
final class VectorRowDots implements ConvKernel.RowDots {
    private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
    private static final int VL = S.length();
    /** Lanes of the summation order (a multiple of VL: vectors of up to 512 bits). */
    private static final int LANES = 16;
    /** Floats of each row per pass: 9 + 4 rows of 2 KB stay in a 48 KB L1. */
    private static final int CHUNK = 512;

    /** Per thread: the accumulators, LANES floats per (i, j) pair. */
    private static final ThreadLocal<float[][]> ACC = ThreadLocal.withInitial(() -> new float[1][0]);

    @Override
    public void dots(float[] a, int aOffset, int aRows, float[] b, int bOffset, int bRows, int n, float[] out,
                     int outOffset) {
        float[][] holder = ACC.get();
        int accLength = aRows * bRows * LANES;
        if (holder[0].length < accLength) {
            holder[0] = new float[accLength];
        }
        float[] acc = holder[0];
        java.util.Arrays.fill(acc, 0, accLength, 0f);
        int nv = n - n % LANES;
        for (int q0 = 0; q0 < nv; q0 += CHUNK) {
            int q1 = Math.min(nv, q0 + CHUNK);
            for (int h = 0; h < LANES; h += VL) { // lanes h .. h + VL − 1 of the order
                for (int j = 0; j < bRows; j += 4) {
                    for (int i = 0; i < aRows; i += 3) {
                        if (i + 3 <= aRows && j + 4 <= bRows) {
                            block3x4(a, aOffset + i * n, b, bOffset + j * n, n, q0 + h, q1, acc,
                                    (i * bRows + j) * LANES + h, bRows * LANES);
                        } else {
                            for (int ii = i; ii < Math.min(aRows, i + 3); ii++) {
                                for (int jj = j; jj < Math.min(bRows, j + 4); jj++) {
                                    block1x1(a, aOffset + ii * n, b, bOffset + jj * n, q0 + h, q1, acc,
                                            (ii * bRows + jj) * LANES + h);
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < aRows; i++) {
            for (int j = 0; j < bRows; j++) {
                int at = (i * bRows + j) * LANES;
                float s = DistanceKernels.tree(acc[at], acc[at + 1], acc[at + 2], acc[at + 3], acc[at + 4],
                        acc[at + 5], acc[at + 6], acc[at + 7], acc[at + 8], acc[at + 9], acc[at + 10], acc[at + 11],
                        acc[at + 12], acc[at + 13], acc[at + 14], acc[at + 15]);
                int ai = aOffset + i * n;
                int bj = bOffset + j * n;
                for (int q = nv; q < n; q++) {
                    s += a[ai + q] * b[bj + q];
                }
                out[outOffset + i * bRows + j] = s;
            }
        }
    }

    /**
     * Rows a0..a2 (a0 at {@code ai}, n apart) against b0..b3 (at {@code bj}), the VL floats from
     * q = q0, q0 + LANES, … below q1: the accumulator of (a_r, b_c) at acc[at + r·rowStride + c·LANES].
     */
    private static void block3x4(float[] a, int ai, float[] b, int bj, int n, int q0, int q1, float[] acc, int at,
                                 int rowStride) {
        int r1 = at + rowStride;
        int r2 = r1 + rowStride;
        FloatVector c00 = FloatVector.fromArray(S, acc, at);
        FloatVector c01 = FloatVector.fromArray(S, acc, at + LANES);
        FloatVector c02 = FloatVector.fromArray(S, acc, at + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(S, acc, at + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(S, acc, r1);
        FloatVector c11 = FloatVector.fromArray(S, acc, r1 + LANES);
        FloatVector c12 = FloatVector.fromArray(S, acc, r1 + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(S, acc, r1 + 3 * LANES);
        FloatVector c20 = FloatVector.fromArray(S, acc, r2);
        FloatVector c21 = FloatVector.fromArray(S, acc, r2 + LANES);
        FloatVector c22 = FloatVector.fromArray(S, acc, r2 + 2 * LANES);
        FloatVector c23 = FloatVector.fromArray(S, acc, r2 + 3 * LANES);
        for (int q = q0; q < q1; q += LANES) {
            FloatVector a0 = FloatVector.fromArray(S, a, ai + q);
            FloatVector a1 = FloatVector.fromArray(S, a, ai + n + q);
            FloatVector a2 = FloatVector.fromArray(S, a, ai + 2 * n + q);
            FloatVector b0 = FloatVector.fromArray(S, b, bj + q);
            c00 = a0.fma(b0, c00);
            c10 = a1.fma(b0, c10);
            c20 = a2.fma(b0, c20);
            FloatVector b1 = FloatVector.fromArray(S, b, bj + n + q);
            c01 = a0.fma(b1, c01);
            c11 = a1.fma(b1, c11);
            c21 = a2.fma(b1, c21);
            FloatVector b2 = FloatVector.fromArray(S, b, bj + 2 * n + q);
            c02 = a0.fma(b2, c02);
            c12 = a1.fma(b2, c12);
            c22 = a2.fma(b2, c22);
            FloatVector b3 = FloatVector.fromArray(S, b, bj + 3 * n + q);
            c03 = a0.fma(b3, c03);
            c13 = a1.fma(b3, c13);
            c23 = a2.fma(b3, c23);
        }
        c00.intoArray(acc, at);
        c01.intoArray(acc, at + LANES);
        c02.intoArray(acc, at + 2 * LANES);
        c03.intoArray(acc, at + 3 * LANES);
        c10.intoArray(acc, r1);
        c11.intoArray(acc, r1 + LANES);
        c12.intoArray(acc, r1 + 2 * LANES);
        c13.intoArray(acc, r1 + 3 * LANES);
        c20.intoArray(acc, r2);
        c21.intoArray(acc, r2 + LANES);
        c22.intoArray(acc, r2 + 2 * LANES);
        c23.intoArray(acc, r2 + 3 * LANES);
    }

    /** One pair of rows, the same lane sums as {@link #block3x4} gives each of its pairs (the same q steps). */
    private static void block1x1(float[] a, int ai, float[] b, int bj, int q0, int q1, float[] acc, int at) {
        FloatVector c = FloatVector.fromArray(S, acc, at);
        for (int q = q0; q < q1; q += LANES) {
            c = FloatVector.fromArray(S, a, ai + q).fma(FloatVector.fromArray(S, b, bj + q), c);
        }
        c.intoArray(acc, at);
    }
}
