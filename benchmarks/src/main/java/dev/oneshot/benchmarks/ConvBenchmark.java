package dev.oneshot.benchmarks;

import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.kernels.Im2Col;
import dev.oneshot.core.ops.BatchNorm;
import dev.oneshot.core.tensor.SeededRandom;

import dev.oneshot.core.tensor.Tensor;
import java.util.Arrays;
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
 * The demo network's layers at batch 128, each beside the implementation it replaced
 * ({@link Baselines}, prefix {@code old}), in the same run:
 * <ul>
 *   <li>conv1 = conv2d(1→32, 3×3, pad 1) on [128, 1, 28, 28], conv2 = conv2d(32→64, 3×3,
 *       pad 1) on [128, 32, 14, 14]: forward, and forward + backward (∂W, ∂b, and ∂x for
 *       conv2 — in the network conv1's input needs no gradient); block3, block4 =
 *       conv2d(64→64, 3×3, pad 1) on [128, 64, 7, 7] and [128, 64, 3, 3], Conv-4's last two
 *       blocks (with ∂x);</li>
 *   <li>ReLU and 2×2/2 max-pool on conv1's output [128, 32, 28, 28]: forward, and forward +
 *       backward.</li>
 * </ul>
 * Gradients are reset inside each backward benchmark, so every invocation does the same work.
 * Where Winograd's F(2×2, 3×3) applies (every layer but conv1), {@code ...Direct} runs the same
 * op with it switched off: the im2col + GEMM baseline in the same run.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ConvBenchmark -p threads=1</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkOptions.VECTOR_MODULE, ForkOptions.RECOMPILATION_CUTOFF, ForkOptions.TRAP_LIMIT}) // the Vector API kernels; -p kernel=scalar for the scalar ones
public class ConvBenchmark {
    static final int BATCH = 128;

    @State(Scope.Benchmark)
    public static class Conv {
        /** conv1, conv2: the demo network's; block3, block4: Conv-4's last two (64→64 at 7×7 and 3×3). */
        @Param({"conv1", "conv2", "block3", "block4"})
        public String layer;
        @Param({"1", "2"})
        public int threads;
        /** "vector" (JDK Vector API; the fork adds the module) or "scalar" ({@code -p kernel=scalar}). */
        @Param({"vector"})
        public String kernel;

        Tensor x;
        Tensor w;
        Tensor b;
        Tensor seed;
        Im2Col.Geometry geo;
        int filters;
        float[] gx;
        float[] gw;
        float[] gb;

        @Setup
        public void setup() {
            Baselines.useKernels(threads, kernel);
            SeededRandom rng = new SeededRandom(3);
            boolean first = layer.equals("conv1");
            int c = switch (layer) {
                case "conv1" -> 1;
                case "conv2" -> 32;
                default -> 64;
            };
            int hw = switch (layer) {
                case "conv1" -> 28;
                case "conv2" -> 14;
                case "block3" -> 7;
                default -> 3;
            };
            filters = first ? 32 : 64;
            x = Tensor.randn(rng, BATCH, c, hw, hw).requiresGrad(!first);
            w = Tensor.randn(rng, filters, c, 3, 3).mul(0.1f).requiresGrad(true);
            b = Tensor.randn(rng, filters).requiresGrad(true);
            seed = Tensor.randn(rng, BATCH, filters, hw, hw);
            geo = new Im2Col.Geometry(c, hw, hw, 3, 3, 1, 1);
            gx = new float[x.data().length];
            gw = new float[w.data().length];
            gb = new float[filters];
        }
    }

    @State(Scope.Benchmark)
    public static class Planes {
        /** The pooling path, as {@link Conv#kernel}. */
        @Param({"vector"})
        public String kernel;

        Tensor x;
        Tensor seedRelu;
        Tensor seedPool;
        Tensor gamma;
        Tensor beta;
        float[] gx;

        @Setup
        public void setup() {
            Baselines.usePath(kernel);
            SeededRandom rng = new SeededRandom(5);
            x = Tensor.randn(rng, BATCH, 32, 28, 28).requiresGrad(true);
            seedRelu = Tensor.randn(rng, BATCH, 32, 28, 28);
            seedPool = Tensor.randn(rng, BATCH, 32, 14, 14);
            gx = new float[x.data().length];
            gamma = Tensor.randn(rng, 32).requiresGrad(true);
            beta = Tensor.randn(rng, 32).requiresGrad(true);
            gamma = Tensor.randn(rng, 32).requiresGrad(true);
            beta = Tensor.randn(rng, 32).requiresGrad(true);
            // the old generic path was megamorphic in a real program: let it see two functions
            Baselines.unaryForward(Baselines.TANH, new float[1024]);
        }
    }

    // ---- convolution ----

    @Benchmark
    public Tensor convForward(Conv s) {
        return s.x.conv2d(s.w, s.b, 1, 1);
    }

    /**
     * conv2d → ReLU → 2×2 max-pool as the one fused op the networks run, under {@code Grad.off}
     * (by Winograd's F(2×2, 3×3) where it applies: every layer but conv1).
     */
    @Benchmark
    public Tensor convReluPoolInference(Conv s) {
        try (var off = dev.oneshot.core.autograd.Grad.off()) {
            return s.x.conv2dReluMaxPool2d(s.w, s.b, 1, 1);
        }
    }

    /** The same on the direct arithmetic (Winograd switched off): the baseline in the same run. */
    @Benchmark
    public Tensor convReluPoolInferenceDirect(Conv s) {
        dev.oneshot.core.ops.Conv2d.setWinogradInference(false);
        try (var off = dev.oneshot.core.autograd.Grad.off()) {
            return s.x.conv2dReluMaxPool2d(s.w, s.b, 1, 1);
        } finally {
            dev.oneshot.core.ops.Conv2d.setWinogradInference(true);
        }
    }

    @Benchmark
    public float[] oldConvForward(Conv s) {
        return Baselines.convForward(s.geo, BATCH, s.filters, s.x.data(), s.w.data(), s.b.data());
    }

    @Benchmark
    public float[] convForwardBackward(Conv s) {
        s.x.zeroGrad();
        s.w.zeroGrad();
        s.b.zeroGrad();
        Tensor y = s.x.conv2d(s.w, s.b, 1, 1);
        y.backward(s.seed);
        return s.w.gradData();
    }

    /** The same with Winograd switched off for training (im2col + GEMM): the baseline in the same run. */
    @Benchmark
    public float[] convForwardBackwardDirect(Conv s) {
        dev.oneshot.core.ops.Conv2d.setWinogradTraining(false);
        try {
            return convForwardBackward(s);
        } finally {
            dev.oneshot.core.ops.Conv2d.setWinogradTraining(true);
        }
    }

    @Benchmark
    public float[] oldConvForwardBackward(Conv s) {
        float[] y = Baselines.convForward(s.geo, BATCH, s.filters, s.x.data(), s.w.data(), s.b.data());
        Arrays.fill(s.gx, 0f);
        Arrays.fill(s.gw, 0f);
        Arrays.fill(s.gb, 0f);
        if (s.x.requiresGrad()) {
            Baselines.convBackward(s.geo, BATCH, s.filters, s.x.data(), s.w.data(), s.seed.data(), s.gx, s.gw, s.gb);
        } else { // same work as the op: no ∂x
            convBackwardNoDx(s);
        }
        return y.length > 0 ? s.gw : null;
    }

    private static void convBackwardNoDx(Conv s) {
        int k = s.geo.patchSize();
        int p = s.geo.outPixels();
        float[] scratch = new float[k * p];
        float[] g = s.seed.data();
        for (int n = 0; n < BATCH; n++) {
            Im2Col.im2col(s.geo, s.x.data(), n * s.geo.imageSize(), scratch, 0);
            Gemm.multiply(false, true, s.filters, k, p, g, n * s.filters * p, scratch, 0, s.gw, 0, true);
        }
        for (int n = 0; n < BATCH; n++) {
            for (int f = 0; f < s.filters; f++) {
                int row = (n * s.filters + f) * p;
                float sum = 0f;
                for (int q = 0; q < p; q++) {
                    sum += g[row + q];
                }
                s.gb[f] += sum;
            }
        }
    }

    // ---- ReLU ----

    @Benchmark
    public Tensor reluForward(Planes s) {
        return s.x.relu();
    }

    @Benchmark
    public float[] oldReluForward(Planes s) {
        return Baselines.unaryForward(Baselines.RELU, s.x.data());
    }

    @Benchmark
    public float[] reluForwardBackward(Planes s) {
        s.x.zeroGrad();
        s.x.relu().backward(s.seedRelu);
        return s.x.gradData();
    }

    @Benchmark
    public float[] oldReluForwardBackward(Planes s) {
        float[] y = Baselines.unaryForward(Baselines.RELU, s.x.data());
        Arrays.fill(s.gx, 0f);
        Baselines.unaryBackward(Baselines.RELU, s.x.data(), y, s.seedRelu.data(), s.gx);
        return s.gx;
    }

    // ---- max-pool 2×2, stride 2 ----

    @Benchmark
    public Tensor poolForward(Planes s) {
        return s.x.maxPool2d(2, 2);
    }

    @Benchmark
    public float[] oldPoolForward(Planes s) {
        float[] out = new float[BATCH * 32 * 14 * 14];
        int[] arg = new int[out.length];
        Baselines.maxForward(s.x.data(), BATCH * 32, 28, 28, 2, 2, out, arg);
        return out;
    }

    @Benchmark
    public float[] poolForwardBackward(Planes s) {
        s.x.zeroGrad();
        s.x.maxPool2d(2, 2).backward(s.seedPool);
        return s.x.gradData();
    }

    // ---- batch norm (training) → ReLU → max-pool 2×2: one op vs the two it replaces ----

    @Benchmark
    public float[] batchNormReluPoolForwardBackward(Planes s) {
        s.x.zeroGrad();
        BatchNorm.trainReluMaxPool2x2(s.x, s.gamma, s.beta, 1e-5f, null, null).backward(s.seedPool);
        return s.x.gradData();
    }

    @Benchmark
    public float[] batchNormThenReluPoolForwardBackward(Planes s) {
        s.x.zeroGrad();
        BatchNorm.train(s.x, s.gamma, s.beta, 1e-5f, null, null).reluMaxPool2d(2, 2).backward(s.seedPool);
        return s.x.gradData();
    }

    @Benchmark
    public float[] oldPoolForwardBackward(Planes s) {
        float[] out = new float[BATCH * 32 * 14 * 14];
        int[] arg = new int[out.length];
        Baselines.maxForward(s.x.data(), BATCH * 32, 28, 28, 2, 2, out, arg);
        Arrays.fill(s.gx, 0f);
        Baselines.maxBackward(s.seedPool.data(), arg, s.gx);
        return s.gx;
    }
}
