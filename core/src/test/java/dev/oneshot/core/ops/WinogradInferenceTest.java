package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inference by Winograd's F(2×2, 3×3) ({@code WinogradConv}) gives the direct convolution's values
 * to float rounding — conv → ReLU → pool and conv → eval batch norm → ReLU → pool, with and
 * without bias, even and odd sizes (a 7×7 conv output pools to 3×3: its last row and column
 * have no tile), images smaller than a block of tiles and batches spanning several — and the
 * same bits for any thread count on either kernel path. Training never uses it.
 */
class WinogradInferenceTest {

    private record Case(int n, int c, int h, int w, int f, boolean bias) {
    }

    private static final List<Case> CASES = List.of(
            new Case(5, 4, 14, 14, 6, true),     // 49 tiles per image: blocks span images
            new Case(13, 3, 7, 7, 4, true),      // odd: 3×3 tiles, the last row and column unused
            new Case(1, 2, 9, 10, 3, false),     // one image, odd height
            new Case(3, 64, 14, 14, 64, true),   // the networks' middle layer
            new Case(6, 5, 3, 3, 7, true),       // one tile per image
            new Case(2, 8, 2, 2, 9, false),      // the smallest input: one tile, every border zero
            new Case(70, 3, 5, 6, 2, true));     // 6 tiles per image, 420 in all: several blocks

    /** conv → (eval batch norm) → ReLU → pool under Grad.off with Winograd on or off. */
    private static float[] infer(Case k, boolean batchNorm, boolean winograd, int threads, boolean vector) {
        return KernelSwitches.with(threads, vector, winograd, () -> {
            try (Grad.Scope off = Grad.off()) {
                Tensor x = Tensor.randn(61, k.n, k.c, k.h, k.w);
                Tensor w = Tensor.randn(62, k.f, k.c, 3, 3);
                Tensor b = k.bias ? Tensor.randn(63, k.f) : null;
                if (!batchNorm) {
                    return x.conv2dReluMaxPool2d(w, b, 1, 1).data().clone();
                }
                Tensor gamma = Tensor.randn(64, k.f);
                Tensor beta = Tensor.randn(65, k.f).mul(0.5f);
                float[] mean = Tensor.randn(66, k.f).data();
                float[] var = Tensor.rand(67, k.f).add(0.2f).data();
                return Conv2d.inferBatchNormReluMaxPool2x2(x, w, b, 1, 1, gamma, beta, 1e-5f, mean, var).data().clone();
            }
        });
    }

    @Test
    void winogradGivesTheDirectValuesToRounding() {
        for (Case k : CASES) {
            for (boolean bn : new boolean[] {false, true}) {
                for (boolean vector : new boolean[] {false, true}) {
                    float[] exact = infer(k, bn, false, 1, vector);
                    float[] fast = infer(k, bn, true, 1, vector);
                    assertEquals(k.n * k.f * (k.h / 2) * (k.w / 2), fast.length);
                    float scale = 0;
                    int positive = 0;
                    for (float v : exact) {
                        scale = Math.max(scale, Math.abs(v));
                        positive += v > 0 ? 1 : 0;
                    }
                    assertTrue(positive > 0 && positive < exact.length, k + ": windows cut by the ReLU and kept");
                    // a 3×3 conv over C channels sums 9·C products; Winograd regroups them
                    float tolerance = 2e-6f * scale * (float) Math.sqrt(9 * k.c);
                    for (int i = 0; i < exact.length; i++) {
                        assertEquals(exact[i], fast[i], tolerance, k + " bn=" + bn + " vector=" + vector + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void itIsReallyAnotherArithmeticSoTheSwitchMatters() {
        Case big = CASES.get(3);
        assertFalse(Arrays.equals(infer(big, false, false, 1, true), infer(big, false, true, 1, true)),
                "64 channels: the Winograd sums should differ from the direct ones in some last bit");
    }

    @Test
    void theSameBitsForAnyThreadCount() {
        for (Case k : CASES) {
            for (boolean vector : new boolean[] {false, true}) {
                float[] one = infer(k, true, true, 1, vector);
                for (int threads = 2; threads <= 3; threads++) {
                    assertArrayEquals(one, infer(k, true, true, threads, vector), k + " threads=" + threads);
                }
            }
        }
    }

    @Test
    void trainingNeverUsesIt() {
        Case k = CASES.get(0);
        boolean saved = Conv2d.winogradInference();
        Conv2d.setWinogradInference(true);
        try {
            Tensor x = Tensor.randn(61, k.n, k.c, k.h, k.w);
            Tensor w = Tensor.randn(62, k.f, k.c, 3, 3).requiresGrad(true);
            Tensor b = Tensor.randn(63, k.f);
            float[] recorded = x.conv2dReluMaxPool2d(w, b, 1, 1).data();
            assertArrayEquals(x.conv2d(w, b, 1, 1).reluMaxPool2d(2, 2).data(), recorded);
        } finally {
            Conv2d.setWinogradInference(saved);
        }
    }
}
