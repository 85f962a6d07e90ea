package dev.oneshot.app.cli;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.kernels.DistanceKernels;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.kernels.TopK;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.Sgd;
import dev.oneshot.siamese.loss.EmbeddingDistance;
import dev.oneshot.siamese.loss.Reduction;
import dev.oneshot.siamese.loss.TripletLoss;
import dev.oneshot.siamese.loss.TripletOptions;
import dev.oneshot.siamese.mining.BatchHardMiner;
import dev.oneshot.siamese.mining.Triplets;
import dev.oneshot.siamese.nets.Conv4Config;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The measurements behind {@code oneshot bench}: plain {@code System.nanoTime} timings (not
 * JMH), each a median of a few runs after warm-up, for a quick look and for scripts. The
 * benchmarks module (JMH) is the reference; its figures are in docs/benchmarks.md.
 *
 * <p>EJML is not a dependency of this module. {@link #ejmlGemm} calls
 * {@code CommonOps_FDRM.mult} reflectively when EJML is on the class path (the launcher adds
 * {@code benchmarks/target/benchmarks.jar} when it exists); otherwise it returns NaN and the
 * caller reports the naive i-k-j loop, which runs at EJML's speed (neither is vectorised by C2).
 */
final class QuickBench {
    static final int TRIPLETS = 128;
    static final int EMBED_BATCH = 256;
    static final int SCAN_DIM = 128;
    private static final int CHUNK_ROWS = 1 << 16;

    private QuickBench() {
    }

    /** GFLOP/s of C = A·B (n×n), Gemm on {@code threads} threads, about {@code seconds} of calls. */
    static double gemm(int n, int threads, double seconds) {
        float[] a = random(n * n, 1);
        float[] b = random(n * n, 2);
        float[] c = new float[n * n];
        int saved = Gemm.threads();
        Gemm.setThreads(threads);
        try {
            return gflops(n, seconds, () -> Gemm.multiply(false, false, n, n, n, a, 0, b, 0, c, 0, false));
        } finally {
            Gemm.setThreads(saved);
        }
    }

    /** GFLOP/s of the naive i-k-j loop over flat arrays. */
    static double naiveGemm(int n, double seconds) {
        float[] a = random(n * n, 1);
        float[] b = random(n * n, 2);
        float[] c = new float[n * n];
        return gflops(n, seconds, () -> naive(n, a, b, c));
    }

    /** GFLOP/s of EJML's {@code CommonOps_FDRM.mult} if EJML is on the class path, else NaN. */
    static double ejmlGemm(int n, double seconds) {
        try {
            Class<?> matrix = Class.forName("org.ejml.data.FMatrixRMaj");
            Class<?> ops = Class.forName("org.ejml.dense.row.CommonOps_FDRM");
            Class<?> row = Class.forName("org.ejml.data.FMatrix1Row");
            Method wrap = matrix.getMethod("wrap", int.class, int.class, float[].class);
            Method mult = ops.getMethod("mult", row, row, row);
            Object a = wrap.invoke(null, n, n, random(n * n, 1));
            Object b = wrap.invoke(null, n, n, random(n * n, 2));
            Object c = wrap.invoke(null, n, n, new float[n * n]);
            return gflops(n, seconds, () -> {
                try {
                    mult.invoke(null, a, b, c);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (ReflectiveOperationException | LinkageError e) {
            return Double.NaN;
        }
    }

    /** Median ms of one triplet SGD step of the demo network (128 triplets = 384 images). */
    static double tripletStepMs(int threads, int warmup, int runs) {
        return timedSteps(threads, warmup, runs, tripletStep()).medianMs();
    }

    /** One triplet SGD step of the demo network (128 triplets = 384 images), built afresh. */
    static Runnable tripletStep() {
        Sequential net = EmbeddingNets.smallCnn(SmallCnnConfig.demo());
        Sgd sgd = new Sgd(net.namedParameters(), Hyper.sgd().withLr(0.01).withMomentum(0.9));
        Tensor images = Tensor.rand(new SeededRandom(7), 3 * TRIPLETS, 1, 28, 28);
        int[] anchor = new int[TRIPLETS];
        int[] positive = new int[TRIPLETS];
        int[] negative = new int[TRIPLETS];
        for (int i = 0; i < TRIPLETS; i++) {
            anchor[i] = i;
            positive[i] = TRIPLETS + i;
            negative[i] = 2 * TRIPLETS + i;
        }
        return () -> {
            sgd.zeroGrad();
            Tensor loss = TripletLoss.apply(net.forward(images), anchor, positive, negative).loss();
            loss.backwardAndRecycle();
            sgd.step();
        };
    }

    /** Images of the Conv-4/BN step: P×K = {@value #CONV4_P} classes × {@value #CONV4_K} images. */
    static final int CONV4_P = 32;
    static final int CONV4_K = 4;

    /**
     * One Conv-4/BN batch-hard step, built afresh: {@link EmbeddingNets#conv4} with
     * {@link Conv4Config#standard} at 28×28 (4 × [conv 3×3 64, BatchNorm, ReLU, max-pool 2],
     * linear to 64), 128 images in P×K = 32×4 classes, the batch's squared distances read
     * without a graph, batch-hard mining, soft-margin triplet loss on the L2 distance (mean),
     * backward, Adam (lr 10⁻³). The twin of {@code conv4_batchhard_step} in
     * {@code torch_reference.py}.
     */
    static Runnable conv4Step() {
        Sequential net = EmbeddingNets.conv4(Conv4Config.standard(28));
        net.train();
        Adam adam = new Adam(net.namedParameters(), Hyper.adam().withLr(1e-3));
        int n = CONV4_P * CONV4_K;
        Tensor images = Tensor.rand(new SeededRandom(13), n, 1, 28, 28);
        int[] labels = new int[n];
        Arrays.setAll(labels, i -> i / CONV4_K);
        TripletOptions options = TripletOptions.DEFAULT.withDistance(EmbeddingDistance.L2)
                .withMarginKind(TripletOptions.Margin.SOFT).withReduction(Reduction.MEAN);
        BatchHardMiner miner = new BatchHardMiner();
        SeededRandom rng = new SeededRandom(17);
        return () -> {
            adam.zeroGrad();
            Tensor e = net.forward(images);
            Tensor dist;
            try (var off = Grad.off()) {
                Tensor v = e.detach();
                dist = v.pairwiseSquaredDistance(v);
            }
            Triplets t = miner.mine(dist, labels, options.margin(), rng);
            TripletLoss.apply(e, t.anchors(), t.positives(), t.negatives(), options).loss().backwardAndRecycle();
            adam.step();
        };
    }

    /**
     * Median wall time of {@code runs} steps, and the bytes allocated per step over those runs by
     * the threads that run a step: the caller's and the kernel pool's ({@code oneshot-kernel-*};
     * HotSpot's per-thread allocation counters, {@code com.sun.management.ThreadMXBean}); other
     * threads of the JVM are not the step's. Steady state: after {@code warmup} steps, windows of
     * {@code runs} steps follow one another until two in a row allocate alike (within 10 % or
     * 0.5 MB per step) or {@link #MAX_WINDOWS} have run, and the last window is reported — until
     * the JIT has compiled the Vector API loops they run interpreted or in C1, which allocate every
     * vector, and on a loaded machine (or after a JVM event that discards compiled code) that takes
     * longer than any fixed warm-up.
     */
    record Timed(double medianMs, double allocMbPerStep) {
    }

    /** The most windows {@link #timedSteps} measures before it reports the last. */
    static final int MAX_WINDOWS = 6;

    static Timed timedSteps(int threads, int warmup, int runs, Runnable step) {
        int saved = Gemm.threads();
        Gemm.setThreads(threads);
        try {
            for (int i = 0; i < warmup; i++) {
                step.run();
            }
            Timed last = window(runs, step);
            for (int w = 1; w < MAX_WINDOWS && !Double.isNaN(last.allocMbPerStep()); w++) {
                Timed next = window(runs, step);
                boolean alike = Math.abs(next.allocMbPerStep() - last.allocMbPerStep())
                        <= Math.max(0.5, 0.1 * Math.max(next.allocMbPerStep(), last.allocMbPerStep()));
                last = next;
                if (alike) {
                    break;
                }
            }
            return last;
        } finally {
            Gemm.setThreads(saved);
        }
    }

    private static Timed window(int runs, Runnable step) {
        long before = allocatedBytes();
        double ms = medianMs(0, runs, step);
        long after = allocatedBytes();
        return new Timed(ms, after < 0 || before < 0 ? Double.NaN : (after - before) / 1e6 / runs);
    }

    /**
     * Bytes allocated so far by this thread and the kernel pool's live threads, or −1 when the JVM
     * does not count them.
     */
    static long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported() || !mx.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        Thread me = Thread.currentThread();
        long[] ids = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == me || t.getName().startsWith(KERNEL_THREAD_PREFIX))
                .mapToLong(Thread::getId).toArray();
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(ids)) {
            if (b > 0) {
                sum += b;
            }
        }
        return sum;
    }

    /** The names of the kernels' pool threads ({@code dev.oneshot.core.kernels.Parallel}) begin so. */
    static final String KERNEL_THREAD_PREFIX = "oneshot-kernel-";

    /** Embeddings per second of the demo network, batch 256, {@link Grad#off()} (median batch time). */
    static double embedPerSecond(int threads, int warmup, int runs) {
        int saved = Gemm.threads();
        Gemm.setThreads(threads);
        try {
            Sequential net = EmbeddingNets.smallCnn(SmallCnnConfig.demo());
            net.eval();
            Tensor images = Tensor.rand(new SeededRandom(11), EMBED_BATCH, 1, 28, 28);
            double ms = medianMs(warmup, runs, () -> {
                try (var off = Grad.off()) {
                    net.forward(images);
                }
            });
            return EMBED_BATCH / (ms / 1e3);
        } finally {
            Gemm.setThreads(saved);
        }
    }

    /** A gallery of {@code rows} random 128-d rows in 64k-row chunks (the layout of the gallery's store). */
    static float[][] gallery(int rows) {
        int chunks = (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
        float[][] g = new float[chunks][];
        SeededRandom rnd = new SeededRandom(5);
        for (int c = 0; c < chunks; c++) {
            g[c] = new float[Math.min(CHUNK_ROWS, rows - c * CHUNK_ROWS) * SCAN_DIM];
            rnd.fillUniform(g[c], -1f, 1f);
        }
        return g;
    }

    /** Median ms of a top-1 scan of the gallery for one query ({@link DistanceKernels#scan}, squared L2). */
    static double scanTop1Ms(float[][] gallery, int rows, int threads, int warmup, int runs) {
        int[][] labels = new int[gallery.length][CHUNK_ROWS];
        for (int[] l : labels) {
            Arrays.setAll(l, i -> i);
        }
        float[] q = random(SCAN_DIM, 9);
        TopK top = new TopK(1);
        int saved = Gemm.threads();
        Gemm.setThreads(threads);
        try {
            return medianMs(warmup, runs, () -> DistanceKernels.scan(gallery, labels, CHUNK_ROWS, rows, SCAN_DIM, q, 0, null, top));
        } finally {
            Gemm.setThreads(saved);
        }
    }

    /** GB/s of a plain read (sum, {@link DistanceKernels#readSum}) of every float of the gallery, one thread: the memory baseline. */
    static double memReadGbps(float[][] gallery, int warmup, int runs) {
        long bytes = 0;
        for (float[] c : gallery) {
            bytes += 4L * c.length;
        }
        float[] sink = new float[1];
        double ms = medianMs(warmup, runs, () -> {
            float s = 0f;
            for (float[] c : gallery) {
                s += DistanceKernels.readSum(c);
            }
            sink[0] += s;
        });
        return bytes / (ms / 1e3) / 1e9;
    }

    static void naive(int n, float[] a, float[] b, float[] c) {
        Arrays.fill(c, 0f);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                float aik = a[i * n + k];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aik * b[k * n + j];
                }
            }
        }
    }

    /** GFLOP/s (2n³ per call) over about {@code seconds} after one warm-up call. */
    static double gflops(int n, double seconds, Runnable r) {
        r.run();
        long start = System.nanoTime();
        int calls = 0;
        do {
            r.run();
            calls++;
        } while (System.nanoTime() - start < seconds * 1e9);
        double s = (System.nanoTime() - start) / 1e9;
        return 2.0 * n * n * n * calls / s / 1e9;
    }

    /** Median wall time in ms of {@code runs} calls after {@code warmup} calls. */
    static double medianMs(int warmup, int runs, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }

    static float[] random(int n, long seed) {
        float[] v = new float[n];
        new SeededRandom(seed).fillUniform(v, -1f, 1f);
        return v;
    }
}
