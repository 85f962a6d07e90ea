package dev.oneshot.core.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistanceKernelsTest {
    @Test
    void handComputedKeys() {
        float[] a = {1, 2, 3, 4, 5};
        float[] b = {0, 0, 0, 0, 0};
        assertEquals(55f, DistanceKernels.squaredL2(a, 0, b, 0, 5));
        assertEquals(-(1 + 4 + 9 + 16 + 25f) / 1, DistanceKernels.negWeightedL1(a, 0, b, 0, a, 5));
        assertEquals(0f, DistanceKernels.squaredL2(a, 1, a, 1, 4));
    }

    @Test
    void boundedDistanceIsExactBelowTheBoundAndAboveItOtherwise() {
        Random r = new Random(3);
        for (int d : new int[] {1, 3, 4, 7, 31, 32, 33, 64, 100, 128}) {
            for (int rep = 0; rep < 200; rep++) {
                float[] a = new float[d];
                float[] b = new float[d];
                for (int t = 0; t < d; t++) {
                    a[t] = (float) r.nextGaussian();
                    b[t] = (float) r.nextGaussian();
                }
                float full = DistanceKernels.squaredL2(a, 0, b, 0, d);
                float bound = (float) (full * (0.5 + r.nextDouble()));
                float got = DistanceKernels.squaredL2Bounded(a, 0, b, 0, d, bound);
                if (full <= bound) {
                    assertEquals(Float.floatToIntBits(full), Float.floatToIntBits(got), "d=" + d);
                } else {
                    assertTrue(got > bound, "d=" + d);
                }
                assertEquals(full, DistanceKernels.squaredL2Bounded(a, 0, b, 0, d, full));
            }
        }
    }

    /** Distinct labels, (key, row) order, and the same answer for any offer order. */
    @Test
    void topKKeepsBestDistinctLabelsWhateverTheOfferOrder() {
        Random r = new Random(5);
        List<float[]> entries = new ArrayList<>(); // key, row, label
        for (int i = 0; i < 300; i++) {
            entries.add(new float[] {r.nextInt(20), i, r.nextInt(40)});
        }
        TopK reference = null;
        for (int rep = 0; rep < 20; rep++) {
            Collections.shuffle(entries, r);
            TopK top = new TopK(7);
            for (float[] e : entries) {
                top.offer(e[0], (int) e[1], (int) e[2]);
            }
            assertEquals(7, top.size());
            for (int i = 1; i < top.size(); i++) {
                assertTrue(top.key(i - 1) < top.key(i) || (top.key(i - 1) == top.key(i) && top.row(i - 1) < top.row(i)));
                for (int j = 0; j < i; j++) {
                    assertTrue(top.label(i) != top.label(j));
                }
            }
            if (reference == null) {
                reference = top;
            } else {
                for (int i = 0; i < 7; i++) {
                    assertEquals(reference.row(i), top.row(i));
                    assertEquals(reference.key(i), top.key(i));
                }
            }
        }
        TopK nan = new TopK(2);
        nan.offer(Float.NaN, 0, 0);
        nan.offer(3f, 1, 1);
        assertEquals(3f, nan.key(0));
    }

    /**
     * The scan's keys are bitwise {@link DistanceKernels#squaredL2} on either path (the core suite
     * runs with and without the Vector API).
     */
    @Test
    void scanKeysAreBitwiseSquaredL2AndTheRankingIsBruteForce() {
        String expected = System.getProperty("oneshot.test.expectKernel");
        if (expected != null) {
            assertTrue(DistanceKernels.kernel().startsWith(expected), DistanceKernels.kernel() + " vs " + expected);
        }
        Random r = new Random(11);
        for (int dim : new int[] {3, 16, 20, 64, 100, 128, 130}) {
            int rows = 3000;
            int chunkRows = 700;
            float[][] chunks = new float[(rows + chunkRows - 1) / chunkRows][];
            int[][] labels = new int[chunks.length][chunkRows];
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = new float[chunkRows * dim];
                for (int i = 0; i < chunks[c].length; i++) {
                    chunks[c][i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < chunkRows; i++) {
                    labels[c][i] = c * chunkRows + i;
                }
            }
            float[] q = new float[dim];
            for (int t = 0; t < dim; t++) {
                q[t] = (float) r.nextGaussian();
            }
            TopK top = new TopK(5);
            DistanceKernels.scan(chunks, labels, chunkRows, rows, dim, q, 0, null, top);
            float[] all = new float[rows];
            for (int row = 0; row < rows; row++) {
                all[row] = DistanceKernels.squaredL2(q, 0, chunks[row / chunkRows], (row % chunkRows) * dim, dim);
            }
            float[] sorted = all.clone();
            java.util.Arrays.sort(sorted);
            assertEquals(5, top.size());
            for (int e = 0; e < 5; e++) {
                assertEquals(Float.floatToIntBits(all[top.row(e)]), Float.floatToIntBits(top.key(e)), "dim " + dim);
                assertEquals(Float.floatToIntBits(sorted[e]), Float.floatToIntBits(top.key(e)), "dim " + dim + " rank " + e);
            }
        }
    }
}
