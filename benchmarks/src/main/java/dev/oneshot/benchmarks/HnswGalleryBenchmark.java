package dev.oneshot.benchmarks;

import dev.oneshot.gallery.lucene.HnswBench;
import dev.oneshot.gallery.lucene.HnswSettings;
import dev.oneshot.siamese.gallery.Match;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Lucene HNSW gallery beside the exact scan at 1,000,000 rows of 128-d unit vectors
 * clustered like embeddings ({@link HnswBench}: 100,000 identities × 10 noisy views), one query
 * at a time, one thread for HNSW:
 * <ul>
 *   <li>{@code hnswIdentify}: {@code LuceneGallery.identifyEmbedding} — the graph's
 *       {@code candidates} nearest rows, re-ranked exactly — for 32 and 100 candidates;</li>
 *   <li>{@code scanIdentify}: the in-memory gallery's exact scan of the same rows (the kernel's
 *       threads).</li>
 * </ul>
 * The index is built once into {@code -Doneshot.hnsw.dir} (default {@code target/hnsw-index-ROWS},
 * kept for later runs): its build time (enrolment in one commit, one segment) and size on disk,
 * and the recall@1 of each candidates setting against the exact scan on 500 fresh queries, are
 * printed by each trial's set-up ("# HNSW ...").
 * <pre>java -jar benchmarks/target/benchmarks.jar HnswGalleryBenchmark -wi 2 -i 3</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkOptions.VECTOR_MODULE, ForkOptions.RECOMPILATION_CUTOFF, ForkOptions.TRAP_LIMIT, "-Xmx7g"})
public class HnswGalleryBenchmark {
    static final int QUERIES = 4096;
    static final int RECALL_QUERIES = 500;
    /** Held strongly so its level stays: Lucene 9.12 on Java 17 warns that the Vector API module needs Java 20+. */
    static final Logger LUCENE_VECTORIZATION = Logger.getLogger("org.apache.lucene.internal.vectorization");

    /** Both galleries and the queries; the index kept on disk between trials. */
    @State(Scope.Benchmark)
    public static class Galleries {
        @Param({"1000000"})
        public int rows;

        @Param({"32", "100"})
        public int candidates;

        HnswBench bench;
        float[][] queries;
        int next;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
            Path dir = Path.of(System.getProperty("oneshot.hnsw.dir", "target/hnsw-index-" + rows));
            java.nio.file.Files.createDirectories(dir);
            bench = new HnswBench(rows, HnswSettings.defaults(), 17, dir);
            bench.lucene.setCandidates(candidates);
            float[] q = bench.data.queries(QUERIES, 23);
            queries = new float[QUERIES][];
            for (int i = 0; i < QUERIES; i++) {
                queries[i] = Arrays.copyOfRange(q, i * HnswBench.DIM, (i + 1) * HnswBench.DIM);
            }
            float[] rq = bench.data.queries(RECALL_QUERIES, 29);
            Match[] truth = bench.exactAnswers(rq);
            System.out.printf(Locale.ROOT, "%n# HNSW rows %d: build %.1f s, index %.1f MB on disk, candidates %d: "
                            + "recall@1 %.4f on %d queries (load average %.2f)%n", rows, bench.buildSeconds,
                    bench.indexBytes() / 1e6, candidates, bench.recallAt1(rq, truth), RECALL_QUERIES,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        float[] query() {
            float[] q = queries[next];
            next = (next + 1) % QUERIES;
            return q;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            bench.close();
        }
    }

    @Benchmark
    public Match hnswIdentify(Galleries g) {
        return g.bench.lucene.identifyEmbedding(g.query());
    }

    /** The exact scan does not depend on candidates: read its figure from the first of the two trials. */
    @Benchmark
    public Match scanIdentify(Galleries g) {
        return g.bench.exact.identifyEmbedding(g.query());
    }
}
