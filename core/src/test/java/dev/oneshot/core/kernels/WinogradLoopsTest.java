package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

            float[] quarters = random(r, 4 * N + 7);
            s = copies(quarters);
            w = copies(quarters);
            scalar.outputTiles(v, 3, PLANE, 0.25f, s[0], N + 1, from, to);
            vector.outputTiles(v, 3, PLANE, 0.25f, w[0], N + 1, from, to);
            assertArrayEquals(s[0], w[0], "outputTiles " + at);

            float[] pooledS = random(r, N + 3);
            float[] pooledV = pooledS.clone();
            scalar.poolTiles(quarters, N + 1, -0.75f, 0.125f, pooledS, 3, from, to);
            vector.poolTiles(quarters, N + 1, -0.75f, 0.125f, pooledV, 3, from, to);
            assertArrayEquals(pooledS, pooledV, "poolTiles " + at);

            float[] y = random(r, N);
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

    /** x[i], or zero outside [from, to): the row's padding. */
    private static float at(float[] x, int i, int from, int to) {
        return i >= from && i < to ? x[i] : 0f;
    }

    /**
     * The row loops against their definition (a tile's columns 2k − 1 … 2k + 2 with zeros outside
     * the row), for widths below, at and above one vector, rows at the array's end, and with and
     * without a row below; the vector loops give the same values and write nothing before the
     * line's start or beyond {@link WinogradLoops#SLACK}.
     */
    @Test
    void rowLoopsMatchTheirDefinition() {
        WinogradLoops vector = VectorSupport.available()
                ? VectorSupport.load(WinogradLoops.class, "VectorWinogradLoops") : null;
        Random r = new Random(9);
        int at = 5;
        for (int wd = 2; wd <= 37; wd++) {
            int pw = (wd + 1) / 2;
            for (int place = 0; place < 2; place++) { // a row inside the array, then its last row
                float[] x = random(r, 3 * wd + 7);
                int row = place == 0 ? 7 : x.length - wd;
                float sentinel = 12345f;
                for (WinogradLoops loops : vector == null ? new WinogradLoops[] {WinogradLoops.SCALAR}
                        : new WinogradLoops[] {WinogradLoops.SCALAR, vector}) {
                    String where = loops.getClass().getSimpleName() + " width " + wd + " row " + row;
                    float[][] lines = new float[4][at + pw + WinogradLoops.SLACK];
                    for (float[] line : lines) {
                        java.util.Arrays.fill(line, sentinel);
                    }
                    loops.inputRow(x, row, wd, pw, lines[0], lines[1], lines[2], lines[3], at);
                    for (int k = 0; k < pw; k++) {
                        int c = row + 2 * k - 1;
                        float e0 = at(x, c, row, row + wd);
                        float e1 = at(x, c + 1, row, row + wd);
                        float e2 = at(x, c + 2, row, row + wd);
                        float e3 = at(x, c + 3, row, row + wd);
                        float[] expected = {e0 - e2, e1 + e2, e2 - e1, e1 - e3};
                        for (int j = 0; j < 4; j++) {
                            assertEquals(expected[j], lines[j][at + k], where + " tile " + k + " line " + j);
                        }
                    }
                    for (float[] line : lines) {
                        for (int i = 0; i < at; i++) {
                            assertEquals(sentinel, line[i], where + ": wrote before the line's start");
                        }
                    }

                    for (boolean below : new boolean[] {true, false}) {
                        int top = place == 0 ? 7 : x.length - (below ? 2 * wd : wd); // its last rows
                        for (float[] line : lines) {
                            java.util.Arrays.fill(line, sentinel);
                        }
                        loops.gradientRow(x, top, wd, pw, below, lines[0], lines[1], lines[2], lines[3], at);
                        for (int k = 0; k < pw; k++) {
                            String tile = where + " below " + below + " tile " + k;
                            assertEquals(at(x, top + 2 * k, top, top + wd), lines[0][at + k], tile + " p");
                            assertEquals(at(x, top + 2 * k + 1, top, top + wd), lines[1][at + k], tile + " q");
                            float rv = below ? at(x, top + wd + 2 * k, top + wd, top + 2 * wd) : 0f;
                            float sv = below ? at(x, top + wd + 2 * k + 1, top + wd, top + 2 * wd) : 0f;
                            assertEquals(rv, lines[2][at + k], tile + " r");
                            assertEquals(sv, lines[3][at + k], tile + " s");
                        }
                        for (float[] line : lines) {
                            for (int i = 0; i < at; i++) {
                                assertEquals(sentinel, line[i], where + ": wrote before the line's start");
                            }
                        }
                    }
                }
            }
        }
    }
}
