package dev.oneshot.app.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    /** The JVM options the {@code oneshot} launcher script starts every command with. */
    static final String[] LAUNCHER_JVM_OPTIONS = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodRecompilationCutoff=4000",
        "-XX:PerMethodTrapLimit=10000"};

    @Test
    void theLauncherPassesTheOptionsTheseTestsStartTheirJvmsWith() throws Exception {
        java.nio.file.Path launcher = java.nio.file.Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent().resolve("oneshot");
        String script = java.nio.file.Files.readString(launcher);
        assertTrue(script.contains("\"$java\" " + String.join(" ", LAUNCHER_JVM_OPTIONS) + " "),
                launcher + " starts the JVM with " + String.join(" ", LAUNCHER_JVM_OPTIONS));
    }

    /**
     * {@code oneshot bench --json} as a user runs it: in a JVM of its own (this test's class path),
     * with the JVM options {@code ./oneshot} passes ({@link #LAUNCHER_JVM_OPTIONS}). Without the raised
     * recompilation cutoff a fresh JDK 17 JVM sometimes compiles the kernels into code that allocates
     * (64 and 358 MB per triplet and Conv-4 step in a CI run; 5 of 10 fresh runs with compilation
     * logging slowing the JIT): docs/benchmarks.md, round 3, part 21.
     */
    @Test
    void benchJsonHasTheKeysScriptsDependOn() throws Exception {
        java.nio.file.Path javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin.toString()));
        command.addAll(java.util.List.of(LAUNCHER_JVM_OPTIONS));
        command.addAll(java.util.List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "bench", "--json"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "bench did not finish in 5 minutes");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("{") && out.endsWith("}") && out.lines().count() == 1, out);
        for (String key : BenchCommand.KEYS) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":([0-9.eE+-]+)[,}]").matcher(out);
            assertTrue(m.find(), key + " (a number) in " + out);
            assertTrue(Double.parseDouble(m.group(1)) > 0, key + " > 0 in " + out);
        }
        for (String key : new String[] {"gemm512_gflops", "ejml_gemm512_gflops", "triplet_step_ms", "conv4_step_ms",
            "alloc_mb_per_step", "embed_per_s",
            "scan_1m_top1_ms", "mem_read_gbps", "threads"}) {
            assertTrue(java.util.Arrays.asList(BenchCommand.KEYS).contains(key), key);
        }
        assertTrue(out.contains("\"ejml_gemm512_source\":\"naive-loop\"") || out.contains("\"ejml_gemm512_source\":\"ejml\""), out);
        // A steady-state training step reuses its buffers (≈ 1–2 MB per step). A kernel whose Vector API
        // operations this CPU cannot compile runs the API's allocating Java stand-in instead: on an AVX2
        // host the scatter store of batch norm's pooled gradient did, at 57 MB per Conv-4 step.
        for (String key : new String[] {"alloc_mb_per_step", "conv4_alloc_mb_per_step"}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":([0-9.eE+-]+)[,}]").matcher(out);
            assertTrue(m.find() && Double.parseDouble(m.group(1)) <= 5, key + " <= 5 MB on the "
                    + dev.oneshot.core.kernels.VectorSupport.path() + " path: " + out);
        }
    }

    /**
     * The README's advice for a long-lived JVM on JDK 17: with the launcher's options
     * ({@code -XX:PerMethodRecompilationCutoff=4000} is the one that matters here) the steps stay at
     * ≈ 1 MB each after a JFR recording has started and stopped mid-life (without it, JDK 17.0.15
     * measured 12 and 370 MB per step there: docs/benchmarks.md, round 3, part 20). JDK 25 needs no
     * flag and takes these too.
     */
    @Test
    void aRecordingStartedMidLifeLeavesTheStepsAllocationFreeWithTheRecompilationCutoffRaised() throws Exception {
        java.nio.file.Path javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin.toString()));
        command.addAll(java.util.List.of(LAUNCHER_JVM_OPTIONS));
        command.addAll(java.util.List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"),
                dev.oneshot.app.experiments.BenchAfterAgent.class.getName(), "1"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "two benches did not finish in 5 minutes");
        assertEquals(0, p.exitValue(), out);
        String after = out.lines().filter(l -> l.startsWith("after a JFR recording started, round 1:")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for the bench after the recording in: " + out));
        for (String key : new String[] {"alloc_mb_per_step", "conv4_alloc_mb_per_step"}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + key + "=([0-9.]+)").matcher(after);
            assertTrue(m.find(), key + " in " + after);
            assertTrue(Double.parseDouble(m.group(1)) <= 5, key + " <= 5 MB after the recording: " + out);
        }
    }

    /** The HNSW keys on a small gallery (2,000 rows: seconds); the recall target holds there too. */
    @Test
    void hnswJsonHasItsKeysAndMeetsTheRecallTarget() {
        Cli.Result r = Cli.run("bench", "--only", "hnsw", "--hnsw-rows", "2000", "--json");
        assertEquals(0, r.code(), r.err());
        String out = r.out().strip();
        assertTrue(out.startsWith("{") && out.endsWith("}") && out.lines().count() == 1, out);
        for (String key : BenchCommand.HNSW_KEYS) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":([0-9.eE+-]+)[,}]").matcher(out);
            assertTrue(m.find(), key + " (a number) in " + out);
            assertTrue(Double.parseDouble(m.group(1)) > 0, key + " > 0 in " + out);
        }
        assertTrue(out.contains("\"hnsw_rows\":2000,"), out);
        java.util.regex.Matcher recall = java.util.regex.Pattern.compile("\"hnsw_recall_at_1\":([0-9.]+)").matcher(out);
        assertTrue(recall.find() && Double.parseDouble(recall.group(1)) >= 0.98, out);
        assertFalse(out.contains("gemm512_gflops"), "--only hnsw runs only the HNSW figures: " + out);
        Cli.Result odd = Cli.run("bench", "--only", "hnsw", "--hnsw-rows", "1005");
        assertEquals(2, odd.code(), odd.err());
        assertTrue(odd.err().contains("--hnsw-rows must be a multiple of 10, got 1005"), odd.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--size", "512");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("usage: oneshot bench"), r.err());
    }

    /** Keeps the test steps' arrays reachable, so that the JIT cannot drop their allocation. */
    static volatile byte[] sink;

    /**
     * The steady-state allocation: a step that allocates 1 MB on each of its first 20 calls and
     * nothing after (as a kernel does until the JIT compiles it) is reported at its settled 0, while
     * one that allocates 2 MB on every call is reported at 2 MB.
     */
    @Test
    void allocationIsMeasuredOnceItHasSettled() {
        int[] calls = {0};
        QuickBench.Timed settling = QuickBench.timedSteps(1, 10, 7, () -> {
            if (calls[0]++ < 20) {
                sink = new byte[1 << 20];
            }
        });
        assertTrue(settling.allocMbPerStep() < 0.05, "settled at 0 MB: " + settling);
        assertTrue(calls[0] >= 10 + 3 * 7, "at least three windows (the first two differ): " + calls[0]);
        QuickBench.Timed steady = QuickBench.timedSteps(1, 10, 7, () -> sink = new byte[2 << 20]);
        assertEquals(2.1, steady.allocMbPerStep(), 0.1, "2 MB per step is not hidden: " + steady);
    }

    @Test
    void naiveLoopMultiplies() {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        QuickBench.naive(2, a, b, c);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {19, 22, 43, 50}, c);
    }
}
