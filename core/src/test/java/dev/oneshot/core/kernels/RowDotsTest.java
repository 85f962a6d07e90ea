package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The first layer's weight gradient without a GEMM: {@code VectorRowDots} (when the core suite
 * runs with the Vector API module) against double-precision dot products on awkward sizes, a
 * pair's bits independent of the rows computed beside it, and a swapped pair of outputs caught
 * by the same check (the negative control); bit for bit the canonical 16-lane order written out
 * in scalar code, whatever the vector width (core's suite runs this at 256 and 512 bits too), and
 * the order a vector lane at a time — what an 8-lane host summed before — caught by that check; and {@link ConvKernel#backward} of a one-channel
 * layer (K = 9 &lt; F, the path that uses it) against a double-precision ∂W on both paths.
 */
class RowDotsTest {
    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
        }
        return v;
    }

    /** Largest |got − exact| / (Σ_q |a·b| + 1e-30) over all pairs. */
    private static double worstError(float[] a, int aOffset, int aRows, float[] b, int bOffset, int bRows, int n,
                                     float[] got, int gotOffset) {
        double worst = 0;
        for (int i = 0; i < aRows; i++) {
            for (int j = 0; j < bRows; j++) {
                double exact = 0;
                double scale = 0;
                for (int q = 0; q < n; q++) {
                    double p = (double) a[aOffset + i * n + q] * b[bOffset + j * n + q];
                    exact += p;
                    scale += Math.abs(p);
                }
                worst = Math.max(worst, Math.abs(got[gotOffset + i * bRows + j] - exact) / (scale + 1e-30));
            }
        }
        return worst;
    }

    @Test
    void vectorRowDotsAreTheDotProducts() {
        ConvKernel.RowDots dots = VectorSupport.load(ConvKernel.RowDots.class, "VectorRowDots");
        if (dots == null) {
            System.out.println("RowDotsTest: no Vector API module in this run; the scalar run checks the GEMM path below");
            return;
        }
        Random r = new Random(5);
        int[][] shapes = {{9, 32, 6272}, {9, 64, 784 * 8}, {1, 1, 1}, {2, 3, 15}, {3, 4, 16}, {4, 5, 17},
            {9, 32, 511}, {9, 32, 513}, {7, 6, 1030}, {27, 32, 200}, {9, 33, 1000}};
        for (int[] s : shapes) {
            int aRows = s[0];
            int bRows = s[1];
            int n = s[2];
            int aOffset = 3;
            int bOffset = 5;
            float[] a = gaussian(r, aOffset + aRows * n + 2);
            float[] b = gaussian(r, bOffset + bRows * n + 2);
            float[] out = new float[7 + aRows * bRows];
            dots.dots(a, aOffset, aRows, b, bOffset, bRows, n, out, 7);
            String what = aRows + "×" + bRows + " rows of " + n;
            double err = worstError(a, aOffset, aRows, b, bOffset, bRows, n, out, 7);
            assertTrue(err < 1e-5, what + ": relative error " + err);
            float[] again = new float[out.length];
            dots.dots(a, aOffset, aRows, b, bOffset, bRows, n, again, 7);
            assertArrayEquals(out, again, what + ": the same call, the same bits");
            // one pair alone (the one-by-one loop) gives the bits the blocks gave it
            int i = aRows - 1;
            int j = bRows / 2;
            float[] single = new float[1];
            dots.dots(a, aOffset + i * n, 1, b, bOffset + j * n, 1, n, single, 0);
            assertEquals(Float.floatToIntBits(out[7 + i * bRows + j]), Float.floatToIntBits(single[0]),
                    what + ": pair (" + i + ", " + j + ") alone");
            float[] canonical = canonical(a, aOffset, aRows, b, bOffset, bRows, n, 16);
            for (int k = 0; k < canonical.length; k++) {
                assertEquals(Float.floatToIntBits(canonical[k]), Float.floatToIntBits(out[7 + k]),
                        what + ": output " + k + " bit for bit the 16-lane order at " + VectorSupport.path());
            }
            if (n >= 64) { // negative control: 8 lanes (an AVX2 vector's) give other bits somewhere
                float[] eight = canonical(a, aOffset, aRows, b, bOffset, bRows, n, 8);
                boolean differs = false;
                for (int k = 0; k < eight.length; k++) {
                    differs |= Float.floatToIntBits(eight[k]) != Float.floatToIntBits(out[7 + k]);
                }
                assertTrue(differs, what + ": the bit check must tell an 8-lane order from the 16-lane one");
            }
            if (aRows * bRows > 1) { // negative control: two outputs swapped fail the same check
                float[] swapped = out.clone();
                swapped[7] = out[8];
                swapped[8] = out[7];
                assertTrue(worstError(a, aOffset, aRows, b, bOffset, bRows, n, swapped, 7) > 1e-3,
                        what + ": the check must catch two swapped outputs");
            }
        }
    }

    /**
     * The dot products in the order of {@code VectorRowDots} with {@code lanes} lanes: lane l
     * sums, by fused multiply-adds, the products q ≡ l (mod lanes) below n − n mod lanes, chunks
     * of 512 at a time (which does not change a lane's order); the lanes are added as
     * {@link DistanceKernels#tree} adds 16 (8 lanes: the upper eight zero), then the tail in order.
     */
    private static float[] canonical(float[] a, int aOffset, int aRows, float[] b, int bOffset, int bRows, int n,
                                     int lanes) {
        float[] out = new float[aRows * bRows];
        int nv = n - n % lanes;
        for (int i = 0; i < aRows; i++) {
            for (int j = 0; j < bRows; j++) {
                float[] lane = new float[16];
                for (int q = 0; q < nv; q++) {
                    lane[q % lanes] = Math.fma(a[aOffset + i * n + q], b[bOffset + j * n + q], lane[q % lanes]);
                }
                float s = DistanceKernels.tree(lane[0], lane[1], lane[2], lane[3], lane[4], lane[5], lane[6],
                        lane[7], lane[8], lane[9], lane[10], lane[11], lane[12], lane[13], lane[14], lane[15]);
                for (int q = nv; q < n; q++) {
                    s += a[aOffset + i * n + q] * b[bOffset + j * n + q];
                }
                out[i * bRows + j] = s;
            }
        }
        return out;
    }

    /** ∂W of a one-channel 3×3 layer (32 filters, 12 images of 28×28) on the path in use and on the other. */
    @Test
    void firstLayerWeightGradientMatchesDoublePrecision() {
        Im2Col.Geometry g = new Im2Col.Geometry(1, 28, 28, 3, 3, 1, 1);
        int batch = 12;
        int filters = 32;
        Random r = new Random(9);
        float[] x = gaussian(r, batch * 28 * 28);
        float[] w = gaussian(r, filters * 9);
        float[] gy = gaussian(r, batch * filters * 28 * 28);
        double[] exact = new double[filters * 9];
        double[] scale = new double[filters * 9];
        for (int n = 0; n < batch; n++) {
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy < 28; oy++) {
                    for (int ox = 0; ox < 28; ox++) {
                        double gv = gy[((n * filters + f) * 28 + oy) * 28 + ox];
                        for (int t = 0; t < 9; t++) {
                            int iy = oy + t / 3 - 1;
                            int ix = ox + t % 3 - 1;
                            if (iy >= 0 && iy < 28 && ix >= 0 && ix < 28) {
                                double p = gv * x[(n * 28 + iy) * 28 + ix];
                                exact[f * 9 + t] += p;
                                scale[f * 9 + t] += Math.abs(p);
                            }
                        }
                    }
                }
            }
        }
        boolean saved = VectorSupport.enabled();
        try {
            for (boolean vector : new boolean[] {true, false}) {
                String path = VectorSupport.use(vector);
                float[] gw = new float[filters * 9];
                ConvKernel.backward(g, batch, filters, x, w, gy, gw, null, false);
                for (int i = 0; i < gw.length; i++) {
                    assertEquals(exact[i], gw[i], 1e-4 * scale[i], path + ": ∂W[" + i + "]");
                }
                float[] shifted = gw.clone(); // negative control: taps 0 and 1 of filter 0 swapped
                shifted[0] = gw[1];
                shifted[1] = gw[0];
                assertTrue(Math.abs(shifted[0] - exact[0]) > 1e-3 * scale[0]
                        || Math.abs(shifted[1] - exact[1]) > 1e-3 * scale[1], path + ": the check must catch swapped taps");
            }
        } finally {
            VectorSupport.use(saved);
        }
    }
}
