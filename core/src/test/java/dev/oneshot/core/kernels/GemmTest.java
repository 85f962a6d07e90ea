package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Gemm} and {@link dev.oneshot.core.ops.MatMul} against EJML's float32 products. */
class GemmTest {
    /** Allowed error, relative to the largest |element| of the reference result. */
    private static final double REL_TOL = 1e-4;
    private static final float SENTINEL = 12345.5f;

    static Stream<Arguments> shapes() {
        List<int[]> shapes = new ArrayList<>(List.of(
                new int[] {1, 1, 1}, new int[] {7, 13, 5}, new int[] {64, 64, 64},
                new int[] {129, 257, 65}, new int[] {512, 512, 512},
                new int[] {3, 300, 17}, new int[] {300, 3, 17}, new int[] {1, 600, 700},
                new int[] {5, 1, 1000}, new int[] {257, 260, 300}, new int[] {6, 1030, 513},
                new int[] {0, 5, 3}, new int[] {5, 0, 3}, new int[] {4, 5, 0}, new int[] {0, 0, 0}));
        Random rnd = new Random(2024);
        for (int i = 0; i < 8; i++) {
            shapes.add(new int[] {1 + rnd.nextInt(512), 1 + rnd.nextInt(512), 1 + rnd.nextInt(512)});
        }
        List<Arguments> args = new ArrayList<>();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                args.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void matchesEjml(int m, int n, int k, boolean transA, boolean transB) {
        Random rnd = new Random(31L * m + 17L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
        float[] a = gaussian(rnd, m * k);
        float[] b = gaussian(rnd, k * n);
        float[] c0 = gaussian(rnd, m * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            // place the operands at offsets inside larger arrays, with sentinels around C
            int aOff = 3;
            int bOff = 11;
            int cOff = 5;
            float[] aBig = embed(a, aOff, 7, rnd.nextFloat());
            float[] bBig = embed(b, bOff, 2, rnd.nextFloat());
            float[] cBig = embed(c0, cOff, 9, SENTINEL);
            java.util.Arrays.fill(cBig, 0, cOff, SENTINEL);

            Gemm.multiply(transA, transB, m, n, k, aBig, aOff, bBig, bOff, cBig, cOff, accumulate);

            float[] expected = reference(transA, transB, m, n, k, a, b, c0, accumulate);
            float[] actual = java.util.Arrays.copyOfRange(cBig, cOff, cOff + m * n);
            assertClose(expected, actual, "accumulate=" + accumulate);
            for (int i = 0; i < cOff; i++) {
                assertEquals(SENTINEL, cBig[i], "C written before its offset");
            }
            for (int i = cOff + m * n; i < cBig.length; i++) {
                assertEquals(SENTINEL, cBig[i], "C written past its end");
            }
        }
    }

    @Test
    void threadCountDoesNotChangeBits() {
        int saved = Gemm.threads();
        try {
            int[][] shapes = {{512, 512, 512}, {300, 257, 129}, {20, 2000, 300}, {2001, 40, 130}, {130, 131, 517}};
            Random rnd = new Random(7);
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = gaussian(rnd, m * k);
                float[] b = gaussian(rnd, k * n);
                float[] c0 = gaussian(rnd, m * n);
                for (int t = 0; t < 4; t++) {
                    boolean transA = (t & 1) != 0;
                    boolean transB = (t & 2) != 0;
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] ref = null;
                        for (int threads : new int[] {1, 2, 3, 5}) {
                            Gemm.setThreads(threads);
                            float[] c = c0.clone();
                            Gemm.multiply(transA, transB, m, n, k, a, 0, b, 0, c, 0, accumulate);
                            if (ref == null) {
                                ref = c;
                            } else {
                                assertArrayEquals(ref, c, "threads=" + threads + " shape " + m + "x" + n + "x" + k
                                        + " transA=" + transA + " transB=" + transB + " acc=" + accumulate);
                            }
                        }
                    }
                }
            }
        } finally {
            Gemm.setThreads(saved);
        }
    }

    @Test
    void zeroInnerDimensionZeroesOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5, 6};
        Gemm.multiply(false, false, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0, true);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c);
        Gemm.multiply(true, true, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0, false);
        assertArrayEquals(new float[6], c);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(false, false, -1, 1, 1, new float[1], 0, new float[1], 0, new float[1], 0, false));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.multiply(false, false, 2, 2, 2, new float[3], 0, new float[4], 0, new float[4], 0, false));
        assertThrows(IllegalArgumentException.class, () -> Gemm.setThreads(0));
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void matMulForwardMatchesEjml(boolean transA, boolean transB) {
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {65, 33, 130}, {128, 300, 64}};
        long seed = 100;
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int batch : new int[] {0, 3}) { // 0 = plain 2-D
                int[] aShape = transA ? new int[] {k, m} : new int[] {m, k};
                int[] bShape = transB ? new int[] {n, k} : new int[] {k, n};
                Tensor a = Tensor.randn(seed++, batch == 0 ? aShape : new int[] {batch, aShape[0], aShape[1]});
                Tensor b = Tensor.randn(seed++, batch == 0 ? bShape : new int[] {batch, bShape[0], bShape[1]});
                Tensor c = (transA || transB) ? a.matmul(b, transA, transB) : a.matmul(b);
                int[] expectedShape = batch == 0 ? new int[] {m, n} : new int[] {batch, m, n};
                assertArrayEquals(expectedShape, c.shape());
                for (int t = 0; t < Math.max(batch, 1); t++) {
                    float[] at = java.util.Arrays.copyOfRange(a.data(), t * m * k, (t + 1) * m * k);
                    float[] bt = java.util.Arrays.copyOfRange(b.data(), t * k * n, (t + 1) * k * n);
                    float[] ct = java.util.Arrays.copyOfRange(c.data(), t * m * n, (t + 1) * m * n);
                    assertClose(reference(transA, transB, m, n, k, at, bt, null, false), ct, "batch " + t);
                }
            }
        }
    }

    static Stream<Arguments> transposes() {
        return Stream.of(Arguments.of(false, false), Arguments.of(true, false),
                Arguments.of(false, true), Arguments.of(true, true));
    }

    /** EJML's op(A)·op(B) (+ c0 when accumulating); handles the degenerate sizes EJML need not. */
    private static float[] reference(boolean transA, boolean transB, int m, int n, int k,
                                     float[] a, float[] b, float[] c0, boolean accumulate) {
        if (m == 0 || n == 0 || k == 0) {
            return accumulate ? c0.clone() : new float[m * n];
        }
        FMatrixRMaj ma = transA ? FMatrixRMaj.wrap(k, m, a.clone()) : FMatrixRMaj.wrap(m, k, a.clone());
        FMatrixRMaj mb = transB ? FMatrixRMaj.wrap(n, k, b.clone()) : FMatrixRMaj.wrap(k, n, b.clone());
        FMatrixRMaj mc = accumulate ? FMatrixRMaj.wrap(m, n, c0.clone()) : new FMatrixRMaj(m, n);
        if (accumulate) {
            if (transA && transB) {
                CommonOps_FDRM.multAddTransAB(ma, mb, mc);
            } else if (transA) {
                CommonOps_FDRM.multAddTransA(ma, mb, mc);
            } else if (transB) {
                CommonOps_FDRM.multAddTransB(ma, mb, mc);
            } else {
                CommonOps_FDRM.multAdd(ma, mb, mc);
            }
        } else {
            if (transA && transB) {
                CommonOps_FDRM.multTransAB(ma, mb, mc);
            } else if (transA) {
                CommonOps_FDRM.multTransA(ma, mb, mc);
            } else if (transB) {
                CommonOps_FDRM.multTransB(ma, mb, mc);
            } else {
                CommonOps_FDRM.mult(ma, mb, mc);
            }
        }
        return java.util.Arrays.copyOf(mc.data, m * n);
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double maxAbs = 0;
        for (float v : expected) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        double tol = REL_TOL * Math.max(maxAbs, Float.MIN_NORMAL);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            int index = i;
            assertTrue(err <= tol, () -> what + ": element " + index + " expected " + expected[index]
                    + " got " + actual[index] + " (tolerance " + tol + ")");
        }
    }

    private static float[] gaussian(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    private static float[] embed(float[] x, int offset, int tail, float fill) {
        float[] big = new float[offset + x.length + tail];
        java.util.Arrays.fill(big, fill);
        System.arraycopy(x, 0, big, offset, x.length);
        return big;
    }
}
