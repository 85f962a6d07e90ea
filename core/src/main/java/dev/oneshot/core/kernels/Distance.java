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
public final class Distance {
    /** Scans with rows·dim below this run on the calling thread. */
    public static final long PARALLEL_THRESHOLD = 1L << 18;

    private Distance() {
    }

    /** ‖a − b‖² over {@code d} elements, four partial sums combined in a fixed order. */
    public static float squaredL2(float[] a, int aOffset, float[] b, int bOffset, int d) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int t = 0;
        for (; t + 4 <= d; t += 4) {
            float x0 = a[aOffset + t] - b[bOffset + t];
            float x1 = a[aOffset + t + 1] - b[bOffset + t + 1];
            float x2 = a[aOffset + t + 2] - b[bOffset + t + 2];
            float x3 = a[aOffset + t + 3] - b[bOffset + t + 3];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; t < d; t++) {
            float x = a[aOffset + t] - b[bOffset + t];
            s0 += x * x;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@link #squaredL2}, bitwise, when the result is ≤ {@code bound}; otherwise some value
     * &gt; {@code bound} (the sum may stop early). Exact early abandoning: every partial sum is
     * non-negative and float addition is monotone, so once the combined partial sums exceed
     * the bound the full sum does too. Checked every 32 elements.
     */
    public static float squaredL2Bounded(float[] a, int aOffset, float[] b, int bOffset, int d, float bound) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int t = 0;
        while (t + 4 <= d) {
            int stop = Math.min(d & ~3, t + 32);
            for (; t < stop; t += 4) {
                float x0 = a[aOffset + t] - b[bOffset + t];
                float x1 = a[aOffset + t + 1] - b[bOffset + t + 1];
                float x2 = a[aOffset + t + 2] - b[bOffset + t + 2];
                float x3 = a[aOffset + t + 3] - b[bOffset + t + 3];
                s0 += x0 * x0;
                s1 += x1 * x1;
                s2 += x2 * x2;
                s3 += x3 * x3;
            }
            float partial = (s0 + s1) + (s2 + s3);
            if (partial > bound) {
                return partial;
            }
        }
        for (; t < d; t++) {
            float x = a[aOffset + t] - b[bOffset + t];
            s0 += x * x;
        }
        return (s0 + s1) + (s2 + s3);
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
