package dev.oneshot.benchmarks;

import dev.oneshot.core.kernels.DistanceKernels;
import dev.oneshot.core.kernels.TopK;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Gallery search over rows × 128 float32 embeddings (64k-row chunks, the gallery's layout):
 * <ul>
 *   <li>{@code scanTop1}: one query, top-1, the fused distance + top-k scan
 *       ({@link DistanceKernels#scan}, exact, early-abandoning), on 1 and 2 threads;</li>
 *   <li>{@code memRead}, {@code memReadVector}: the baselines, a plain one-thread read (sum) of
 *       the same floats, scalar and Vector API: GB/s of the scan = rows·128·4 B / its time,
 *       compared with the faster baseline's in the same run;</li>
 *   <li>{@code identify64Fused}: 64 queries through {@link Gallery#identifyEmbeddings} (q·g by
 *       GEMM in blocks of 64 queries × 4096 rows, top-k per block, exact re-rank: the 64 × rows
 *       distance matrix is never materialised) beside {@code identify64OneByOne}, 64 single-query
 *       scans.</li>
 * </ul>
 * <pre>java -jar benchmarks/target/benchmarks.jar ScanBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkOptions.VECTOR_MODULE, ForkOptions.RECOMPILATION_CUTOFF, ForkOptions.TRAP_LIMIT, "-Xmx6g"})
public class ScanBenchmark {
    static final int DIM = 128;
    static final int CHUNK_ROWS = 1 << 16;
    static final int QUERIES = 64;

    /** The gallery's rows as chunks, labels, one query. */
    @State(Scope.Benchmark)
    public static class Rows {
        @Param({"10000", "100000", "1000000"})
        public int rows;

        float[][] chunks;
        int[][] labels;
        float[] query;
        TopK top = new TopK(1);

        @Setup
        public void setup() {
            SeededRandom rnd = new SeededRandom(5);
            int n = (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
            chunks = new float[n][];
            labels = new int[n][CHUNK_ROWS];
            for (int c = 0; c < n; c++) {
                chunks[c] = new float[Math.min(CHUNK_ROWS, rows - c * CHUNK_ROWS) * DIM];
                rnd.fillUniform(chunks[c], -1f, 1f);
                int base = c * CHUNK_ROWS;
                Arrays.setAll(labels[c], i -> base + i);
            }
            query = new float[DIM];
            rnd.fillUniform(query, -1f, 1f);
        }
    }

    /** Kernel thread count and path for the scans. */
    @State(Scope.Benchmark)
    public static class Threads {
        @Param({"1", "2"})
        public int threads;
        /** "vector" (JDK Vector API; the fork adds the module) or "scalar" ({@code -p kernel=scalar}). */
        @Param({"vector"})
        public String kernel;

        @Setup
        public void setup() {
            Baselines.useKernels(threads, kernel);
        }
    }

    /** A {@link Gallery} of the same size (100 rows per identity) and 64 queries. */
    @State(Scope.Benchmark)
    public static class Search {
        @Param({"100000"})
        public int galleryRows;

        Gallery gallery;
        float[] queries;
        float[] one = new float[DIM];

        @Setup
        public void setup() {
            SeededRandom rnd = new SeededRandom(6);
            gallery = Gallery.ofEmbeddings(DIM, false, GalleryOptions.squaredL2(Double.MAX_VALUE));
            float[] block = new float[100 * DIM];
            for (int id = 0; id < galleryRows / 100; id++) {
                rnd.fillUniform(block, -1f, 1f);
                gallery.enrollEmbeddings("id" + id, block, 100);
            }
            queries = new float[QUERIES * DIM];
            rnd.fillUniform(queries, -1f, 1f);
        }
    }

    @Benchmark
    public float scanTop1(Rows r, Threads t) {
        DistanceKernels.scan(r.chunks, r.labels, CHUNK_ROWS, r.rows, DIM, r.query, 0, null, r.top);
        return r.top.key(0);
    }

    /** Σ of every float (eight scalar partial sums): how fast one thread streams the rows in plain Java. */
    @Benchmark
    public float memRead(Rows r) {
        float s = 0f;
        for (float[] c : r.chunks) {
            s += DistanceKernels.readSumScalar(c);
        }
        return s;
    }

    /** The same read with the Vector API ({@link DistanceKernels#readSum}, 4 × 16 lanes): the stronger baseline. */
    @Benchmark
    public float memReadVector(Rows r) {
        float s = 0f;
        for (float[] c : r.chunks) {
            s += DistanceKernels.readSum(c);
        }
        return s;
    }

    @Benchmark
    public List<Match> identify64Fused(Search s, Threads t) {
        return s.gallery.identifyEmbeddings(s.queries, QUERIES);
    }

    @Benchmark
    public Match identify64OneByOne(Search s, Threads t) {
        Match last = null;
        for (int q = 0; q < QUERIES; q++) {
            System.arraycopy(s.queries, q * DIM, s.one, 0, DIM);
            last = s.gallery.identifyEmbedding(s.one);
        }
        return last;
    }
}
