package dev.oneshot.siamese.cli;

import dev.oneshot.siamese.json.Json;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.SeededRandom;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code oneshot bench}: a few seconds of GEMM throughput, beside a naive triple loop measured in the same run. */
final class BenchCommand implements Command {
    /** Time spent measuring each row (after one warm-up call). */
    static final double SECONDS_PER_ROW = 0.4;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "quick kernel benchmark: GEMM GFLOP/s (1 thread, all threads) beside a naive loop";
    }

    @Override
    public String usage() {
        return """
                usage: oneshot bench [--json]
                  C = A·B for square 256 and 512 float matrices: Gemm on one thread and on all threads, and a
                  naive i-k-j triple loop, each measured in this run (the machine may be shared: compare ratios).
                  The full suite is JMH, in the benchmarks module:
                    ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of(), Set.of("json"));
        if (!a.positionals().isEmpty()) {
            throw new Args.UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int saved = Gemm.threads();
        List<Object> rows = new ArrayList<>();
        boolean json = a.flag("json");
        if (!json) {
            out.printf("%-6s %-22s %10s%n", "n", "kernel", "GFLOP/s");
        }
        try {
            for (int n : new int[] {256, 512}) {
                float[] x = random(n, 1);
                float[] y = random(n, 2);
                float[] c = new float[n * n];
                Gemm.setThreads(1);
                row(rows, out, json, n, "gemm 1 thread", measure(n, () -> Gemm.multiply(false, false, n, n, n, x, 0, y, 0, c, 0, false)));
                Gemm.setThreads(cores);
                row(rows, out, json, n, "gemm " + cores + " threads", measure(n, () -> Gemm.multiply(false, false, n, n, n, x, 0, y, 0, c, 0, false)));
                row(rows, out, json, n, "naive loop", measure(n, () -> naive(n, x, y, c)));
            }
        } finally {
            Gemm.setThreads(saved);
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("results", rows);
            o.put("threads", cores);
            o.put("note", "quick check; the full suite is JMH in the benchmarks module");
            out.println(Json.write(o));
        } else {
            out.println("Quick check only: the full suite is JMH in `benchmarks` (java -jar benchmarks/target/benchmarks.jar).");
        }
        return Main.OK;
    }

    private static void row(List<Object> rows, PrintStream out, boolean json, int n, String kernel, double gflops) {
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("n", n);
            r.put("kernel", kernel);
            r.put("gflops", gflops);
            rows.add(r);
        } else {
            out.printf(Locale.ROOT, "%-6d %-22s %10.2f%n", n, kernel, gflops);
        }
    }

    /** GFLOP/s (2n³ per call) over about {@link #SECONDS_PER_ROW} after one warm-up call. */
    static double measure(int n, Runnable r) {
        r.run();
        long start = System.nanoTime();
        int calls = 0;
        do {
            r.run();
            calls++;
        } while (System.nanoTime() - start < SECONDS_PER_ROW * 1e9);
        double seconds = (System.nanoTime() - start) / 1e9;
        return 2.0 * n * n * n * calls / seconds / 1e9;
    }

    static void naive(int n, float[] a, float[] b, float[] c) {
        java.util.Arrays.fill(c, 0f);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                float aik = a[i * n + k];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aik * b[k * n + j];
                }
            }
        }
    }

    private static float[] random(int n, long seed) {
        float[] v = new float[n * n];
        new SeededRandom(seed).fillUniform(v, -1f, 1f);
        return v;
    }
}
