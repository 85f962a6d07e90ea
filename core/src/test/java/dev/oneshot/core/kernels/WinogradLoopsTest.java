package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops of the Winograd transforms ({@code VectorWinogradLoops}) give the plain
 * loops' bits ({@link WinogradLoops#SCALAR}) on runs that start anywhere and end with a partial
 * vector, and write nothing outside their run.
 */
class WinogradLoopsTest {
    private static final int N = 75; // 4 vectors of 16 and a tail
    private static final int PLANE = 80;

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static float[][] copies(float[]... arrays) {
        float[][] c = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            c[i] = arrays[i].clone();
        }
        return c;
    }

    @Test
    void vectorLoopsGiveTheScalarBits() {
        Assumptions.assumeTrue(VectorSupport.available(), "the Vector API module is not present in this JVM");
        WinogradLoops vector = VectorSupport.load(WinogradLoops.class, "VectorWinogradLoops");
        assertNotNull(vector);
        WinogradLoops scalar = WinogradLoops.SCALAR;
        Random r = new Random(5);
        int[][] runs = {{0, N}, {3, N}, {7, 20}, {0, 5}, {40, 73}};
        for (int[] run : runs) {
            int from = run[0];
            int to = run[1];
            String at = "run " + from + ".." + to;
            float[] a0 = random(r, N + 10);
            float[] a1 = random(r, N + 10);
            float[] v = random(r, 16 * PLANE + N);
            float[][] s = copies(v);
            float[][] w = copies(v);
            scalar.inputColumns(a0, a1, 10, s[0], 2, PLANE, from, to);
            vector.inputColumns(a0, a1, 10, w[0], 2, PLANE, from, to);
            assertArrayEquals(s[0], w[0], "inputColumns " + at);

            float[] p = random(r, N);
            float[] q = random(r, N);
            float[] rr = random(r, N);
            float[] ss = random(r, N);
            s = copies(v);
            w = copies(v);
            scalar.gradientPlanes(p, q, rr, ss, s[0], 1, PLANE, from, to);
            vector.gradientPlanes(p, q, rr, ss, w[0], 1, PLANE, from, to);
            assertArrayEquals(s[0], w[0], "gradientPlanes " + at);

            float[] y = random(r, N);
            s = copies(y, y, y, y);
            w = copies(y, y, y, y);
            scalar.outputTiles(v, 3, PLANE, 0.25f, s[0], s[1], s[2], s[3], from, to);
            vector.outputTiles(v, 3, PLANE, 0.25f, w[0], w[1], w[2], w[3], from, to);
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(s[i], w[i], "outputTiles " + i + " " + at);
            }

            float[] y2 = random(r, N);
            float[] pooledS = random(r, N + 3);
            float[] pooledV = pooledS.clone();
            scalar.poolTiles(y, y2, p, q, -0.75f, 0.125f, pooledS, 3, from, to);
            vector.poolTiles(y, y2, p, q, -0.75f, 0.125f, pooledV, 3, from, to);
            assertArrayEquals(pooledS, pooledV, "poolTiles " + at);

            s = copies(y, y, y, y);
            w = copies(y, y, y, y);
            scalar.scatterColumns(v, 4, PLANE, s[0], s[1], s[2], s[3], from, to);
            vector.scatterColumns(v, 4, PLANE, w[0], w[1], w[2], w[3], from, to);
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(s[i], w[i], "scatterColumns " + i + " " + at);
            }

            s = copies(p, q, rr, ss);
            w = copies(p, q, rr, ss);
            scalar.rowsInPlace(s[0], s[1], s[2], s[3], from, to);
            vector.rowsInPlace(w[0], w[1], w[2], w[3], from, to);
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(s[i], w[i], "rowsInPlace " + i + " " + at);
            }

            float[] dst = random(r, N + 10);
            s = copies(dst);
            w = copies(dst);
            scalar.addShifted(s[0], 10, p, from, to);
            vector.addShifted(w[0], 10, p, from, to);
            assertArrayEquals(s[0], w[0], "addShifted " + at);
        }
    }
}
