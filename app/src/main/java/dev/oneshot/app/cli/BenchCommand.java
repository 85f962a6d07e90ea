package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.gallery.lucene.HnswBench;
import dev.oneshot.gallery.lucene.HnswSettings;
import dev.oneshot.siamese.gallery.Match;

import java.io.PrintStream;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code oneshot bench}: a quick subset of the benchmark suite (about 45 s): GEMM beside EJML
 * (or the naive loop), the demo network's triplet training step, the Conv-4/BN batch-hard step
 * and the bytes each allocates, inference, a 1M × 128
 * gallery scan beside a plain memory read. {@code --json} prints one object whose key names
 * scripts depend on (see {@link #KEYS}).
 */
final class BenchCommand implements Command {
    /** Time spent measuring each GEMM figure (after one warm-up call). */
    static final double SECONDS_PER_ROW = 0.4;
    /** Steps before the timed ones of the two training steps (each allocation figure needs the JIT done). */
    static final int WARMUP_STEPS = 10;
    /** Gallery rows of the scan figure. */
    static final int SCAN_ROWS = 1_000_000;
    /** The keys every {@code --json} object of the kernel figures has. */
    static final String[] KEYS = {"gemm512_gflops", "ejml_gemm512_gflops", "triplet_step_ms", "conv4_step_ms",
        "alloc_mb_per_step", "embed_per_s", "scan_1m_top1_ms", "mem_read_gbps", "threads"};
    /** The keys of {@code --only hnsw}. */
    static final String[] HNSW_KEYS = {"hnsw_rows", "hnsw_build_s", "hnsw_recall_at_1", "hnsw_query_ms", "scan_query_ms"};
    /** Queries of the HNSW figures (the first 200 also warm up). */
    static final int HNSW_QUERIES = 2000;
    static final Option<String> ONLY = Option.choice("only", List.of("kernels", "hnsw"),
            "kernels: the figures below the HNSW ones; hnsw: the Lucene HNSW gallery against the exact scan").orElse("kernels");
    static final Option<Integer> HNSW_ROWS = Option.integer("hnsw-rows", "N", 1000, 10_000_000,
            "rows of the HNSW figures (a multiple of 10)").orElse(100_000, "100000");

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "quick benchmark (~45 s): GEMM vs EJML, training steps and their allocation, embeddings/s, 1M gallery scan";
    }

    @Override
    public Options options() {
        return new Options("[--only kernels|hnsw] [--hnsw-rows N] [--json]", """
                A quick subset of the JMH suite, timed with System.nanoTime (medians after warm-up), all
                measured in this run (the machine may be shared: compare ratios, mind the load average):
                  gemm512_gflops        C = A·B, 512², one thread (gemm512_gflops_all_threads: all threads)
                  ejml_gemm512_gflops   EJML CommonOps_FDRM.mult when EJML is on the class path (the launcher
                                        adds benchmarks/target/benchmarks.jar if built), else the naive i-k-j
                                        loop, which runs at EJML's speed; ejml_gemm512_source says which
                  triplet_step_ms       one SGD triplet step of the demo network, 128 triplets, all threads
                  conv4_step_ms         one Conv-4/BN step: 4 × [conv 3×3 64, BatchNorm, ReLU, max-pool 2],
                                        linear to 64; 128 images 28×28 (P×K 32×4), batch-hard soft-margin
                                        triplet loss, Adam; all threads
                  alloc_mb_per_step     MB allocated per steady-state triplet step, summed over the caller's
                                        and the kernel pool's threads (ThreadMXBean); conv4_alloc_mb_per_step:
                                        the same for the Conv-4 step
                  embed_per_s           demo-network embeddings per second, batch 256, all threads
                  scan_1m_top1_ms       1,000,000 × 128 gallery, one query, top-1, all threads
                  mem_read_gbps         a plain read of the same 512 MB, one thread
                  threads               the kernel thread count used for the "all threads" figures
                --only hnsw (about a minute at 100,000 rows) instead: a Lucene HNSW gallery beside the exact scan,
                on 128-d unit vectors clustered like embeddings (identities of 10 noisy views, d² ≈ 0.5 within
                and ≈ 2 between identities), queried with 2,000 fresh views:
                  hnsw_rows             rows enrolled (--hnsw-rows)
                  hnsw_build_s          seconds to enrol them into the index (10,000 identities per commit)
                  hnsw_recall_at_1      share of queries whose answer (identity and distance) is the exact scan's
                  hnsw_query_ms         mean ms per query, one thread: HNSW candidates (hnsw_candidates: 32 up to
                                        100,000 rows, then growing as √rows), then the exact re-rank
                  scan_query_ms         mean ms per query of the in-memory gallery's exact scan (all threads)
                The full suite is JMH, in the benchmarks module:
                  ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
                """, List.of(ONLY, HNSW_ROWS, CommonOptions.JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        if (a.get(ONLY).equals("hnsw")) {
            print(a, out, hnsw(a.get(HNSW_ROWS), err));
            return Main.OK;
        }
        String jit = dev.oneshot.core.kernels.JitLimits.advice();
        if (jit != null) {
            err.println("bench: warning: " + jit);
        }
        int threads = Gemm.threads();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("threads", threads);
        o.put("gemm_kernel", Gemm.kernel());
        o.put("load_average", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        err.println("bench: GEMM 512 ...");
        o.put("gemm512_gflops", round(QuickBench.gemm(512, 1, SECONDS_PER_ROW)));
        o.put("gemm512_gflops_all_threads", round(QuickBench.gemm(512, threads, SECONDS_PER_ROW)));
        double naive = QuickBench.naiveGemm(512, SECONDS_PER_ROW);
        double ejml = QuickBench.ejmlGemm(512, SECONDS_PER_ROW);
        o.put("naive_gemm512_gflops", round(naive));
        o.put("ejml_gemm512_gflops", round(Double.isNaN(ejml) ? naive : ejml));
        o.put("ejml_gemm512_source", Double.isNaN(ejml) ? "naive-loop" : "ejml");
        err.println("bench: triplet step ...");
        // 10 warm-up steps (after 3 the JIT had not finished the Vector API loops, whose interpreted
        // and C1 forms allocate every vector: 47 MB per step then, 1.02 MB after 10), then windows
        // until the allocation settles (QuickBench.timedSteps; under load 10 steps were not enough)
        QuickBench.Timed triplet = QuickBench.timedSteps(threads, WARMUP_STEPS, 7, QuickBench.tripletStep());
        o.put("triplet_step_ms", round(triplet.medianMs()));
        o.put("triplet_step_ms_1_thread", round(QuickBench.tripletStepMs(1, 2, 5)));
        o.put("alloc_mb_per_step", round(triplet.allocMbPerStep()));
        err.println("bench: Conv-4/BN step ...");
        QuickBench.Timed conv4 = QuickBench.timedSteps(threads, WARMUP_STEPS, 7, QuickBench.conv4Step());
        o.put("conv4_step_ms", round(conv4.medianMs()));
        o.put("conv4_step_ms_1_thread", round(QuickBench.timedSteps(1, 2, 5, QuickBench.conv4Step()).medianMs()));
        o.put("conv4_alloc_mb_per_step", round(conv4.allocMbPerStep()));
        err.println("bench: embeddings ...");
        o.put("embed_per_s", round(QuickBench.embedPerSecond(threads, 3, 9)));
        o.put("embed_per_s_1_thread", round(QuickBench.embedPerSecond(1, 3, 9)));
        err.println("bench: gallery scan ...");
        float[][] gallery = QuickBench.gallery(SCAN_ROWS);
        double mem = QuickBench.memReadGbps(gallery, 3, 9);
        double scan = QuickBench.scanTop1Ms(gallery, SCAN_ROWS, threads, 3, 9);
        double scan1 = QuickBench.scanTop1Ms(gallery, SCAN_ROWS, 1, 3, 9);
        double bytes = 4.0 * SCAN_ROWS * QuickBench.SCAN_DIM;
        o.put("scan_1m_top1_ms", round(scan));
        o.put("scan_1m_top1_ms_1_thread", round(scan1));
        o.put("mem_read_gbps", round(mem));
        o.put("scan_1m_gbps_1_thread", round(bytes / (scan1 / 1e3) / 1e9));
        o.put("load_average_end", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        o.put("note", "quick nanoTime medians; the full suite is JMH in the benchmarks module (docs/benchmarks.md)");
        print(a, out, o);
        return Main.OK;
    }

    private static void print(Options.Parsed a, PrintStream out, Map<String, Object> o) {
        if (a.get(CommonOptions.JSON)) {
            out.println(Json.write(o));
        } else {
            for (Map.Entry<String, Object> e : o.entrySet()) {
                out.printf(Locale.ROOT, "%-28s %s%n", e.getKey(), e.getValue());
            }
        }
    }

    /** The HNSW figures (see the option text). */
    static Map<String, Object> hnsw(int rows, PrintStream err) throws Exception {
        if (rows % HnswBench.VIEWS != 0) {
            throw new Options.UsageException("--hnsw-rows must be a multiple of " + HnswBench.VIEWS + ", got " + rows);
        }
        GallerySpec.quietLucene();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("load_average", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        err.println("bench: enrolling " + rows + " rows into a Lucene HNSW index ...");
        HnswSettings settings = HnswSettings.defaults();
        try (HnswBench b = new HnswBench(rows, settings, 17)) {
            float[] queries = b.data.queries(HNSW_QUERIES, 23);
            err.println("bench: queries ...");
            Match[] truth = b.exactAnswers(queries);
            double recall = b.recallAt1(queries, truth);
            double hnswMs = HnswBench.meanQueryMs(b.lucene, queries, 200);
            double scanMs = HnswBench.meanQueryMs(b.exact, queries, 200);
            o.put("hnsw_rows", rows);
            o.put("hnsw_build_s", round(b.buildSeconds));
            o.put("hnsw_recall_at_1", Math.round(recall * 10_000) / 10_000.0);
            o.put("hnsw_query_ms", Math.round(hnswMs * 1000) / 1000.0);
            o.put("scan_query_ms", Math.round(scanMs * 1000) / 1000.0);
            o.put("hnsw_speedup", round(scanMs / hnswMs));
            o.put("hnsw_index_mb", round(b.indexBytes() / 1e6));
            o.put("hnsw_max_conn", settings.maxConn());
            o.put("hnsw_beam_width", settings.beamWidth());
            o.put("hnsw_candidates", settings.candidatesFor(rows));
            o.put("scan_threads", Gemm.threads());
        }
        o.put("load_average_end", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return o;
    }

    private static double round(double x) {
        return Double.isFinite(x) ? Math.round(x * 100) / 100.0 : x;
    }
}
