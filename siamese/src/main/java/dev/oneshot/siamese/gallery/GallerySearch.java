package dev.oneshot.siamese.gallery;

import dev.oneshot.core.kernels.DistanceKernels;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.kernels.TopK;

/**
 * The two search forms over a {@link RowStore}, both exact brute force:
 * <ul>
 *   <li>one query: the fused distance + top-k scan of {@link DistanceKernels#scan} (parallel over
 *       rows for large galleries), into a per-thread reused {@link TopK}: nothing is allocated
 *       per query in steady state;</li>
 *   <li>many queries (squared L2): ‖q‖² − 2 q·g + ‖g‖² with q·g from {@link Gemm} (transB,
 *       blocks of {@value #QUERY_BLOCK} queries × {@value #ROW_BLOCK} rows, gallery norms
 *       cached in the store). The expansion loses a little precision to cancellation, so each
 *       query keeps {@value #RERANK_EXTRA} spare candidates whose distances are then recomputed
 *       exactly ({@link DistanceKernels#squaredL2}) and re-ranked: reported distances are bitwise those
 *       of the single-query form, and so is the ranking except for near-ties within float
 *       rounding of the expansion.</li>
 * </ul>
 */
final class GallerySearch {
    static final int QUERY_BLOCK = 64;
    static final int ROW_BLOCK = 4096;
    static final int RERANK_EXTRA = 4;
    private static final int CACHED_K = 32;
    private static final ThreadLocal<TopK[]> SCRATCH = ThreadLocal.withInitial(() -> new TopK[CACHED_K + 1]);
    /** The q·g block of {@link #many}, per thread (1 MB, reused: not allocated per call). */
    private static final ThreadLocal<float[]> DOTS = ThreadLocal.withInitial(() -> new float[QUERY_BLOCK * ROW_BLOCK]);

    private GallerySearch() {
    }

    /** This thread's reusable result of capacity k (fresh for k &gt; {@value #CACHED_K}). */
    static TopK scratch(int k) {
        if (k > CACHED_K) {
            return new TopK(k);
        }
        TopK[] cache = SCRATCH.get();
        if (cache[k] == null) {
            cache[k] = new TopK(k);
        }
        return cache[k];
    }

    /** Top-k for one query into {@code top} (k = its capacity). */
    static void one(RowStore s, float[] q, int qo, float[] weights, TopK top) {
        DistanceKernels.scan(s.chunks, s.labels, s.chunkRows, s.size, s.dim, q, qo, weights, top);
    }

    /** Top-k for each of m queries (rows of {@code qs}); new results. */
    static TopK[] many(RowStore s, float[] qs, int m, int k, float[] weights) {
        TopK[] out = new TopK[m];
        int d = s.dim;
        if (weights != null || s.size == 0) {
            for (int i = 0; i < m; i++) {
                out[i] = new TopK(k);
                one(s, qs, i * d, weights, out[i]);
            }
            return out;
        }
        TopK[] wide = new TopK[m];
        float[] qn = new float[m];
        for (int i = 0; i < m; i++) {
            wide[i] = new TopK(k + RERANK_EXTRA);
            qn[i] = RowStore.squaredNorm(qs, i * d, d);
        }
        float[] dots = DOTS.get();
        for (int q0 = 0; q0 < m; q0 += QUERY_BLOCK) {
            int qm = Math.min(QUERY_BLOCK, m - q0);
            for (int r0 = 0; r0 < s.size; ) {
                int c = r0 / s.chunkRows;
                int local = r0 - c * s.chunkRows;
                int rn = Math.min(ROW_BLOCK, Math.min(s.size - r0, s.chunkRows - local));
                Gemm.multiply(false, true, qm, rn, d, qs, q0 * d, s.chunks[c], local * d, dots, 0, false);
                float[] gn = s.norms[c];
                int[] lab = s.labels[c];
                for (int i = 0; i < qm; i++) {
                    TopK top = wide[q0 + i];
                    float base = qn[q0 + i];
                    for (int j = 0; j < rn; j++) {
                        float key = Math.max(0f, base - 2f * dots[i * rn + j] + gn[local + j]);
                        if (!(key > top.bound())) {
                            top.offer(key, r0 + j, lab[local + j]);
                        }
                    }
                }
                r0 += rn;
            }
        }
        for (int i = 0; i < m; i++) {
            out[i] = new TopK(k);
            TopK w = wide[i];
            for (int e = 0; e < w.size(); e++) {
                int row = w.row(e);
                out[i].offer(DistanceKernels.squaredL2(qs, i * d, s.chunkOf(row), s.offsetOf(row), d), row, w.label(e));
            }
        }
        return out;
    }
}
