package dev.oneshot.benchmarks;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.siamese.nets.Conv4Config;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Embeddings under {@link Grad#off()}, batch 256, of the demo network ({@code net=demo}, the
 * one PyTorch's twin in {@code torch_reference.py} times) or of Conv-4/BN at 28×28 in eval
 * mode ({@code net=conv4}, the Omniglot and faces recipes' kind). Throughput mode with
 * {@code @OperationsPerInvocation(256)}: the score is embeddings per second.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar InferenceBenchmark</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkOptions.VECTOR_MODULE, ForkOptions.RECOMPILATION_CUTOFF, ForkOptions.TRAP_LIMIT}) // the Vector API kernels; -p kernel=scalar for the scalar ones
public class InferenceBenchmark {
    static final int BATCH = 256;

    @State(Scope.Benchmark)
    public static class Net {
        @Param({"1", "2"})
        public int threads;

        /** Kernel path (GEMM, pooling, scan): "vector" (JDK Vector API; the fork adds the module) or "scalar". */
        @Param({"vector", "scalar"})
        public String kernel;

        /** "demo" ({@code SmallCnnConfig.demo()}) or "conv4" ({@code Conv4Config.standard(28)}, eval mode). */
        @Param({"demo", "conv4"})
        public String net;

        Sequential model;
        Tensor images;

        @Setup
        public void setup() {
            Baselines.useKernels(threads, kernel);
            model = net.equals("demo") ? EmbeddingNets.smallCnn(SmallCnnConfig.demo())
                    : EmbeddingNets.conv4(Conv4Config.standard(28));
            model.eval();
            images = Tensor.rand(new SeededRandom(11), BATCH, 1, 28, 28);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Tensor embed(Net s) {
        try (var off = Grad.off()) {
            return s.model.forward(s.images);
        }
    }
}
