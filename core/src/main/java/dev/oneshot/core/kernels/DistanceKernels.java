package dev.oneshot.core.kernels;

/**
 * Nearest-neighbour search kernels for a gallery of embeddings: the fused "distance + top-k"
 * brute-force scan, exact and deterministic.
 *
 * <p><b>Rows.</b> The gallery's rows (each {@code dim} floats) live in chunks:
 * {@code chunks[c]} holds rows {@code c·chunkRows ..}, so a million 128-wide rows never need
 * one 512 MB array. {@code labels[c][r]} is the identity label of that row.
 *
 * <p><b>Keys.</b> Every row gets a key, lower = better:
 * <ul>
 *   <li>{@code weights == null}: the squared L2 distance ‖q − g‖²;</li>
 *   <li>{@code weights != null}: −Σₜ wₜ·|qₜ − gₜ|, the negated logit of a Koch verification
 *       head without its bias (the bias does not change the order).</li>
 * </ul>
 * Each key is summed over t in one fixed order ({@link #squaredL2}, {@link #negWeightedL1}),
 * so a key is bitwise the same whichever way the scan is split. Squared L2 stops summing a
 * row as soon as its partial sum exceeds the current k-th best ({@link #squaredL2Bounded}),
 * which is exact: such a row could not have entered the result.
 *
 * <p><b>Top-k of distinct labels.</b> The result ({@link TopK}) holds the best row of each of
 * the k best labels, ordered by (key, row index): ties go to the lower row index. The scan
 * allocates nothing: the caller's {@link TopK} holds all the scratch, including one partial
 * result per thread for large galleries (rows·dim ≥ {@value #PARALLEL_THRESHOLD}), which are
 * scanned on the shared kernel pool (split into bands of rows) and merged. The merge is
 * order-independent, so the answer is identical for any thread count. (The parallel path
 * allocates only the pool's few task objects per call, not per row.)
 */
public final class DistanceKernels {
    /** Scans with rows·dim below this run on the calling thread. */
    public static final long PARALLEL_THRESHOLD = 1L << 18;

    /**
     * The Vector API scan (same keys, bit for bit), or null when {@code jdk.incubator.vector} is
     * absent; used while {@link VectorSupport#enabled()}.
     */
    private static final ScanPath VECTOR = VectorSupport.load(ScanPath.class, "VectorDistanceKernels");

    /** The squared-L2 scan of rows [from, to) into top (see {@link #scanRange}). */
    interface ScanPath {
        void scanSquaredL2(float[][] chunks, int[][] labels, int chunkRows, int from, int to, int dim,
                           float[] query, int qo, TopK top);

        float sum(float[] x);
    }

    private DistanceKernels() {
    }

    /**
     * Σ x in an unspecified (but fixed) order, as fast as this JVM reads a float array: the
     * memory-read baseline the benchmarks compare a scan with (Vector API when enabled, else
     * eight scalar partial sums).
     */
    public static float readSum(float[] x) {
        ScanPath vector = VectorSupport.ifEnabled(VECTOR);
        return vector != null ? vector.sum(x) : readSumScalar(x);
    }

    /** {@link #readSum} without the Vector API: eight scalar partial sums (the scalar baseline). */
    public static float readSumScalar(float[] x) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = 0;
        for (; i + 8 <= x.length; i += 8) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
            s4 += x[i + 4];
            s5 += x[i + 5];
            s6 += x[i + 6];
            s7 += x[i + 7];
        }
        for (; i < x.length; i++) {
            s0 += x[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** {@code "vector-<bits>"} when scans use the Vector API, else "scalar" ({@link VectorSupport#use} switches it). */
    public static String kernel() {
        return VectorSupport.pathOf(VECTOR);
    }

    /** Lanes of the canonical summation order of {@link #squaredL2}. */
    static final int LANES = 16;
    /** The bounded distance checks its partial sum after every this many elements. */
    static final int CHECK_EVERY = 64;

    /**
     * ‖a − b‖² over {@code d} elements, in one fixed order that a 16-lane SIMD loop can follow
     * bit for bit: element t of the first d − d mod 16 goes to partial sum t mod 16 (in t
     * order, {@code s += x·x}, multiply and add each rounded), the last d mod 16 elements go to
     * partial sum 0, and the 16 partial sums are added as a balanced tree ({@link #tree}).
     * {@code VectorDistanceKernels} computes the same bits with the Vector API.
     */
    public static float squaredL2(float[] a, int aOffset, float[] b, int bOffset, int d) {
        return squaredL2Bounded(a, aOffset, b, bOffset, d, Float.POSITIVE_INFINITY);
    }

    /**
     * {@link #squaredL2}, bitwise, when the result is ≤ {@code bound}; otherwise some value
     * &gt; {@code bound} (the sum may stop early). Exact early abandoning: every partial sum is
     * non-negative and float addition is monotone, so once the tree of the partial sums exceeds
     * the bound the full sum does too. Checked every {@value #CHECK_EVERY} elements.
     */
    public static float squaredL2Bounded(float[] a, int aOffset, float[] b, int bOffset, int d, float bound) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        float s8 = 0f, s9 = 0f, s10 = 0f, s11 = 0f, s12 = 0f, s13 = 0f, s14 = 0f, s15 = 0f;
        int d16 = d & -LANES;
        int t = 0;
        while (t < d16) {
            int stop = Math.min(d16, t + CHECK_EVERY);
            for (; t < stop; t += LANES) {
                int i = aOffset + t;
                int j = bOffset + t;
                float x0 = a[i] - b[j], x1 = a[i + 1] - b[j + 1], x2 = a[i + 2] - b[j + 2], x3 = a[i + 3] - b[j + 3];
                float x4 = a[i + 4] - b[j + 4], x5 = a[i + 5] - b[j + 5], x6 = a[i + 6] - b[j + 6], x7 = a[i + 7] - b[j + 7];
                float x8 = a[i + 8] - b[j + 8], x9 = a[i + 9] - b[j + 9], x10 = a[i + 10] - b[j + 10];
                float x11 = a[i + 11] - b[j + 11], x12 = a[i + 12] - b[j + 12], x13 = a[i + 13] - b[j + 13];
                float x14 = a[i + 14] - b[j + 14], x15 = a[i + 15] - b[j + 15];
                s0 += x0 * x0;
                s1 += x1 * x1;
                s2 += x2 * x2;
                s3 += x3 * x3;
                s4 += x4 * x4;
                s5 += x5 * x5;
                s6 += x6 * x6;
                s7 += x7 * x7;
                s8 += x8 * x8;
                s9 += x9 * x9;
                s10 += x10 * x10;
                s11 += x11 * x11;
                s12 += x12 * x12;
                s13 += x13 * x13;
                s14 += x14 * x14;
                s15 += x15 * x15;
            }
            if (t < d) {
                float partial = tree(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
                if (partial > bound) {
                    return partial;
                }
            }
        }
        for (; t < d; t++) {
            float x = a[aOffset + t] - b[bOffset + t];
            s0 += x * x;
        }
        return tree(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
    }

    /** The canonical combination of the 16 partial sums: a balanced binary tree, left to right. */
    static float tree(float s0, float s1, float s2, float s3, float s4, float s5, float s6, float s7,
                      float s8, float s9, float s10, float s11, float s12, float s13, float s14, float s15) {
        return (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)))
                + (((s8 + s9) + (s10 + s11)) + ((s12 + s13) + (s14 + s15)));
    }

    /** −Σ wₜ·|aₜ − bₜ| over {@code d} elements (lower = more similar), fixed summation order. */
    public static float negWeightedL1(float[] a, int aOffset, float[] b, int bOffset, float[] w, int d) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int t = 0;
        for (; t + 4 <= d; t += 4) {
            s0 += w[t] * Math.abs(a[aOffset + t] - b[bOffset + t]);
            s1 += w[t + 1] * Math.abs(a[aOffset + t + 1] - b[bOffset + t + 1]);
            s2 += w[t + 2] * Math.abs(a[aOffset + t + 2] - b[bOffset + t + 2]);
            s3 += w[t + 3] * Math.abs(a[aOffset + t + 3] - b[bOffset + t + 3]);
        }
        for (; t < d; t++) {
            s0 += w[t] * Math.abs(a[aOffset + t] - b[bOffset + t]);
        }
        return 0f - ((s0 + s1) + (s2 + s3));
    }

    /**
     * The k best distinct labels for one query (k = {@code out.capacity()}); {@code out} is
     * cleared first.
     *
     * @param chunks    row storage, {@code chunkRows·dim} floats per chunk (the last may be partly used)
     * @param labels    label of each row, {@code chunkRows} per chunk
     * @param chunkRows rows per chunk (&gt; 0)
     * @param rows      rows in use
     * @param dim       floats per row
     * @param query     the query vector, read from {@code queryOffset}
     * @param weights   null for squared L2, else the head's weights (length dim)
     * @param out       result and scratch; reused across calls
     */
    public static void scan(float[][] chunks, int[][] labels, int chunkRows, int rows, int dim,
                            float[] query, int queryOffset, float[] weights, TopK out) {
        if (rows < 0 || dim <= 0 || chunkRows <= 0) {
            throw new IllegalArgumentException("scan: rows=" + rows + " dim=" + dim + " chunkRows=" + chunkRows);
        }
        if (queryOffset < 0 || queryOffset + dim > query.length) {
            throw new IndexOutOfBoundsException("scan: query needs " + dim + " floats from " + queryOffset
                    + ", array has " + query.length);
        }
        if (weights != null && weights.length != dim) {
            throw new IllegalArgumentException("scan: " + weights.length + " weights for dim " + dim);
        }
        out.clear();
        int threads = Parallel.threads();
        if (threads == 1 || (long) rows * dim < PARALLEL_THRESHOLD) {
            scanRange(chunks, labels, chunkRows, 0, rows, dim, query, queryOffset, weights, out);
            return;
        }
        int per = (rows + threads - 1) / threads;
        int parts = (rows + per - 1) / per;
        TopK[] partials = out.partials(parts);
        Parallel.run(parts, p -> {
            TopK part = partials[p];
            part.clear();
            scanRange(chunks, labels, chunkRows, p * per, Math.min(rows, (p + 1) * per), dim,
                    query, queryOffset, weights, part);
        });
        for (int p = 0; p < parts; p++) {
            out.mergeFrom(partials[p]);
        }
    }

    /** Scans rows [from, to) into {@code top} without clearing it. */
    static void scanRange(float[][] chunks, int[][] labels, int chunkRows, int from, int to, int dim,
                          float[] query, int qo, float[] weights, TopK top) {
        ScanPath vector = VectorSupport.ifEnabled(VECTOR);
        if (weights == null && vector != null && dim >= LANES) {
            vector.scanSquaredL2(chunks, labels, chunkRows, from, to, dim, query, qo, top);
            return;
        }
        int row = from;
        while (row < to) {
            int c = row / chunkRows;
            int r = row - c * chunkRows;
            int end = Math.min(to - c * chunkRows, chunkRows);
            float[] chunk = chunks[c];
            int[] lab = labels[c];
            for (; r < end; r++, row++) {
                float key = weights == null
                        ? squaredL2Bounded(query, qo, chunk, r * dim, dim, top.bound())
                        : negWeightedL1(query, qo, chunk, r * dim, weights, dim);
                if (!(key > top.bound())) { // also lets NaN through to offer, which ranks it last
                    top.offer(key, row, lab[r]);
                }
            }
        }
    }
}
