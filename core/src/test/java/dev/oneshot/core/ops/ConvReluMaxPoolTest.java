package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.kernels.VectorSupport;
import dev.oneshot.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code conv2dReluMaxPool2d} is bit for bit {@code conv2d(...).reluMaxPool2d(2, 2)}: values and
 * the gradients of x, w and b, for 1, 2 and 3 threads, on the scalar and the Vector API paths,
 * over geometries that put one image per GEMM (28×28), several (14×14, 7×7 with its odd last
 * row and column ignored), a batch that is not a whole number of blocks, a single image, a
 * strided conv, no bias, and one-channel inputs (the direct 3×3 kernel of first layers, which
 * must give the vector GEMM's bits). Under {@code Grad.off} it records no arg-max and, with
 * Winograd inference switched off, gives the same values.
 */
class ConvReluMaxPoolTest {

    /** One case: x [n, c, h, w], filters f, 3×3 kernel, stride, padding, with or without bias. */
    private record Case(int n, int c, int h, int w, int f, int stride, int padding, boolean bias) {
    }

    private static final List<Case> CASES = List.of(
            new Case(3, 1, 28, 28, 5, 1, 1, true),   // P = 784: one image per GEMM
            new Case(5, 4, 14, 14, 6, 1, 1, true),   // P = 196: two per GEMM, the last block one
            new Case(13, 3, 7, 7, 4, 1, 1, true),    // P = 49: six per GEMM, odd 7×7 → 3×3
            new Case(1, 2, 9, 10, 3, 1, 1, true),    // one image
            new Case(4, 2, 11, 9, 3, 2, 0, false),   // strided, no padding, no bias
            new Case(7, 1, 9, 10, 4, 1, 1, true),    // one channel (the direct 3×3 kernel), three per block
            new Case(9, 1, 8, 8, 3, 1, 0, false),    // one channel, no padding, no bias, eight per block
            new Case(2, 1, 36, 41, 3, 1, 2, true));  // one channel, rows of more than 16 windows, padding 2

    /** Values, then ∂x, ∂w, ∂b (b's when present) of the fused op or the two ops. */
    private static List<float[]> run(Case k, boolean fused, int threads, boolean vector) {
        return withKernels(threads, vector, () -> {
            Tensor x = Tensor.randn(71, k.n, k.c, k.h, k.w).requiresGrad(true);
            Tensor w = Tensor.randn(72, k.f, k.c, 3, 3).requiresGrad(true);
            Tensor b = k.bias ? Tensor.randn(73, k.f).requiresGrad(true) : null;
            Tensor y = fused ? x.conv2dReluMaxPool2d(w, b, k.stride, k.padding)
                    : x.conv2d(w, b, k.stride, k.padding).reluMaxPool2d(2, 2);
            Tensor seed = Tensor.randn(74, y.shape());
            y.backward(seed);
            List<float[]> out = new ArrayList<>(List.of(y.data().clone(), x.gradData().clone(), w.gradData().clone()));
            if (b != null) {
                out.add(b.gradData().clone());
            }
            return out;
        });
    }

    /**
     * {@code body} on {@code threads} kernel threads and the chosen path, with inference on the
     * direct arithmetic (Winograd off: {@link WinogradInferenceTest} covers it), all restored after.
     */
    private static <T> T withKernels(int threads, boolean vector, Supplier<T> body) {
        return KernelSwitches.with(threads, vector, false, body);
    }

    @Test
    void fusedIsBitForBitTheTwoOpsForAnyThreadCountAndPath() {
        for (Case k : CASES) {
            for (boolean vector : new boolean[] {false, true}) {
                List<float[]> expected = run(k, false, 1, vector);
                boolean positive = false;
                boolean zero = false;
                for (float v : expected.get(0)) {
                    positive |= v > 0f;
                    zero |= v == 0f;
                }
                assertTrue(positive && zero, k + ": outputs must include windows cut by the ReLU and windows kept");
                for (int threads = 1; threads <= 3; threads++) {
                    List<float[]> actual = run(k, true, threads, vector);
                    assertEquals(expected.size(), actual.size());
                    for (int i = 0; i < expected.size(); i++) {
                        assertArrayEquals(expected.get(i), actual.get(i),
                                k + " vector=" + vector + " threads=" + threads + " array " + i);
                    }
                }
            }
        }
    }

    /** conv → eval batch norm → ReLU → pool, fused (under Grad.off) or as the three ops. */
    private static float[] withBatchNorm(Case k, boolean fused, int threads, boolean vector) {
        return withKernels(threads, vector, () -> {
            try (Grad.Scope off = Grad.off()) {
                Tensor x = Tensor.randn(75, k.n, k.c, k.h, k.w);
                Tensor w = Tensor.randn(76, k.f, k.c, 3, 3);
                Tensor b = k.bias ? Tensor.randn(77, k.f) : null;
                Tensor gamma = Tensor.randn(78, k.f);
                Tensor beta = Tensor.randn(79, k.f).mul(0.5f);
                float[] mean = Tensor.randn(80, k.f).data();
                float[] var = Tensor.rand(81, k.f).add(0.2f).data();
                return fused
                        ? Conv2d.inferBatchNormReluMaxPool2x2(x, w, b, k.stride, k.padding, gamma, beta, 1e-5f, mean, var).data()
                        : BatchNorm.eval(x.conv2d(w, b, k.stride, k.padding), gamma, beta, 1e-5f, mean, var)
                                .reluMaxPool2d(2, 2).data();
            }
        });
    }

    @Test
    void withAnEvalBatchNormItIsBitForBitTheThreeOps() {
        for (Case k : CASES) {
            for (boolean vector : new boolean[] {false, true}) {
                float[] expected = withBatchNorm(k, false, 1, vector);
                for (int threads = 1; threads <= 3; threads++) {
                    assertArrayEquals(expected, withBatchNorm(k, true, threads, vector),
                            k + " vector=" + vector + " threads=" + threads);
                }
            }
        }
    }

    @Test
    void theBatchNormFusionRefusesToDropAGradient() {
        Tensor x = Tensor.randn(84, 2, 1, 6, 6).requiresGrad(true);
        Tensor w = Tensor.randn(85, 3, 1, 3, 3);
        Tensor ones = Tensor.ones(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Conv2d.inferBatchNormReluMaxPool2x2(
                x, w, null, 1, 1, ones, Tensor.zeros(3), 1e-5f, new float[3], new float[] {1, 1, 1}));
        assertTrue(e.getMessage().contains("Grad.off"), e.getMessage());
    }

    @Test
    void inferenceGivesTheSameValuesAndRecordsNothing() {
        withKernels(Gemm.threads(), VectorSupport.enabled(), () -> {
            inferenceOnTheDirectPath();
            return null;
        });
    }

    private static void inferenceOnTheDirectPath() {
        Case k = CASES.get(1);
        Tensor x = Tensor.randn(81, k.n, k.c, k.h, k.w);
        Tensor w = Tensor.randn(82, k.f, k.c, 3, 3).requiresGrad(true);
        Tensor b = Tensor.randn(83, k.f).requiresGrad(true);
        float[] training = x.conv2dReluMaxPool2d(w, b, 1, 1).data();
        try (Grad.Scope off = Grad.off()) {
            Tensor y = x.conv2dReluMaxPool2d(w, b, 1, 1);
            assertNull(y.gradFn());
            assertArrayEquals(training, y.data());
            assertArrayEquals(x.conv2d(w, b, 1, 1).reluMaxPool2d(2, 2).data(), y.data());
        }
    }

    @Test
    void aConvOutputSmallerThanTheWindowIsRejectedWithTheShapes() {
        Tensor x = Tensor.randn(91, 2, 1, 3, 3);
        Tensor w = Tensor.randn(92, 4, 1, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.conv2dReluMaxPool2d(w, null, 1, 0));
        assertTrue(e.getMessage().contains("[2, 1, 3, 3]") && e.getMessage().contains("1x1"), e.getMessage());
    }
}
