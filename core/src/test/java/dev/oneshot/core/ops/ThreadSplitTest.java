package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.kernels.VectorSupport;
import dev.oneshot.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A conv → batch norm → ReLU → max-pool block large enough that every op splits its work
 * between threads (ReLU, pooling, the bias gradient and gradient zeroing included): the
 * values and every gradient are bitwise the same for 1, 2 and 3 threads, on the scalar and
 * the Vector API paths, whether the backward functions overwrite fresh gradient buffers or
 * accumulate into zeroed ones, and ReLU and pooling match plain loops at that size. The fused
 * ReLU + max-pool op gives bit for bit the values and gradients of the two ops, for any thread
 * count.
 */
class ThreadSplitTest {
    private static final int N = 10;
    private static final int C = 3;
    private static final int F = 8;
    private static final int H = 30; // N·F·H·W = 72,000 elements: above every split threshold

    private static List<float[]> run(int threads, boolean vector, int poolKernel, int poolStride) {
        return run(threads, vector, poolKernel, poolStride, false, false);
    }

    /**
     * @param preZeroed give the intermediates a (zero) gradient buffer before backward, so that
     *                  their backward functions accumulate into it instead of overwriting a
     *                  fresh one
     * @param fused     {@code reluMaxPool2d} in place of relu then maxPool2d: the ReLU output
     *                  and its gradient are then missing from the list
     */
    private static List<float[]> run(int threads, boolean vector, int poolKernel, int poolStride,
                                     boolean preZeroed, boolean fused) {
        int saved = Gemm.threads();
        boolean savedVector = VectorSupport.enabled();
        Gemm.setThreads(threads);
        VectorSupport.use(vector);
        try {
            Tensor x = Tensor.randn(41, N, C, H, H).requiresGrad(true);
            Tensor w = Tensor.randn(42, F, C, 3, 3).requiresGrad(true);
            Tensor b = Tensor.randn(43, F).requiresGrad(true);
            Tensor gamma = Tensor.randn(44, F).requiresGrad(true);
            Tensor beta = Tensor.randn(45, F).requiresGrad(true);
            Tensor conv = x.conv2d(w, b, 1, 1);
            Tensor bn = BatchNorm.train(conv, gamma, beta, 1e-5f, null, null);
            Tensor act = fused ? null : bn.relu();
            Tensor pooled = fused ? bn.reluMaxPool2d(poolKernel, poolStride) : act.maxPool2d(poolKernel, poolStride);
            List<Tensor> inner = new ArrayList<>(List.of(conv, bn));
            if (!fused) {
                inner.add(act);
            }
            inner.forEach(Tensor::retainGrad);
            Tensor seed = Tensor.randn(46, pooled.shape());
            if (preZeroed) {
                x.gradData();
                inner.forEach(Tensor::gradData);
            }
            pooled.backward(seed);
            List<float[]> out = new ArrayList<>();
            out.add(bn.data().clone());
            if (!fused) {
                out.add(act.data().clone());
            }
            out.add(pooled.data().clone());
            out.add(seed.data().clone());
            List<Tensor> withGrad = new ArrayList<>(List.of(x, w, b, gamma, beta));
            withGrad.addAll(inner);
            for (Tensor t : withGrad) {
                out.add(t.gradData().clone());
            }
            return out;
        } finally {
            Gemm.setThreads(saved);
            VectorSupport.use(savedVector);
        }
    }

    /** Fused against the two ops on one thread (whose thread independence {@link #check} shows). */
    private static void checkFused(boolean vector, int poolKernel, int poolStride) {
        List<float[]> two = run(1, vector, poolKernel, poolStride);
        two.remove(1); // the ReLU output
        two.remove(two.size() - 1); // its gradient
        for (int threads : new int[] {1, 2, 3}) {
            for (boolean preZeroed : new boolean[] {false, true}) {
                List<float[]> fused = run(threads, vector, poolKernel, poolStride, preZeroed, true);
                assertEquals(two.size(), fused.size());
                for (int i = 0; i < two.size(); i++) {
                    assertArrayEquals(two.get(i), fused.get(i), "fused array " + i + ", " + threads
                            + " threads, vector " + vector + ", pool " + poolKernel + "/" + poolStride
                            + ", pre-zeroed " + preZeroed);
                }
            }
        }
    }

    @Test
    void fusedReluMaxPoolIsReluThenMaxPoolBitForBit() {
        checkFused(false, 2, 2);
        checkFused(false, 3, 2);
        if (VectorSupport.available()) {
            checkFused(true, 2, 2);
        }
    }

    private static void check(boolean vector, int poolKernel, int poolStride) {
        List<float[]> one = run(1, vector, poolKernel, poolStride);
        for (int threads : new int[] {2, 3}) {
            List<float[]> many = run(threads, vector, poolKernel, poolStride);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), many.get(i), "array " + i + ", " + threads + " threads, vector "
                        + vector + ", pool " + poolKernel + "/" + poolStride);
            }
        }
        List<float[]> accumulated = run(2, vector, poolKernel, poolStride, true, false);
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), accumulated.get(i), "array " + i + ", accumulated into zeros, vector "
                    + vector + ", pool " + poolKernel + "/" + poolStride);
        }
        float[] bn = one.get(0);
        float[] act = one.get(1);
        for (int i = 0; i < bn.length; i++) {
            assertEquals(Math.max(bn[i], 0f), act[i], "relu[" + i + "]");
        }
        int oh = (H - poolKernel) / poolStride + 1;
        float[] pooled = one.get(2);
        for (int plane = 0; plane < N * F; plane++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < oh; xo++) {
                    float best = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < poolKernel; i++) {
                        for (int j = 0; j < poolKernel; j++) {
                            best = Math.max(best, act[plane * H * H + (y * poolStride + i) * H + xo * poolStride + j]);
                        }
                    }
                    assertEquals(best, pooled[(plane * oh + y) * oh + xo], "pool at plane " + plane);
                }
            }
        }
    }

    @Test
    void twoByTwoPoolingScalarAndVector() {
        check(false, 2, 2);
        if (VectorSupport.available()) {
            check(true, 2, 2);
        }
    }

    @Test
    void overlappingThreeByThreePooling() {
        check(false, 3, 2);
    }
}
