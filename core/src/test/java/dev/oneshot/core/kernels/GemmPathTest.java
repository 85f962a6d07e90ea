package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which GEMM kernel runs, and that the two agree. The core suite runs twice (core/pom.xml):
 * without {@code jdk.incubator.vector} (expects "scalar") and with it (expects "vector-...").
 */
class GemmPathTest {
    @Test
    void theExpectedKernelRan() {
        String expected = System.getProperty("oneshot.test.expectKernel");
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(module, VectorSupport.available());
        if (expected == null) { // run outside Maven: the default follows the module
            assertEquals(module ? "vector" : "scalar", Gemm.kernel().replaceAll("-.*", ""));
            return;
        }
        assertTrue(Gemm.kernel().startsWith(expected), "kernel " + Gemm.kernel() + ", expected " + expected);
        float[] c = new float[4];
        Gemm.multiply(false, false, 2, 2, 2, new float[] {1, 2, 3, 4}, 0, new float[] {5, 6, 7, 8}, 0, c, 0, false);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
    }

    /**
     * A packed once ({@link GemmPath#packA}) gives the same bits as the kernel packing it for each
     * product: several k blocks, rows not a multiple of the micro-kernel's, Aᵀ, accumulating.
     */
    @Test
    void aPackedOnceGivesTheSameBits() {
        GemmPath kernel = Gemm.prepacking();
        if (kernel == null) { // the scalar kernel does not pre-pack (the suite's run without the module)
            assertEquals(-1, GemmKernel.PATH.packedASize(8, 8));
            return;
        }
        Random rnd = new Random(11);
        int[][] shapes = {{64, 256, 64}, {13, 70, 600}, {8, 33, 9}, {3, 5, 2}, {40, 130, 257}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] a = gaussian(rnd, m * k + 5);
                    float[] b = gaussian(rnd, k * n + 3);
                    float[] c0 = gaussian(rnd, m * n + 2);
                    float[] expected = c0.clone();
                    kernel.compute(transA, false, m, n, k, a, 5, b, 3, expected, 2, accumulate, 0, m, 0, n);
                    float[] packed = new float[kernel.packedASize(m, k) + 7];
                    kernel.packA(transA, m, k, a, 5, packed, 7);
                    float[] actual = c0.clone();
                    kernel.computePackedA(packed, 7, false, m, n, k, b, 3, actual, 2, accumulate, 0, n);
                    assertArrayEquals(expected, actual, m + "x" + n + "x" + k + " transA=" + transA
                            + " accumulate=" + accumulate);
                }
            }
        }
    }

    /**
     * A row-major A under one or two strips of C is read in place instead of packed
     * ({@code VectorGemmKernel.IN_PLACE_A_MAX_COLUMNS}): the same FMAs in the same order, so the
     * same bits as the packed panel — several k blocks, rows and columns off the tile sizes, Bᵀ,
     * accumulating.
     */
    @Test
    void aReadInPlaceGivesTheSameBitsAsPacked() {
        GemmPath kernel = Gemm.prepacking();
        if (kernel == null) {
            return; // the scalar kernel has no packed panels (the suite's run without the module)
        }
        Random rnd = new Random(12);
        int[][] shapes = {{64, 32, 245}, {13, 64, 600}, {9, 32, 6272}, {16, 40, 257}, {24, 17, 3}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean transB : new boolean[] {false, true}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] a = gaussian(rnd, m * k + 5);
                    float[] b = gaussian(rnd, k * n + 3);
                    float[] c0 = gaussian(rnd, m * n + 2);
                    float[] inPlace = c0.clone();
                    kernel.compute(false, transB, m, n, k, a, 5, b, 3, inPlace, 2, accumulate, 0, m, 0, n);
                    float[] packed = new float[kernel.packedASize(m, k)];
                    kernel.packA(false, m, k, a, 5, packed, 0);
                    float[] expected = c0.clone();
                    kernel.computePackedA(packed, 0, transB, m, n, k, b, 3, expected, 2, accumulate, 0, n);
                    assertArrayEquals(expected, inPlace, m + "x" + n + "x" + k + " transB=" + transB
                            + " accumulate=" + accumulate);
                }
            }
        }
    }

    /**
     * Bᵀ packed (16 × 16 blocks transposed in registers, the rest element by element) gives the
     * same bits as the same matrix handed over untransposed: depths that are and are not multiples
     * of 16, several k blocks, a partial last strip, offsets, both kernels' entry points. Every
     * element of the products depends on where packing put each value, so a block transposed
     * wrongly (a lane off, a stage missing) fails here.
     */
    @Test
    void bTransposedPacksAsBUntransposed() {
        GemmPath kernel = Gemm.prepacking();
        if (kernel == null) {
            return; // the scalar kernel has no packed panels (the suite's run without the module)
        }
        Random rnd = new Random(13);
        int[][] shapes = {{64, 64, 256}, {64, 64, 196}, {8, 32, 16}, {16, 70, 600}, {9, 33, 17}, {24, 96, 31}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = gaussian(rnd, m * k + 5);
            float[] bt = gaussian(rnd, n * k + 3); // Bᵀ [n × k] from offset 3
            float[] b = new float[k * n];
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    b[p * n + j] = bt[3 + j * k + p];
                }
            }
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] c0 = gaussian(rnd, m * n + 2);
                float[] expected = c0.clone();
                kernel.compute(false, false, m, n, k, a, 5, b, 0, expected, 2, accumulate, 0, m, 0, n);
                float[] actual = c0.clone();
                kernel.compute(false, true, m, n, k, a, 5, bt, 3, actual, 2, accumulate, 0, m, 0, n);
                assertArrayEquals(expected, actual, m + "x" + n + "x" + k + " accumulate=" + accumulate);
                float[] packed = new float[kernel.packedASize(m, k)];
                kernel.packA(false, m, k, a, 5, packed, 0);
                float[] prepacked = c0.clone();
                kernel.computePackedA(packed, 0, true, m, n, k, bt, 3, prepacked, 2, accumulate, 0, n);
                assertArrayEquals(expected, prepacked, m + "x" + n + "x" + k + " packed A, accumulate=" + accumulate);
            }
        }
    }

    private static float[] gaussian(Random rnd, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void bothKernelsAgreeAndEachIsDeterministicAcrossThreadCounts() {
        boolean saved = VectorSupport.enabled();
        int savedThreads = Gemm.threads();
        Random rnd = new Random(3);
        int[][] shapes = {{64, 196, 288}, {384, 128, 3136}, {33, 47, 9}, {512, 512, 512}, {1, 100, 7}};
        try {
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) rnd.nextGaussian();
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) rnd.nextGaussian();
                }
                float[][] byKernel = new float[2][];
                for (int v = 0; v < 2; v++) {
                    VectorSupport.use(v == 1);
                    float[] ref = null;
                    for (int threads : new int[] {1, 2, 3}) {
                        Gemm.setThreads(threads);
                        float[] c = new float[m * n];
                        Gemm.multiply(false, true, m, n, k, a, 0, transpose(b, k, n), 0, c, 0, false);
                        if (ref == null) {
                            ref = c;
                        } else {
                            assertArrayEquals(ref, c, Gemm.kernel() + " threads=" + threads);
                        }
                    }
                    byKernel[v] = ref;
                }
                double max = 0;
                for (float x : byKernel[0]) {
                    max = Math.max(max, Math.abs(x));
                }
                for (int i = 0; i < byKernel[0].length; i++) {
                    assertEquals(byKernel[0][i], byKernel[1][i], 1e-4 * Math.max(1, max), "element " + i);
                }
            }
        } finally {
            VectorSupport.use(saved);
            Gemm.setThreads(savedThreads);
        }
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = x[r * cols + c];
            }
        }
        return t;
    }
}
