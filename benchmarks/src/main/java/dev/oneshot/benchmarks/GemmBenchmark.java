package dev.oneshot.benchmarks;

import dev.oneshot.core.kernels.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
 * Square float32 matrix products C = op(A)·op(B), size×size×size: oneshot's {@link Gemm}
 * (plain, Aᵀ, Bᵀ; on 1 and 2 threads) against EJML's {@code CommonOps_FDRM.mult} and a naive
 * i-k-j triple loop over flat arrays. Time per product; GFLOP/s = 2·size³ / time.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar GemmBenchmark -p size=512</pre>
 *
 * <p>On a shared, noisy machine add {@code -bm sample -tu ms} and read the p0.00 (fastest)
 * and p0.50 rows: the minimum is the least disturbed by other processes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkOptions.VECTOR_MODULE, ForkOptions.RECOMPILATION_CUTOFF, ForkOptions.TRAP_LIMIT}) // the Vector API kernels; -p kernel=scalar for the scalar ones
public class GemmBenchmark {

    /** Inputs shared by every benchmark method. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"128", "256", "512"})
        public int size;

        float[] a;
        float[] b;
        float[] c;
        FMatrixRMaj ma;
        FMatrixRMaj mb;
        FMatrixRMaj mc;

        @Setup
        public void setup() {
            Random rnd = new Random(42);
            a = new float[size * size];
            b = new float[size * size];
            c = new float[size * size];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextGaussian();
                b[i] = (float) rnd.nextGaussian();
            }
            ma = FMatrixRMaj.wrap(size, size, a.clone());
            mb = FMatrixRMaj.wrap(size, size, b.clone());
            mc = new FMatrixRMaj(size, size);
        }
    }

    /** Thread count and kernel for oneshot's GEMM (only the oneshot benchmarks use this state). */
    @State(Scope.Benchmark)
    public static class Threads {
        @Param({"1", "2"})
        public int threads;

        /** "vector" (JDK Vector API, the fork adds the module) or "scalar" (auto-vectorised loops). */
        @Param({"vector", "scalar"})
        public String kernel;

        @Setup
        public void setup() {
            Baselines.useKernels(threads, kernel);
        }
    }

    @Benchmark
    public float[] oneshotPlain(Data d, Threads t) {
        Gemm.multiply(false, false, d.size, d.size, d.size, d.a, 0, d.b, 0, d.c, 0, false);
        return d.c;
    }

    @Benchmark
    public float[] oneshotTransA(Data d, Threads t) {
        Gemm.multiply(true, false, d.size, d.size, d.size, d.a, 0, d.b, 0, d.c, 0, false);
        return d.c;
    }

    @Benchmark
    public float[] oneshotTransB(Data d, Threads t) {
        Gemm.multiply(false, true, d.size, d.size, d.size, d.a, 0, d.b, 0, d.c, 0, false);
        return d.c;
    }

    @Benchmark
    public FMatrixRMaj ejmlMult(Data d) {
        CommonOps_FDRM.mult(d.ma, d.mb, d.mc);
        return d.mc;
    }

    @Benchmark
    public FMatrixRMaj ejmlMultTransA(Data d) {
        CommonOps_FDRM.multTransA(d.ma, d.mb, d.mc);
        return d.mc;
    }

    @Benchmark
    public FMatrixRMaj ejmlMultTransB(Data d) {
        CommonOps_FDRM.multTransB(d.ma, d.mb, d.mc);
        return d.mc;
    }

    /** The textbook i-k-j loop on flat row-major arrays (C2 does not vectorise it). */
    @Benchmark
    public float[] naiveIkj(Data d) {
        int n = d.size;
        float[] a = d.a;
        float[] b = d.b;
        float[] c = d.c;
        java.util.Arrays.fill(c, 0f);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < n; p++) {
                float aip = a[i * n + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
        return c;
    }
}
