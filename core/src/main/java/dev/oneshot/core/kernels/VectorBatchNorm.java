package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-plane loops of batch normalisation ({@link BatchNormKernel.PlaneLoops}) with the JDK
 * Vector API, bit for bit the scalar reference loops ({@link ScalarPlaneLoops}: four float lanes
 * per plane, element i into lane i mod 4).
 *
 * <p>Four planes of a channel run in one 16-lane vector, plane p's four scalar lanes in lanes
 * 4p..4p+3, so every lane sees exactly its scalar lane's operations in the same order (subtract,
 * multiply, add, each rounded: no fused multiply-add). A step reads 16 consecutive floats of each
 * of the four planes (plane p's scalar iterations k..k+3 in its 128-bit blocks 0..3), works out the
 * per-element terms, and transposes the 4×4 blocks so that vector q holds every plane's iteration
 * k+q; the four are added to the accumulator in order q = 0, 1, 2, 3. The rest of each plane
 * (fewer than 16 floats) continues on the scalar loop from the accumulator's lanes. Where the vector
 * holds 8 floats (AVX2) the same runs two planes at a time, 8 floats of each a step (a 2×2
 * transpose of 128-bit blocks).
 *
 * <p>The vector species is {@link KernelSpecies#FLOAT}, the GEMM's: on JDK 17 a second vector
 * shape beside it slowed the GEMM sevenfold (docs/benchmarks.md, round 3, part 3). Where that
 * vector is neither 16 nor 8 floats every call goes to the scalar loops. Loaded by
 * {@link VectorSupport#load} only when {@code jdk.incubator.vector} is present.
 */
final class VectorBatchNorm implements BatchNormKernel.PlaneLoops {
    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
    /** Whether the transposing loops apply: 16 lanes = four planes × four scalar lanes. */
    private static final boolean SIXTEEN = F.length() == 16;
    /** Whether the two-plane loops apply: 8 lanes (AVX2) = two planes × four scalar lanes. */
    private static final boolean EIGHT = F.length() == 8;
    /** Whether a scatter store is an instruction here (AVX-512) rather than a slow stand-in. */
    private static final boolean SCATTER = F.vectorBitSize() >= 512;
    /** Lanes 4p..4p+3 (plane p's block). */
    private static final VectorMask<Float> M0 = block(0);
    private static final VectorMask<Float> M1 = block(1);
    private static final VectorMask<Float> M2 = block(2);
    private static final VectorMask<Float> M3 = block(3);
    /** Block q copied into every block. */
    private static final VectorShuffle<Float> S0 = broadcast(0);
    private static final VectorShuffle<Float> S1 = broadcast(1);
    private static final VectorShuffle<Float> S2 = broadcast(2);
    private static final VectorShuffle<Float> S3 = broadcast(3);
    private static final ScalarPlaneLoops SCALAR = ScalarPlaneLoops.INSTANCE;

    private static VectorMask<Float> block(int p) {
        boolean[] bits = new boolean[F.length()];
        for (int l = 4 * p; l < Math.min(bits.length, 4 * p + 4); l++) {
            bits[l] = true;
        }
        return VectorMask.fromArray(F, bits, 0);
    }

    private static VectorShuffle<Float> broadcast(int q) {
        int[] index = new int[F.length()];
        for (int l = 0; l < index.length; l++) {
            index[l] = (4 * q + (l & 3)) % index.length;
        }
        return VectorShuffle.fromArray(F, index, 0);
    }

    /**
     * acc + v0 + v1 + v2 + v3, added in that order, where block p of v_q is block q of a_p (the
     * 4×4 transpose of 128-bit blocks; block q of v_q is a_q's own and stays in place).
     */
    private static FloatVector addTransposed(FloatVector acc, FloatVector a0, FloatVector a1, FloatVector a2,
                                             FloatVector a3) {
        FloatVector v0 = a0.blend(a1.rearrange(S0), M1).blend(a2.rearrange(S0), M2).blend(a3.rearrange(S0), M3);
        FloatVector v1 = a1.blend(a0.rearrange(S1), M0).blend(a2.rearrange(S1), M2).blend(a3.rearrange(S1), M3);
        FloatVector v2 = a2.blend(a0.rearrange(S2), M0).blend(a1.rearrange(S2), M1).blend(a3.rearrange(S2), M3);
        FloatVector v3 = a3.blend(a0.rearrange(S3), M0).blend(a1.rearrange(S3), M1).blend(a2.rearrange(S3), M2);
        return acc.add(v0).add(v1).add(v2).add(v3);
    }

    /**
     * acc + v0 + v1 for 8 lanes (two planes): block 1 of v0 is block 0 of a1, block 0 of v1 is
     * block 1 of a0 (the 2×2 transpose of 128-bit blocks), so v_q holds both planes' iteration k+q.
     */
    private static FloatVector addTransposed(FloatVector acc, FloatVector a0, FloatVector a1) {
        FloatVector v0 = a0.blend(a1.rearrange(S0), M1);
        FloatVector v1 = a1.blend(a0.rearrange(S1), M0);
        return acc.add(v0).add(v1);
    }

    @Override
    public void sum(float[] x, int first, int stride, int planes, int length, float shift, float[] out) {
        if (EIGHT && length >= 8) {
            sumPairs(x, first, stride, planes, length, shift, out);
            return;
        }
        if (!SIXTEEN || length < 16) {
            SCALAR.sum(x, first, stride, planes, length, shift, out);
            return;
        }
        FloatVector sh = FloatVector.broadcast(F, shift);
        float[] lanes = new float[16];
        int n = 0;
        for (; n + 4 <= planes; n += 4) {
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i + 16 <= length; i += 16) {
                acc = addTransposed(acc,
                        FloatVector.fromArray(F, x, o0 + i).sub(sh),
                        FloatVector.fromArray(F, x, o1 + i).sub(sh),
                        FloatVector.fromArray(F, x, o2 + i).sub(sh),
                        FloatVector.fromArray(F, x, o3 + i).sub(sh));
            }
            acc.intoArray(lanes, 0);
            out[n] = ScalarPlaneLoops.finishSum(x, o0, i, length, shift, lanes[0], lanes[1], lanes[2], lanes[3]);
            out[n + 1] = ScalarPlaneLoops.finishSum(x, o1, i, length, shift, lanes[4], lanes[5], lanes[6], lanes[7]);
            out[n + 2] = ScalarPlaneLoops.finishSum(x, o2, i, length, shift, lanes[8], lanes[9], lanes[10], lanes[11]);
            out[n + 3] = ScalarPlaneLoops.finishSum(x, o3, i, length, shift, lanes[12], lanes[13], lanes[14],
                    lanes[15]);
        }
        for (; n < planes; n++) {
            out[n] = ScalarPlaneLoops.sum(x, first + n * stride, length, shift);
        }
    }

    @Override
    public void sumSquares(float[] x, int first, int stride, int planes, int length, float mu, float[] out) {
        if (EIGHT && length >= 8) {
            sumSquaresPairs(x, first, stride, planes, length, mu, out);
            return;
        }
        if (!SIXTEEN || length < 16) {
            SCALAR.sumSquares(x, first, stride, planes, length, mu, out);
            return;
        }
        FloatVector m = FloatVector.broadcast(F, mu);
        float[] lanes = new float[16];
        int n = 0;
        for (; n + 4 <= planes; n += 4) {
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i + 16 <= length; i += 16) {
                FloatVector d0 = FloatVector.fromArray(F, x, o0 + i).sub(m);
                FloatVector d1 = FloatVector.fromArray(F, x, o1 + i).sub(m);
                FloatVector d2 = FloatVector.fromArray(F, x, o2 + i).sub(m);
                FloatVector d3 = FloatVector.fromArray(F, x, o3 + i).sub(m);
                acc = addTransposed(acc, d0.mul(d0), d1.mul(d1), d2.mul(d2), d3.mul(d3));
            }
            acc.intoArray(lanes, 0);
            out[n] = ScalarPlaneLoops.finishSquares(x, o0, i, length, mu, lanes[0], lanes[1], lanes[2], lanes[3]);
            out[n + 1] = ScalarPlaneLoops.finishSquares(x, o1, i, length, mu, lanes[4], lanes[5], lanes[6], lanes[7]);
            out[n + 2] = ScalarPlaneLoops.finishSquares(x, o2, i, length, mu, lanes[8], lanes[9], lanes[10],
                    lanes[11]);
            out[n + 3] = ScalarPlaneLoops.finishSquares(x, o3, i, length, mu, lanes[12], lanes[13], lanes[14],
                    lanes[15]);
        }
        for (; n < planes; n++) {
            out[n] = ScalarPlaneLoops.sumSquares(x, first + n * stride, length, mu);
        }
    }

    @Override
    public void dotCentred(float[] g, int gFirst, int gStride, float[] x, int first, int stride, int planes,
                           int length, float mu, float[] out) {
        if (EIGHT && length >= 8) {
            dotCentredPairs(g, gFirst, gStride, x, first, stride, planes, length, mu, null, 0, out);
            return;
        }
        if (!SIXTEEN || length < 16) {
            SCALAR.dotCentred(g, gFirst, gStride, x, first, stride, planes, length, mu, out);
            return;
        }
        dotCentred(g, gFirst, gStride, x, first, stride, planes, length, mu, null, 0, out);
    }

    @Override
    public void dotCentredEach(float[] g, int gFirst, int gStride, float[] x, int first, int stride, int planes,
                               int length, float[] mus, int musFrom, float[] out) {
        if (EIGHT && length >= 8) {
            dotCentredPairs(g, gFirst, gStride, x, first, stride, planes, length, 0f, mus, musFrom, out);
            return;
        }
        if (!SIXTEEN || length < 16) {
            SCALAR.dotCentredEach(g, gFirst, gStride, x, first, stride, planes, length, mus, musFrom, out);
            return;
        }
        dotCentred(g, gFirst, gStride, x, first, stride, planes, length, 0f, mus, musFrom, out);
    }

    /** The transposing loop of both: plane n centred on mus[musFrom + n], or on mu when mus is null. */
    private static void dotCentred(float[] g, int gFirst, int gStride, float[] x, int first, int stride, int planes,
                                   int length, float mu, float[] mus, int musFrom, float[] out) {
        float[] lanes = new float[16];
        int n = 0;
        for (; n + 4 <= planes; n += 4) {
            float mu0 = mus == null ? mu : mus[musFrom + n];
            float mu1 = mus == null ? mu : mus[musFrom + n + 1];
            float mu2 = mus == null ? mu : mus[musFrom + n + 2];
            float mu3 = mus == null ? mu : mus[musFrom + n + 3];
            // a step's vector of plane p is 16 of its elements: its mean in every lane
            FloatVector m0 = FloatVector.broadcast(F, mu0);
            FloatVector m1 = FloatVector.broadcast(F, mu1);
            FloatVector m2 = FloatVector.broadcast(F, mu2);
            FloatVector m3 = FloatVector.broadcast(F, mu3);
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            int p0 = gFirst + n * gStride;
            int p1 = p0 + gStride;
            int p2 = p1 + gStride;
            int p3 = p2 + gStride;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i + 16 <= length; i += 16) {
                acc = addTransposed(acc,
                        FloatVector.fromArray(F, g, p0 + i).mul(FloatVector.fromArray(F, x, o0 + i).sub(m0)),
                        FloatVector.fromArray(F, g, p1 + i).mul(FloatVector.fromArray(F, x, o1 + i).sub(m1)),
                        FloatVector.fromArray(F, g, p2 + i).mul(FloatVector.fromArray(F, x, o2 + i).sub(m2)),
                        FloatVector.fromArray(F, g, p3 + i).mul(FloatVector.fromArray(F, x, o3 + i).sub(m3)));
            }
            acc.intoArray(lanes, 0);
            out[n] = ScalarPlaneLoops.finishDot(g, p0, x, o0, i, length, mu0, lanes[0], lanes[1], lanes[2], lanes[3]);
            out[n + 1] = ScalarPlaneLoops.finishDot(g, p1, x, o1, i, length, mu1, lanes[4], lanes[5], lanes[6],
                    lanes[7]);
            out[n + 2] = ScalarPlaneLoops.finishDot(g, p2, x, o2, i, length, mu2, lanes[8], lanes[9], lanes[10],
                    lanes[11]);
            out[n + 3] = ScalarPlaneLoops.finishDot(g, p3, x, o3, i, length, mu3, lanes[12], lanes[13], lanes[14],
                    lanes[15]);
        }
        for (; n < planes; n++) {
            out[n] = ScalarPlaneLoops.dotCentred(g, gFirst + n * gStride, x, first + n * stride, length,
                    mus == null ? mu : mus[musFrom + n]);
        }
    }

    /** {@link #sum} on 8 lanes: two planes a step, 8 elements of each (their iterations k, k+1). */
    private static void sumPairs(float[] x, int first, int stride, int planes, int length, float shift,
                                 float[] out) {
        FloatVector sh = FloatVector.broadcast(F, shift);
        float[] lanes = new float[8];
        int n = 0;
        for (; n + 2 <= planes; n += 2) {
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i + 8 <= length; i += 8) {
                acc = addTransposed(acc,
                        FloatVector.fromArray(F, x, o0 + i).sub(sh),
                        FloatVector.fromArray(F, x, o1 + i).sub(sh));
            }
            acc.intoArray(lanes, 0);
            out[n] = ScalarPlaneLoops.finishSum(x, o0, i, length, shift, lanes[0], lanes[1], lanes[2], lanes[3]);
            out[n + 1] = ScalarPlaneLoops.finishSum(x, o1, i, length, shift, lanes[4], lanes[5], lanes[6], lanes[7]);
        }
        for (; n < planes; n++) {
            out[n] = ScalarPlaneLoops.sum(x, first + n * stride, length, shift);
        }
    }

    /** {@link #sumSquares} on 8 lanes: two planes a step. */
    private static void sumSquaresPairs(float[] x, int first, int stride, int planes, int length, float mu,
                                        float[] out) {
        FloatVector m = FloatVector.broadcast(F, mu);
        float[] lanes = new float[8];
        int n = 0;
        for (; n + 2 <= planes; n += 2) {
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i + 8 <= length; i += 8) {
                FloatVector d0 = FloatVector.fromArray(F, x, o0 + i).sub(m);
                FloatVector d1 = FloatVector.fromArray(F, x, o1 + i).sub(m);
                acc = addTransposed(acc, d0.mul(d0), d1.mul(d1));
            }
            acc.intoArray(lanes, 0);
            out[n] = ScalarPlaneLoops.finishSquares(x, o0, i, length, mu, lanes[0], lanes[1], lanes[2], lanes[3]);
            out[n + 1] = ScalarPlaneLoops.finishSquares(x, o1, i, length, mu, lanes[4], lanes[5], lanes[6], lanes[7]);
        }
        for (; n < planes; n++) {
            out[n] = ScalarPlaneLoops.sumSquares(x, first + n * stride, length, mu);
        }
    }

    /** {@link #dotCentred(float[], int, int, float[], int, int, int, int, float, float[], int, float[])} on 8 lanes. */
    private static void dotCentredPairs(float[] g, int gFirst, int gStride, float[] x, int first, int stride,
                                        int planes, int length, float mu, float[] mus, int musFrom, float[] out) {
        float[] lanes = new float[8];
        int n = 0;
        for (; n + 2 <= planes; n += 2) {
            float mu0 = mus == null ? mu : mus[musFrom + n];
            float mu1 = mus == null ? mu : mus[musFrom + n + 1];
            FloatVector m0 = FloatVector.broadcast(F, mu0);
            FloatVector m1 = FloatVector.broadcast(F, mu1);
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            int p0 = gFirst + n * gStride;
            int p1 = p0 + gStride;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i + 8 <= length; i += 8) {
                acc = addTransposed(acc,
                        FloatVector.fromArray(F, g, p0 + i).mul(FloatVector.fromArray(F, x, o0 + i).sub(m0)),
                        FloatVector.fromArray(F, g, p1 + i).mul(FloatVector.fromArray(F, x, o1 + i).sub(m1)));
            }
            acc.intoArray(lanes, 0);
            out[n] = ScalarPlaneLoops.finishDot(g, p0, x, o0, i, length, mu0, lanes[0], lanes[1], lanes[2], lanes[3]);
            out[n + 1] = ScalarPlaneLoops.finishDot(g, p1, x, o1, i, length, mu1, lanes[4], lanes[5], lanes[6],
                    lanes[7]);
        }
        for (; n < planes; n++) {
            out[n] = ScalarPlaneLoops.dotCentred(g, gFirst + n * gStride, x, first + n * stride, length,
                    mus == null ? mu : mus[musFrom + n]);
        }
    }

    /**
     * A vector of elements a step (any vector length: elements are independent), each rounded as
     * the scalar loop rounds it (a·g and b·(x − mu) multiplied, then added; no fused
     * multiply-add), the rest on the scalar loop.
     */
    @Override
    public void inputGrad(float[] x, float[] g, int gFrom, int xFrom, int length, float mu, float a, float b,
                          float d, float[] gx, boolean overwrite) {
        int shift = gFrom - xFrom;
        int end = xFrom + length;
        int i = xFrom;
        int lanes = F.length();
        FloatVector m = FloatVector.broadcast(F, mu);
        FloatVector zero = FloatVector.zero(F);
        for (; i + lanes <= end; i += lanes) {
            FloatVector t = FloatVector.fromArray(F, g, i + shift).mul(a)
                    .add(FloatVector.fromArray(F, x, i).sub(m).mul(b).add(d));
            FloatVector base = overwrite ? zero : FloatVector.fromArray(F, gx, i);
            base.add(t).intoArray(gx, i);
        }
        ScalarPlaneLoops.inputGradRange(x, g, shift, i, end, mu, a, b, d, gx, overwrite);
    }

    /**
     * A vector of outputs a step: the slopes from one compare (z &gt; 0 is false for NaN, as in
     * {@link Elementwise#reluSlope}), gy·slope + 0 rounded as the scalar loop rounds it, and one
     * scatter store to the winners' places (distinct, so the order of the lanes' stores does not
     * matter); the rest on the scalar loop. Only where vectors are 512 bits wide: AVX2 has no
     * scatter store, and the Vector API's stand-in for one allocates a few arrays per vector
     * (57 MB per Conv-4 step on a Zen 3 core, at ten times the scalar loop's time), so narrower
     * vectors take the scalar loop throughout — the same bits either way.
     */
    @Override
    public void winnerGradients(float[] gy, float[] z, int[] argmax, int from, int to, int shift, float[] buf) {
        int lanes = F.length();
        int o = from;
        if (SCATTER && lanes == KernelSpecies.INT.length()) { // the index vector needs as many lanes
            FloatVector one = FloatVector.broadcast(F, 1f);
            FloatVector zero = FloatVector.zero(F);
            for (; o + lanes <= to; o += lanes) {
                FloatVector slope = zero.blend(one, FloatVector.fromArray(F, z, o).compare(VectorOperators.GT, 0f));
                zero.add(FloatVector.fromArray(F, gy, o).mul(slope)).intoArray(buf, shift, argmax, o);
            }
        }
        ScalarPlaneLoops.winnerGradientRange(gy, z, argmax, o, to, shift, buf);
    }

}
