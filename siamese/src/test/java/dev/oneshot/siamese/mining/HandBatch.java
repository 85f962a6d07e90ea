package dev.oneshot.siamese.mining;

/**
 * The hand-computed batch every mining test uses: six 1-D embeddings
 * <pre>
 *   index   0   1   2   3   4   5
 *   x       0   1   4   2   5  −2
 *   label   0   0   0   1   1   2
 * </pre>
 * and their squared distances d(i, j) = (x_i − x_j)², margin α = 4. Sample 5 is alone in its
 * class: it is never an anchor, only a negative. d(0,3) = d(0,5) = 4 is a deliberate tie.
 */
final class HandBatch {
    static final int N = 6;
    static final float MARGIN = 4f;
    static final int[] LABELS = {0, 0, 0, 1, 1, 2};
    static final float[] X = {0f, 1f, 4f, 2f, 5f, -2f};
    static final float[] DIST = {
        //  0   1   2   3   4   5
            0,  1, 16,  4, 25,  4,   // 0
            1,  0,  9,  1, 16,  9,   // 1
           16,  9,  0,  4,  1, 36,   // 2
            4,  1,  4,  0,  9, 16,   // 3
           25, 16,  1,  9,  0, 49,   // 4
            4,  9, 36, 16, 49,  0,   // 5
    };

    private HandBatch() {
    }

    /** Triplets from (a, p, n) rows, for writing the expected answers. */
    static Triplets triplets(int[]... rows) {
        int[] a = new int[rows.length];
        int[] p = new int[rows.length];
        int[] n = new int[rows.length];
        for (int t = 0; t < rows.length; t++) {
            a[t] = rows[t][0];
            p[t] = rows[t][1];
            n[t] = rows[t][2];
        }
        return new Triplets(a, p, n);
    }

    static int[] t(int a, int p, int n) {
        return new int[] {a, p, n};
    }
}
