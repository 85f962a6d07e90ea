package dev.oneshot.benchmarks;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.Sgd;
import dev.oneshot.siamese.loss.TripletLoss;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
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
 * One triplet training step of the demo network ({@link SmallCnnConfig#demo()}): 128 triplets
 * = one forward of 384 images [384, 1, 28, 28], squared-L2 triplet loss (α = 0.2, sum) over
 * rows (i, 128 + i, 256 + i), backward, SGD (lr 0.01, momentum 0.9) update. Time per step.
 * The PyTorch twin of this step is {@code benchmarks/pytorch/triplet_step.py}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TrainingStepBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkOptions.VECTOR_MODULE, ForkOptions.RECOMPILATION_CUTOFF, ForkOptions.TRAP_LIMIT}) // the Vector API kernels; -p kernel=scalar for the scalar ones
public class TrainingStepBenchmark {
    static final int TRIPLETS = 128;

    @State(Scope.Benchmark)
    public static class Step {
        @Param({"1", "2"})
        public int threads;

        /** Kernel path (GEMM, pooling, scan): "vector" (JDK Vector API; the fork adds the module) or "scalar". */
        @Param({"vector", "scalar"})
        public String kernel;

        Sequential net;
        Sgd sgd;
        Tensor images;
        int[] anchor = new int[TRIPLETS];
        int[] positive = new int[TRIPLETS];
        int[] negative = new int[TRIPLETS];

        @Setup
        public void setup() {
            Baselines.useKernels(threads, kernel);
            net = EmbeddingNets.smallCnn(SmallCnnConfig.demo());
            sgd = new Sgd(net.namedParameters(), Hyper.sgd().withLr(0.01).withMomentum(0.9));
            images = Tensor.rand(new SeededRandom(7), 3 * TRIPLETS, 1, 28, 28);
            for (int i = 0; i < TRIPLETS; i++) {
                anchor[i] = i;
                positive[i] = TRIPLETS + i;
                negative[i] = 2 * TRIPLETS + i;
            }
        }
    }

    @Benchmark
    public float trainingStep(Step s) {
        s.sgd.zeroGrad();
        Tensor embeddings = s.net.forward(s.images);
        Tensor loss = TripletLoss.apply(embeddings, s.anchor, s.positive, s.negative).loss();
        loss.backwardAndRecycle();
        s.sgd.step();
        return loss.data()[0];
    }
}
