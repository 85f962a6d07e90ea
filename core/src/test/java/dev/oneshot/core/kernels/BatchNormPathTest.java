package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batch-norm sums on the path in use (the core suite runs both: scalar, and the Vector API
 * plane sums of {@code VectorBatchNorm} with the module) against double-precision sums, for
 * plane lengths with and without a tail and a large common offset; the same call twice gives
 * the same bits; and the Vector API plane sums give bit for bit the scalar loops' forward and
 * backward, for batches that are and are not a multiple of the four planes done at once.
 */
class BatchNormPathTest {
    private static float[][] forwardBackward(boolean vector, float[] x, float[] g, int batch, int channels,
                                             int spatial) {
        boolean saved = VectorSupport.enabled();
        VectorSupport.use(vector);
        try {
            float[] gamma = new float[channels];
            float[] beta = new float[channels];
            for (int c = 0; c < channels; c++) {
                gamma[c] = 0.5f + c;
                beta[c] = c - 1f;
            }
            float[] mean = new float[channels];
            float[] var = new float[channels];
            float[] invStd = new float[channels];
            float[] scale = new float[channels];
            float[] out = new float[x.length];
            BatchNormKernel.trainForward(x, batch, channels, spatial, gamma, beta, 1e-5f, mean, var, invStd, scale, out);
            double[] sumG = new double[channels];
            double[] sumGXhat = new double[channels];
            float[] gx = new float[x.length];
            BatchNormKernel.backward(x, g, batch, channels, spatial, mean, invStd, gamma, true, sumG, sumGXhat, gx, true);
            float[] sums = new float[2 * channels];
            for (int c = 0; c < channels; c++) {
                sums[c] = (float) sumG[c];
                sums[channels + c] = (float) sumGXhat[c];
            }
            return new float[][] {mean, var, out, gx, sums};
        } finally {
            VectorSupport.use(saved);
        }
    }

    /**
     * The pooling's gradient at the winners (a scatter store on the Vector API) against the
     * reference loop, float bits compared over the whole buffer (nothing else written): runs that
     * are and are not a multiple of the vector, shifted indices, and z and gy holding ±0, NaN,
     * ±∞ and subnormals, whose slopes and products must round as the scalar expression.
     */
    @Test
    void winnerGradientsAreTheReferenceLoopBitForBit() {
        List<BatchNormKernel.PlaneLoops> impls = new ArrayList<>();
        impls.add(ScalarPlaneLoops.INSTANCE);
        BatchNormKernel.PlaneLoops vector = VectorSupport.load(BatchNormKernel.PlaneLoops.class, "VectorBatchNorm");
        if (vector != null) {
            impls.add(vector);
        }
        float[] odd = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, 1e-40f};
        Random rnd = new Random(17);
        int[][] runs = {{0, 196}, {5, 54}, {0, 9}, {33, 49}, {16, 48}};
        for (int[] run : runs) {
            int n = 200;
            float[] gy = new float[n];
            float[] z = new float[n];
            int[] argmax = new int[n];
            for (int o = 0; o < n; o++) {
                gy[o] = rnd.nextInt(6) == 0 ? odd[rnd.nextInt(odd.length)] : (float) rnd.nextGaussian();
                z[o] = rnd.nextInt(6) == 0 ? odd[rnd.nextInt(odd.length)] : (float) rnd.nextGaussian();
                argmax[o] = 4 * o + rnd.nextInt(4); // one place per window, as 2×2 windows give
            }
            int shift = 7;
            float[] expected = new float[4 * n + 16];
            java.util.Arrays.fill(expected, 42f);
            for (int o = run[0]; o < run[1]; o++) {
                expected[argmax[o] + shift] = 0f + gy[o] * (z[o] > 0f ? 1f : 0f);
            }
            for (BatchNormKernel.PlaneLoops impl : impls) {
                float[] buf = new float[expected.length];
                java.util.Arrays.fill(buf, 42f);
                impl.winnerGradients(gy, z, argmax, run[0], run[1], shift, buf);
                for (int i = 0; i < buf.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(buf[i]),
                            impl.getClass().getSimpleName() + " run " + run[0] + ".." + run[1] + " at " + i);
                }
            }
        }
    }

    /**
     * Each plane-sums implementation (the scalar four-planes-at-a-time loops, and the Vector API
     * ones when the module is present) against the one-plane reference loops, float bits
     * compared, on awkward plane lengths and plane counts, planes strided as in [N, C, S].
     */
    @Test
    void planeSumsAreTheOnePlaneReferenceBitForBit() {
        List<BatchNormKernel.PlaneLoops> impls = new ArrayList<>();
        impls.add(ScalarPlaneLoops.INSTANCE);
        BatchNormKernel.PlaneLoops vector = VectorSupport.load(BatchNormKernel.PlaneLoops.class, "VectorBatchNorm");
        if (vector != null) {
            impls.add(vector);
        }
        Random r = new Random(31);
        for (int length : new int[] {1, 3, 7, 9, 16, 17, 20, 31, 32, 33, 49, 196, 784}) {
            for (int planes : new int[] {1, 3, 4, 5, 8, 9}) {
                int channels = 3;
                float[] x = new float[planes * channels * length + 5];
                float[] g = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    // mixed scales and signs, some exact zeros of both signs: rounding shows
                    x[i] = i % 37 == 0 ? (i % 2 == 0 ? 0f : -0f) : 40f + (float) (r.nextGaussian() * Math.exp(3 * r.nextGaussian()));
                    g[i] = (float) (r.nextGaussian() * Math.exp(2 * r.nextGaussian()));
                }
                for (int c = 0; c < channels; c++) {
                    int first = c * length + (c == 2 ? 5 : 0); // one channel at an offset not a multiple of 4
                    int stride = channels * length;
                    float shift = x[first];
                    float mu = 39.5f;
                    for (BatchNormKernel.PlaneLoops impl : impls) {
                        float[] sum = new float[planes];
                        float[] squares = new float[planes];
                        float[] dot = new float[planes];
                        impl.sum(x, first, stride, planes, length, shift, sum);
                        impl.sumSquares(x, first, stride, planes, length, mu, squares);
                        impl.dotCentred(g, first, stride, x, first, stride, planes, length, mu, dot);
                        // g laid out apart from x (planes packed one after another, as the fused
                        // batch norm → ReLU → pool backward has them): the same sums
                        float[] packed = new float[planes * length + 3];
                        for (int n = 0; n < planes; n++) {
                            System.arraycopy(g, first + n * stride, packed, 3 + n * length, length);
                        }
                        float[] dotPacked = new float[planes];
                        impl.dotCentred(packed, 3, length, x, first, stride, planes, length, mu, dotPacked);
                        // each plane centred on its own mean (planes of several channels)
                        float[] mus = new float[planes + 2];
                        for (int n = 0; n < mus.length; n++) {
                            mus[n] = mu + 0.37f * n - 0.5f;
                        }
                        float[] dotEach = new float[planes];
                        impl.dotCentredEach(packed, 3, length, x, first, stride, planes, length, mus, 2, dotEach);
                        for (int n = 0; n < planes; n++) {
                            int off = first + n * stride;
                            String what = impl.getClass().getSimpleName() + ", length " + length + ", planes " + planes
                                    + ", channel " + c + ", plane " + n;
                            assertEquals(Float.floatToRawIntBits(ScalarPlaneLoops.sum(x, off, length, shift)),
                                    Float.floatToRawIntBits(sum[n]), "sum, " + what);
                            assertEquals(Float.floatToRawIntBits(ScalarPlaneLoops.sumSquares(x, off, length, mu)),
                                    Float.floatToRawIntBits(squares[n]), "sumSquares, " + what);
                            assertEquals(Float.floatToRawIntBits(ScalarPlaneLoops.dotCentred(g, x, off, length, mu)),
                                    Float.floatToRawIntBits(dot[n]), "dotCentred, " + what);
                            assertEquals(Float.floatToRawIntBits(dot[n]), Float.floatToRawIntBits(dotPacked[n]),
                                    "dotCentred, g packed, " + what);
                            assertEquals(Float.floatToRawIntBits(ScalarPlaneLoops.dotCentred(packed, 3 + n * length, x,
                                    off, length, mus[2 + n])), Float.floatToRawIntBits(dotEach[n]),
                                    "dotCentredEach, " + what);
                            // the input gradient's plane loop, g packed, accumulating and overwriting
                            for (boolean overwrite : new boolean[] {false, true}) {
                                float[] want = x.clone();
                                float[] got = x.clone();
                                ScalarPlaneLoops.inputGradRange(x, packed, 3 + n * length - off, off, off + length, mu,
                                        0.7f, -1.3e-3f, 0.011f, want, overwrite);
                                impl.inputGrad(x, packed, 3 + n * length, off, length, mu, 0.7f, -1.3e-3f, 0.011f,
                                        got, overwrite);
                                for (int i = 0; i < x.length; i++) {
                                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                            "inputGrad at " + i + ", overwrite " + overwrite + ", " + what);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The one-plane reference loop is today's: four lanes, tail into lane 0, ((l0 + l1) + (l2 + l3)). */
    @Test
    void referenceLoopIsFourLanes() {
        float[] x = {1e8f, 1f, -1e8f, 1f, 3f, 0.5f, 0.25f};
        float l0 = 1e8f; // lane 0: x[0], x[4], then the tail x[6]
        l0 += 3f;
        l0 += 0.25f;
        float l1 = 1f;
        l1 += 0.5f;
        float l2 = -1e8f;
        float l3 = 1f;
        assertEquals(Float.floatToRawIntBits((l0 + l1) + (l2 + l3)),
                Float.floatToRawIntBits(ScalarPlaneLoops.sum(x, 0, x.length, 0f)));
    }

    @Test
    void vectorPlaneSumsAreTheScalarOnesBitForBit() {
        Random r = new Random(23);
        for (int spatial : new int[] {1, 3, 7, 8, 9, 13, 16, 20, 49, 196, 784}) {
            for (int batch : new int[] {1, 3, 4, 6, 9}) {
                int channels = 3;
                float[] x = new float[batch * channels * spatial];
                float[] g = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = 3f + (float) r.nextGaussian();
                    g[i] = (float) r.nextGaussian();
                }
                float[][] scalar = forwardBackward(false, x, g, batch, channels, spatial);
                float[][] vector = forwardBackward(true, x, g, batch, channels, spatial);
                for (int k = 0; k < scalar.length; k++) {
                    assertArrayEquals(scalar[k], vector[k], "array " + k + ", spatial " + spatial + ", batch " + batch
                            + ", " + BatchNormKernel.kernel());
                }
            }
        }
    }

    @Test
    void statisticsAndGradientSumsMatchDoublePrecision() {
        String expected = System.getProperty("oneshot.test.expectKernel");
        if (expected != null) {
            assertTrue(BatchNormKernel.kernel().startsWith(expected), BatchNormKernel.kernel() + " vs " + expected);
        }
        Random r = new Random(11);
        int[] lengths = {1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 49, 64, 196, 784};
        for (int spatial : lengths) {
            for (float offset : new float[] {0f, 100f}) {
                int batch = 5;
                int channels = 3;
                float[] x = new float[batch * channels * spatial];
                float[] g = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = offset + (float) r.nextGaussian();
                    g[i] = (float) r.nextGaussian();
                }
                float[] mean = new float[channels];
                float[] var = new float[channels];
                BatchNormKernel.stats(x, batch, channels, spatial, mean, var);
                float[] invStd = new float[channels];
                for (int c = 0; c < channels; c++) {
                    invStd[c] = (float) (1 / Math.sqrt(var[c] + 1e-5));
                }
                double[] sumG = new double[channels];
                double[] sumGXhat = new double[channels];
                BatchNormKernel.gradSums(x, g, batch, channels, spatial, mean, invStd, sumG, sumGXhat);
                for (int c = 0; c < channels; c++) {
                    double m = 0;
                    double sg = 0;
                    for (int n = 0; n < batch; n++) {
                        for (int i = 0; i < spatial; i++) {
                            m += x[(n * channels + c) * spatial + i];
                            sg += g[(n * channels + c) * spatial + i];
                        }
                    }
                    m /= batch * spatial;
                    double v = 0;
                    double sgx = 0;
                    for (int n = 0; n < batch; n++) {
                        for (int i = 0; i < spatial; i++) {
                            double d = x[(n * channels + c) * spatial + i] - m;
                            v += d * d;
                            sgx += g[(n * channels + c) * spatial + i] * (x[(n * channels + c) * spatial + i] - mean[c]);
                        }
                    }
                    v /= batch * spatial;
                    String what = "spatial " + spatial + " offset " + offset + " channel " + c;
                    assertEquals(m, mean[c], 1e-5 * Math.max(1, Math.abs(m)), "mean, " + what);
                    assertEquals(v, var[c], 1e-4 * Math.max(1e-3, v), "var, " + what);
                    assertEquals(sg, sumG[c], 1e-4 * Math.sqrt(batch * spatial), "Σg, " + what);
                    assertEquals(sgx * invStd[c], sumGXhat[c], 1e-4 * Math.sqrt(batch * spatial), "Σg·x̂, " + what);
                }
                float[] mean2 = new float[channels];
                float[] var2 = new float[channels];
                BatchNormKernel.stats(x, batch, channels, spatial, mean2, var2);
                assertArrayEquals(mean, mean2);
                assertArrayEquals(var, var2);
            }
        }
    }
}
