package dev.oneshot.benchmarks;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.siamese.loss.EmbeddingDistance;
import dev.oneshot.siamese.loss.Reduction;
import dev.oneshot.siamese.loss.TripletLoss;
import dev.oneshot.siamese.loss.TripletOptions;
import dev.oneshot.siamese.mining.BatchHardMiner;
import dev.oneshot.siamese.mining.Triplets;
import dev.oneshot.siamese.nets.Conv4Config;
import dev.oneshot.siamese.nets.EmbeddingNets;
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
 * One Conv-4/BN batch-hard training step, the network the Omniglot recipe is likely to use:
 * {@link EmbeddingNets#conv4} at 28×28 (4 × [conv 3×3 → 64, BatchNorm, ReLU, max-pool 2],
 * flatten, linear → 64), 128 images in P×K = 32×4 classes; the batch's squared distances read
 * without a graph, batch-hard mining, soft-margin triplet loss on the L2 distance (mean),
 * backward, Adam (lr 10⁻³). Time per step. Its PyTorch twin is {@code conv4_batchhard_step} in
 * {@code torch_reference.py} (see docs/benchmarks.md).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Conv4StepBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkOptions.VECTOR_MODULE, ForkOptions.RECOMPILATION_CUTOFF, ForkOptions.TRAP_LIMIT})
public class Conv4StepBenchmark {
    static final int P = 32;
    static final int K = 4;

    @State(Scope.Benchmark)
    public static class Step {
        @Param({"1", "2"})
        public int threads;

        Sequential net;
        Adam adam;
        Tensor images;
        int[] labels = new int[P * K];
        TripletOptions options = TripletOptions.DEFAULT.withDistance(EmbeddingDistance.L2)
                .withMarginKind(TripletOptions.Margin.SOFT).withReduction(Reduction.MEAN);
        BatchHardMiner miner = new BatchHardMiner();
        SeededRandom rng = new SeededRandom(17);

        @Setup
        public void setup() {
            Baselines.useKernels(threads, "vector");
            net = EmbeddingNets.conv4(Conv4Config.standard(28));
            net.train();
            adam = new Adam(net.namedParameters(), Hyper.adam().withLr(1e-3));
            images = Tensor.rand(new SeededRandom(13), P * K, 1, 28, 28);
            Arrays.setAll(labels, i -> i / K);
        }
    }

    @Benchmark
    public float trainingStep(Step s) {
        s.adam.zeroGrad();
        Tensor e = s.net.forward(s.images);
        Tensor dist;
        try (Grad.Scope off = Grad.off()) {
            Tensor v = e.detach();
            dist = v.pairwiseSquaredDistance(v);
        }
        Triplets t = s.miner.mine(dist, s.labels, s.options.margin(), s.rng);
        Tensor loss = TripletLoss.apply(e, t.anchors(), t.positives(), t.negatives(), s.options).loss();
        loss.backwardAndRecycle();
        s.adam.step();
        return loss.data()[0];
    }
}
