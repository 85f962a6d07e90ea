package dev.oneshot.siamese.gallery;

import dev.oneshot.core.kernels.DistanceKernels;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.kernels.TopK;
import dev.oneshot.core.tensor.SeededRandom;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large gallery (default 200,000 × 128, 4 images per identity; {@code -Doneshot.gallery.rows=N}
 * for more) against a naive loop, the parallel scan against the single-threaded one, the
 * matrix (Gemm) form against the single-query form, and the zero-allocation scan.
 */
class LargeGalleryTest {
    static final int DIM = 128;
    static final int PER_ID = 4;

    @Test
    void largeScanEqualsNaiveLoopAndIsThreadCountIndependent() {
        int rows = Integer.getInteger("oneshot.gallery.rows", 200_000);
        SeededRandom r = new SeededRandom(42);
        Gallery g = Gallery.ofEmbeddings(DIM, false, GalleryOptions.squaredL2(100));
        float[] row = new float[DIM];
        RowStore copy = new RowStore(DIM, 1 << 14); // the naive loop's own view of the rows
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < DIM; t++) {
                row[t] = (float) r.nextGaussian();
            }
            g.enrollEmbedding("id" + i / PER_ID, row);
            copy.add(row, 0, i / PER_ID);
        }
        int nq = 24;
        float[] queries = new float[nq * DIM];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = (float) r.nextGaussian();
        }
        int saved = Gemm.threads();
        try {
            for (int q = 0; q < 5; q++) { // warm-up
                g.identifyEmbedding(Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM), 5);
            }
            List<List<Match>> parallel = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int q = 0; q < nq; q++) {
                parallel.add(g.identifyEmbedding(Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM), 5));
            }
            double msPerQuery = (System.nanoTime() - t0) / 1e6 / nq;
            Gemm.setThreads(1);
            List<List<Match>> serial = new ArrayList<>();
            long t1 = System.nanoTime();
            for (int q = 0; q < nq; q++) {
                serial.add(g.identifyEmbedding(Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM), 5));
            }
            double msSerial = (System.nanoTime() - t1) / 1e6 / nq;
            for (int q = 0; q < nq; q++) {
                float[] one = Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
                assertEquals(parallel.get(q), serial.get(q), "query " + q);
                assertEquals(naive(copy, one, 5), parallel.get(q), "query " + q);
            }
            Gemm.setThreads(saved);
            long t2 = System.nanoTime();
            List<Match> batch = g.identifyEmbeddings(queries, nq);
            double msBatch = (System.nanoTime() - t2) / 1e6 / nq;
            for (int q = 0; q < nq; q++) {
                assertEquals(parallel.get(q).get(0), batch.get(q), "batch query " + q);
            }
            System.out.printf("gallery %d x %d, top-5: %.1f ms/query on %d threads, %.1f ms/query on 1 thread, "
                    + "%.1f ms/query batch (Gemm form, %d queries)%n",
                    rows, DIM, msPerQuery, saved, msSerial, msBatch, nq);
        } finally {
            Gemm.setThreads(saved);
        }
    }

    /** Every row's distance, best per identity (ties → lower row), sorted: the definition. */
    private static List<Match> naive(RowStore s, float[] q, int k) {
        int ids = s.label(s.size - 1) + 1;
        float[] best = new float[ids];
        int[] bestRow = new int[ids];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        for (int i = 0; i < s.size; i++) {
            float d = DistanceKernels.squaredL2(q, 0, s.chunkOf(i), s.offsetOf(i), DIM);
            int l = s.label(i);
            if (d < best[l]) {
                best[l] = d;
                bestRow[l] = i;
            }
        }
        Integer[] order = new Integer[ids];
        for (int i = 0; i < ids; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(l -> best[l]).thenComparingInt(l -> bestRow[l]));
        List<Match> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(new Match("id" + order[i], best[order[i]], best[order[i]] <= 100));
        }
        return out;
    }

    /** The single-query scan allocates nothing per query once warm (below the parallel threshold). */
    @Test
    void steadyStateScanAllocatesNothing() {
        RowStore s = new RowStore(32);
        SeededRandom r = new SeededRandom(7);
        float[] row = new float[32];
        for (int i = 0; i < 4000; i++) {
            for (int t = 0; t < 32; t++) {
                row[t] = (float) r.nextGaussian();
            }
            s.add(row, 0, i / 3);
        }
        assertTrue((long) s.size * 32 < DistanceKernels.PARALLEL_THRESHOLD);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        float sink = 0;
        for (int i = 0; i < 3000; i++) { // warm-up: JIT and the thread's scratch
            TopK top = GallerySearch.scratch(5);
            GallerySearch.one(s, row, 0, null, top);
            sink += top.key(0);
        }
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 2000; i++) {
            row[i % 32] += 0.001f;
            TopK top = GallerySearch.scratch(5);
            GallerySearch.one(s, row, 0, null, top);
            sink += top.key(0);
        }
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 2000, allocated + " bytes allocated by 2000 scans (sink " + sink + ")");
    }
}
