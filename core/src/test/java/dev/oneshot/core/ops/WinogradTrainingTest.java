package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training by Winograd's F(2×2, 3×3) ({@code WinogradConv.forward} and {@code backward}) gives the
 * im2col + GEMM values and gradients (∂x, ∂W, ∂b) to float rounding — even and odd sizes (an odd
 * output's last tiles stick out), one tile per image, batches spanning several ∂W groups — the
 * same bits for any thread count, and conv2d → reluMaxPool2d and the fused op agree bit for bit.
 */
class WinogradTrainingTest {

    private record Case(int n, int c, int h, int w, int f, boolean bias) {
    }

    private static final List<Case> CASES = List.of(
            new Case(3, 4, 14, 14, 6, true),     // 49 tiles per image
            new Case(13, 3, 7, 7, 4, true),      // odd: 4×4 tiles, the last row and column stick out
            new Case(1, 2, 9, 10, 3, false),     // one image, odd height
            new Case(2, 64, 14, 14, 64, true),   // the networks' middle layer
            new Case(6, 5, 3, 3, 7, true),       // 2×2 tiles, mostly outside
            new Case(3, 8, 2, 2, 9, false),      // one tile per image
            new Case(70, 3, 5, 6, 2, true),      // 9 tiles per image, 70 images: several ∂W groups
            new Case(1, 4, 6, 6, 4, true));      // one image, ∂x the size of the conv output

    /** [y, ∂x, ∂W, ∂b] of L = Σ y ⊙ r for a fixed random r, with Winograd on or off. */
    private static float[][] run(Case k, boolean pooled, boolean winograd, int threads, boolean vector) {
        return KernelSwitches.with(threads, vector, winograd, () -> {
            Tensor x = Tensor.randn(71, k.n, k.c, k.h, k.w).requiresGrad(true);
            Tensor w = Tensor.randn(72, k.f, k.c, 3, 3).requiresGrad(true);
            Tensor b = k.bias ? Tensor.randn(73, k.f).requiresGrad(true) : null;
            Tensor y = pooled ? x.conv2dReluMaxPool2d(w, b, 1, 1) : x.conv2d(w, b, 1, 1);
            Tensor r = Tensor.randn(74, y.shape());
            y.mul(r).sum().backward();
            return new float[][] {y.data().clone(), x.grad().data().clone(), w.grad().data().clone(),
                    b == null ? new float[0] : b.grad().data().clone()};
        });
    }

    private static float maxAbs(float[] v) {
        float m = 0;
        for (float e : v) {
            m = Math.max(m, Math.abs(e));
        }
        return m;
    }

    @Test
    void valuesAndGradientsEqualTheDirectOnesToRounding() {
        String[] names = {"y", "dx", "dW", "db"};
        for (Case k : CASES) {
            for (boolean vector : new boolean[] {false, true}) {
                float[][] exact = run(k, false, false, 1, vector);
                float[][] fast = run(k, false, true, 1, vector);
                // each value is a sum of 9·C (y, ∂x) or 9·F (∂x) or N·H·W (∂W) products, regrouped
                int terms = Math.max(9 * Math.max(k.c, k.f), k.n * k.h * k.w);
                for (int i = 0; i < 4; i++) {
                    assertEquals(exact[i].length, fast[i].length);
                    float tolerance = 3e-6f * maxAbs(exact[i]) * (float) Math.sqrt(terms);
                    for (int j = 0; j < exact[i].length; j++) {
                        assertEquals(exact[i][j], fast[i][j], tolerance,
                                k + " " + names[i] + " vector=" + vector + " at " + j);
                    }
                }
            }
        }
    }

    /** Whether every entry of b is within the test's tolerance of a's (as asserted above). */
    private static boolean close(float[] a, float[] b, int terms) {
        float tolerance = 3e-6f * maxAbs(a) * (float) Math.sqrt(terms);
        for (int j = 0; j < a.length; j++) {
            if (Math.abs(a[j] - b[j]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    /**
     * The negative control: the classic wrong backward — each 3×3 filter gradient turned by 180°
     * (convolution instead of correlation), or ∂x shifted by one pixel — falls outside the tolerance.
     */
    @Test
    void theToleranceRejectsAFlippedFilterGradientOrAShiftedInputGradient() {
        Case k = CASES.get(0);
        float[][] exact = run(k, false, false, 1, true);
        float[][] fast = run(k, false, true, 1, true);
        int terms = Math.max(9 * Math.max(k.c, k.f), k.n * k.h * k.w);
        assertTrue(close(exact[2], fast[2], terms) && close(exact[1], fast[1], terms));
        float[] flipped = fast[2].clone();
        for (int f = 0; f < flipped.length; f += 9) {
            for (int i = 0; i < 9; i++) {
                flipped[f + i] = fast[2][f + 8 - i];
            }
        }
        assertFalse(close(exact[2], flipped, terms), "a 180°-turned ∂W must fail the comparison");
        float[] shifted = new float[fast[1].length];
        System.arraycopy(fast[1], 0, shifted, 1, shifted.length - 1);
        assertFalse(close(exact[1], shifted, terms), "∂x one pixel off must fail the comparison");
    }

    @Test
    void itIsReallyAnotherArithmeticSoTheSwitchMatters() {
        Case big = CASES.get(3);
        float[][] exact = run(big, false, false, 1, true);
        float[][] fast = run(big, false, true, 1, true);
        for (int i = 0; i < 3; i++) {
            assertFalse(Arrays.equals(exact[i], fast[i]), "part " + i + " should differ in some last bit");
        }
    }

    @Test
    void theSameBitsForAnyThreadCount() {
        for (Case k : CASES) {
            for (boolean pooled : new boolean[] {false, true}) {
                float[][] one = run(k, pooled, true, 1, true);
                for (int threads = 2; threads <= 3; threads++) {
                    float[][] more = run(k, pooled, true, threads, true);
                    for (int i = 0; i < 4; i++) {
                        assertArrayEquals(one[i], more[i], k + " pooled=" + pooled + " threads=" + threads
                                + " part " + i);
                    }
                }
            }
        }
    }

    /**
     * Also with Winograd off: the one-image path once added ∂x into a recycled, unzeroed buffer
     * (the last case's ∂x is the size of the pooled-away conv output, so the pool hands it back).
     */
    @Test
    void theFusedOpGivesTheUnfusedBits() {
        for (Case k : CASES) {
            for (boolean winograd : new boolean[] {true, false}) {
                fusedAgrees(k, winograd);
            }
        }
    }

    private static void fusedAgrees(Case k, boolean winograd) {
        float[][] fused = run(k, true, winograd, 2, true);
        float[][] apart = KernelSwitches.with(2, true, winograd, () -> {
            Tensor x = Tensor.randn(71, k.n, k.c, k.h, k.w).requiresGrad(true);
            Tensor w = Tensor.randn(72, k.f, k.c, 3, 3).requiresGrad(true);
            Tensor b = k.bias ? Tensor.randn(73, k.f).requiresGrad(true) : null;
            Tensor y = x.conv2d(w, b, 1, 1).reluMaxPool2d(2, 2);
            Tensor r = Tensor.randn(74, y.shape());
            y.mul(r).sum().backward();
            return new float[][] {y.data().clone(), x.grad().data().clone(), w.grad().data().clone(),
                    b == null ? new float[0] : b.grad().data().clone()};
        });
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(apart[i], fused[i], k + " winograd=" + winograd + " part " + i);
        }
    }

    /**
     * The kernels sum ∂b where they read ∂L/∂y (in cache) instead of a pass of their own: bit for
     * bit {@code ConvKernel.biasBackward} of ∂L/∂y, by Winograd and by im2col + GEMM, on 1 and 3
     * threads (here ∂L/∂y is r, the weights of L = Σ y ⊙ r).
     */
    @Test
    void theBiasGradientIsBiasBackwardsBits() {
        for (Case k : CASES) {
            if (!k.bias) {
                continue;
            }
            for (boolean winograd : new boolean[] {true, false}) {
                for (int threads : new int[] {1, 3}) {
                    float[] gb = run(k, false, winograd, threads, true)[3];
                    float[] expected = new float[k.f];
                    float[] r = Tensor.randn(74, k.n, k.f, k.h, k.w).data();
                    dev.oneshot.core.kernels.ConvKernel.biasBackward(r, k.n, k.f, k.h * k.w, expected);
                    assertArrayEquals(expected, gb, k + " winograd=" + winograd + " threads=" + threads);
                }
            }
        }
    }
}
