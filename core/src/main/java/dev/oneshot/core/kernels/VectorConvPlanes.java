package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvBatchNormKernel.ConvPlanes} on the Vector API: a vector of neighbouring outputs
 * along a row per step, each tap one broadcast weight times the padded row read at the tap's
 * column offset, accumulated c = fma(w, x, c) from +0 in im2col's row order — lane by lane
 * {@link VectorGemmKernel}'s W·im2col(x) — then the bias added. A row whose width is not a
 * multiple of the vector ends with a vector that overlaps the one before it (the overlapping
 * outputs are computed twice, identically), so nothing is read or written outside the row; rows
 * narrower than a vector run on the scalar loop with the same fused multiply-adds. Loaded by
 * {@link VectorSupport#load}.
 */
final class VectorConvPlanes implements ConvBatchNormKernel.ConvPlanes {
    private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
    private static final int VL = S.length();

    @Override
    public void plane(float[] padded, int padFrom, Im2Col.Geometry g, float[] w, int wFrom, float[] b, int f,
                      float[] y, int yFrom) {
        int wp = g.width() + 2 * g.padding();
        int oh = g.outHeight();
        int ow = g.outWidth();
        if (ow < VL) {
            ConvBatchNormKernel.scalarPlane(true, padded, padFrom, g, w, wFrom, b, f, y, yFrom);
            return;
        }
        if (g.channels() == 1 && g.kernelH() == 3 && g.kernelW() == 3) {
            plane3x3(padded, padFrom, wp, oh, ow, w, wFrom, b, f, y, yFrom);
            return;
        }
        int planeSize = (g.height() + 2 * g.padding()) * wp;
        int kh = g.kernelH();
        int kw = g.kernelW();
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < oh; r++) {
            for (int q0 = 0; q0 < ow; q0 += VL) {
                int q = Math.min(q0, ow - VL); // the last vector ends at the row's end
                FloatVector acc = zero;
                int t = wFrom;
                for (int c = 0; c < g.channels(); c++) {
                    for (int i = 0; i < kh; i++) {
                        int row = padFrom + c * planeSize + (r + i) * wp + q;
                        for (int j = 0; j < kw; j++, t++) {
                            acc = FloatVector.broadcast(S, w[t]).fma(FloatVector.fromArray(S, padded, row + j), acc);
                        }
                    }
                }
                (b == null ? acc : acc.add(b[f])).intoArray(y, yFrom + r * ow + q);
            }
        }
    }

    /** The one-channel 3×3 case (a grey-level first layer) with the nine weights held in registers. */
    private static void plane3x3(float[] padded, int padFrom, int wp, int oh, int ow, float[] w, int wo, float[] b,
                                 int f, float[] y, int yFrom) {
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
        boolean biased = b != null;
        float bias = biased ? b[f] : 0f;
        for (int r = 0; r < oh; r++) {
            int r0 = padFrom + r * wp;
            int r1 = r0 + wp;
            int r2 = r1 + wp;
            for (int q0 = 0; q0 < ow; q0 += VL) {
                int q = Math.min(q0, ow - VL); // the last vector ends at the row's end
                FloatVector acc = w0.fma(FloatVector.fromArray(S, padded, r0 + q), zero);
                acc = w1.fma(FloatVector.fromArray(S, padded, r0 + q + 1), acc);
                acc = w2.fma(FloatVector.fromArray(S, padded, r0 + q + 2), acc);
                acc = w3.fma(FloatVector.fromArray(S, padded, r1 + q), acc);
                acc = w4.fma(FloatVector.fromArray(S, padded, r1 + q + 1), acc);
                acc = w5.fma(FloatVector.fromArray(S, padded, r1 + q + 2), acc);
                acc = w6.fma(FloatVector.fromArray(S, padded, r2 + q), acc);
                acc = w7.fma(FloatVector.fromArray(S, padded, r2 + q + 1), acc);
                acc = w8.fma(FloatVector.fromArray(S, padded, r2 + q + 2), acc);
                (biased ? acc.add(bias) : acc).intoArray(y, yFrom + r * ow + q);
            }
        }
    }
}
