package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 3×3, stride-1 convolution of one single-channel image for a 2×2 max-pool after it, written
 * in window order. The zero-padded image comes split into its even and odd columns, E[r][u] =
 * pad[r][2u] and O[r][u] = pad[r][2u + 1], so output pixel (2y' + dy, 2x' + dx) reads, for each
 * tap (i, j), column 2x' + dx + j of padded row 2y' + dy + i — E or O at x' or x' + 1: plain
 * vector loads along x'. One pass over a row pair y' computes the four outputs of 16 windows
 * (top-left, top-right, bottom-left, bottom-right: four independent sums sharing 16 loads) and
 * stores them into four quarters, which the pooling then reads with plain loads too.
 *
 * <p>Each output is accumulated as c = fma(w_p, x_p, c) for p = i·3 + j = 0 … 8 from c = +0 —
 * the order and the rounding of {@link VectorGemmKernel}'s W·im2col(x) (im2col's rows are p; its
 * padding zeros are the copy's), so the result is bit for bit the same. For a first layer (one
 * input channel, K = 9) the GEMM is mostly overhead and im2col writes nine copies of the image.
 * Loaded by {@link VectorSupport#load}.
 */
final class VectorDirectConv implements ConvKernel.DirectConv3x3 {
    private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
    private static final int VL = S.length();

    @Override
    public int slack() {
        return VL + 1;
    }

    @Override
    public void quarters(float[] split, int even, int odd, int rowLength, int windowRows, int windowCols,
                         float[] w, int wo, float[] y, int out, int quarterStride) {
        FloatVector w0 = FloatVector.broadcast(S, w[wo]);
        FloatVector w1 = FloatVector.broadcast(S, w[wo + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wo + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wo + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wo + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wo + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wo + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wo + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wo + 8]);
        FloatVector zero = FloatVector.zero(S);
        for (int yq = 0; yq < windowRows; yq++) {
            int row = 2 * yq * rowLength; // padded row 2y' (then + 1, + 2, + 3)
            int dst = out + yq * windowCols;
            for (int x = 0; x < windowCols; x += VL) {
                // top-left a (dy 0, dx 0), top-right b (0, 1), bottom-left c (1, 0), bottom-right d (1, 1)
                int r = row + x;
                FloatVector e0 = FloatVector.fromArray(S, split, even + r);
                FloatVector o0 = FloatVector.fromArray(S, split, odd + r);
                FloatVector f0 = FloatVector.fromArray(S, split, even + r + 1);
                FloatVector p0 = FloatVector.fromArray(S, split, odd + r + 1);
                FloatVector a = w0.fma(e0, zero);
                FloatVector b = w0.fma(o0, zero);
                a = w1.fma(o0, a);
                b = w1.fma(f0, b);
                a = w2.fma(f0, a);
                b = w2.fma(p0, b);
                r += rowLength;
                FloatVector e1 = FloatVector.fromArray(S, split, even + r);
                FloatVector o1 = FloatVector.fromArray(S, split, odd + r);
                FloatVector f1 = FloatVector.fromArray(S, split, even + r + 1);
                FloatVector p1 = FloatVector.fromArray(S, split, odd + r + 1);
                a = w3.fma(e1, a);
                b = w3.fma(o1, b);
                FloatVector c = w0.fma(e1, zero);
                FloatVector d = w0.fma(o1, zero);
                a = w4.fma(o1, a);
                b = w4.fma(f1, b);
                c = w1.fma(o1, c);
                d = w1.fma(f1, d);
                a = w5.fma(f1, a);
                b = w5.fma(p1, b);
                c = w2.fma(f1, c);
                d = w2.fma(p1, d);
                r += rowLength;
                FloatVector e2 = FloatVector.fromArray(S, split, even + r);
                FloatVector o2 = FloatVector.fromArray(S, split, odd + r);
                FloatVector f2 = FloatVector.fromArray(S, split, even + r + 1);
                FloatVector p2 = FloatVector.fromArray(S, split, odd + r + 1);
                a = w6.fma(e2, a);
                b = w6.fma(o2, b);
                c = w3.fma(e2, c);
                d = w3.fma(o2, d);
                a = w7.fma(o2, a);
                b = w7.fma(f2, b);
                c = w4.fma(o2, c);
                d = w4.fma(f2, d);
                a = w8.fma(f2, a);
                b = w8.fma(p2, b);
                c = w5.fma(f2, c);
                d = w5.fma(p2, d);
                r += rowLength;
                FloatVector e3 = FloatVector.fromArray(S, split, even + r);
                FloatVector o3 = FloatVector.fromArray(S, split, odd + r);
                FloatVector f3 = FloatVector.fromArray(S, split, even + r + 1);
                FloatVector p3 = FloatVector.fromArray(S, split, odd + r + 1);
                c = w6.fma(e3, c);
                d = w6.fma(o3, d);
                c = w7.fma(o3, c);
                d = w7.fma(f3, d);
                c = w8.fma(f3, c);
                d = w8.fma(p3, d);
                // whole vectors: lanes past the row land on the next row of the quarter (written
                // after) or, from its last row, in the gap the caller leaves after each quarter
                a.intoArray(y, dst + x);
                b.intoArray(y, dst + quarterStride + x);
                c.intoArray(y, dst + 2 * quarterStride + x);
                d.intoArray(y, dst + 3 * quarterStride + x);
            }
        }
    }
}
