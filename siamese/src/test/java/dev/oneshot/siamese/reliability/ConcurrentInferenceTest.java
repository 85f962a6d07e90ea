package dev.oneshot.siamese.reliability;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import dev.oneshot.siamese.twin.TwinNetwork;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@link TwinNetwork} ({@link SmallCnnConfig#demo()}, eval mode) embeds the same 64 images
 * from more threads than there are cores, in batches of varying sizes (1–32), many times; every
 * result must be bitwise identical to the serial result for the same batching. Guards against
 * scratch buffers shared between threads in the kernels (GEMM, convolution, pooling) or in the
 * modules.
 */
class ConcurrentInferenceTest {
    static final int IMAGES = 64;
    static final int THREADS = 8;
    static final int ROUNDS = 16; // per thread: each round embeds all 64 images with one batching

    /** A few fixed ways to cut 64 images into batches of 1..32. */
    static final int[][] BATCHINGS = {
            {32, 32},
            {1, 31, 32},
            {7, 1, 13, 32, 11},
            {5, 3, 17, 2, 9, 28},
            {16, 16, 16, 16},
            {29, 1, 1, 1, 2, 30},
    };

    @Test
    void concurrentEmbeddingsAreBitwiseIdenticalToSerial() throws Exception {
        for (int[] b : BATCHINGS) {
            assertEquals(IMAGES, Arrays.stream(b).sum());
            assertTrue(Arrays.stream(b).allMatch(n -> n >= 1 && n <= 32));
        }
        SmallCnnConfig cfg = SmallCnnConfig.demo();
        TwinNetwork net = new TwinNetwork(EmbeddingNets.smallCnn(cfg), true);
        net.eval();
        float[] images = Tensor.rand(2026L, IMAGES, 1, 28, 28).data();

        // The serial reference, one per batching.
        float[][] serial = new float[BATCHINGS.length][];
        try (Grad.Scope off = Grad.off()) {
            for (int b = 0; b < BATCHINGS.length; b++) {
                serial[b] = embedAll(net, images, BATCHINGS[b]);
            }
        }
        int dim = serial[0].length / IMAGES;
        assertEquals(cfg.embeddingDim(), dim);
        // Report (do not require) whether an image's embedding depends on its batch.
        boolean batchInvariant = true;
        for (float[] s : serial) {
            batchInvariant &= Arrays.equals(s, serial[0]);
        }

        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        CyclicBarrier go = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try (Grad.Scope off = Grad.off()) {
                    go.await();
                    SeededRandom r = new SeededRandom(100 + id);
                    for (int round = 0; round < ROUNDS; round++) {
                        // Threads start on different batchings, so different batch sizes overlap in time.
                        int b = (id + round + r.nextInt(BATCHINGS.length)) % BATCHINGS.length;
                        float[] got = embedAll(net, images, BATCHINGS[b]);
                        if (!Arrays.equals(got, serial[b])) {
                            errors.add("thread " + id + " round " + round + " batching " + Arrays.toString(BATCHINGS[b])
                                    + ": first difference at " + firstDiff(got, serial[b], dim));
                        }
                    }
                } catch (Throwable e) {
                    errors.add("thread " + id + ": " + e);
                }
            }, "embed-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!th.isAlive(), th.getName() + " still running after 60 s");
        }
        System.out.printf("ConcurrentInferenceTest: %d threads x %d rounds x %d images in %d ms; "
                        + "embeddings batch-invariant: %s%n", THREADS, ROUNDS, IMAGES,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), batchInvariant);
        assertTrue(errors.isEmpty(), errors.size() + " mismatches/errors, e.g. " + errors.peek());
    }

    /** Embeds all images, batch by batch, into one [64·d] array. */
    static float[] embedAll(TwinNetwork net, float[] images, int[] batching) {
        int pixels = 28 * 28;
        float[] out = null;
        int at = 0;
        for (int n : batching) {
            float[] x = Arrays.copyOfRange(images, at * pixels, (at + n) * pixels);
            Tensor e = net.embed(Tensor.fromArray(x, n, 1, 28, 28));
            int d = e.size(1);
            if (out == null) {
                out = new float[IMAGES * d];
            }
            System.arraycopy(e.data(), 0, out, at * d, n * d);
            at += n;
        }
        return out;
    }

    static String firstDiff(float[] a, float[] b, int dim) {
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return "image " + i / dim + " component " + i % dim + ": " + a[i] + " vs " + b[i];
            }
        }
        return "none";
    }
}
