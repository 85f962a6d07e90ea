package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.kernels.Im2Col;
import dev.oneshot.core.kernels.SmallImageConv;
import dev.oneshot.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In training, a convolution of images no larger than its kernel runs as one product with the
 * unrolled weights ({@link SmallImageConv}): its output and gradients (x, w, b) equal im2col +
 * GEMM's to float rounding, are exactly the kernel's own (so the op really takes that path),
 * are the same bits for 1–3 threads, and pass the gradient check; a copy whose backward unrolls
 * the kernel flipped fails it.
 */
class SmallImageConvTest {

    private record Case(int n, int c, int f, int h, int w, int k, int stride, int pad) {
    }

    private static final List<Case> CASES = List.of(
            new Case(5, 3, 4, 3, 3, 3, 1, 1),   // Conv-4's last block, smaller
            new Case(3, 2, 3, 3, 2, 3, 1, 1),   // a 3×2 image (28×23 faces after three pools)
            new Case(4, 2, 3, 2, 2, 3, 1, 1),
            new Case(2, 2, 2, 3, 3, 3, 2, 1),   // stride 2: a 2×2 output
            new Case(3, 2, 5, 3, 3, 3, 1, 0),   // no padding: a 1×1 output
            new Case(17, 8, 9, 3, 3, 3, 1, 1)); // products large enough to split between threads

    /** [y, ∂x, ∂w, ∂b] of L = Σ y ⊙ r. */
    private static float[][] run(Case k, boolean unrolled, int threads) {
        return KernelSwitches.with(threads, true, unrolled, () -> {
            Tensor x = Tensor.randn(61, k.n, k.c, k.h, k.w).detach().requiresGrad(true);
            Tensor w = Tensor.randn(62, k.f, k.c, k.k, k.k).mul(Tensor.scalar(0.3f)).detach().requiresGrad(true);
            Tensor b = Tensor.randn(63, k.f).requiresGrad(true);
            Tensor y = Conv2d.apply(x, w, b, k.stride, k.pad);
            y.mul(Tensor.randn(64, y.shape())).sum().backward();
            return new float[][] {y.data().clone(), x.grad().data().clone(), w.grad().data().clone(),
                    b.grad().data().clone()};
        });
    }

    @Test
    void givesTheDirectValuesToRounding() {
        String[] names = {"y", "dx", "dw", "db"};
        for (Case k : CASES) {
            Im2Col.Geometry g = new Im2Col.Geometry(k.c, k.h, k.w, k.k, k.k, k.stride, k.pad);
            assertTrue(SmallImageConv.applies(g, k.f), k.toString());
            float[][] direct = run(k, false, 1);
            float[][] unrolled = run(k, true, 1);
            for (int i = 0; i < names.length; i++) {
                assertArrayEquals(direct[i], unrolled[i], 2e-5f * (1 + k.c), k + " " + names[i]);
            }
        }
    }

    @Test
    void theOpIsTheKernelsProduct() {
        Case k = CASES.get(0);
        Im2Col.Geometry g = new Im2Col.Geometry(k.c, k.h, k.w, k.k, k.k, k.stride, k.pad);
        float[][] op = run(k, true, 1);
        Tensor x = Tensor.randn(61, k.n, k.c, k.h, k.w);
        Tensor w = Tensor.randn(62, k.f, k.c, k.k, k.k).mul(Tensor.scalar(0.3f));
        Tensor b = Tensor.randn(63, k.f);
        float[] u = SmallImageConv.unroll(g, k.f, w.data());
        float[] y = new float[op[0].length];
        SmallImageConv.forward(g, k.n, k.f, x.data(), u, b.data(), y);
        assertArrayEquals(y, op[0]);
        float[] gy = Tensor.randn(64, k.n, k.f, g.outHeight(), g.outWidth()).data();
        float[] gx = new float[x.numel()];
        float[] gw = new float[w.numel()];
        SmallImageConv.backward(g, k.n, k.f, x.data(), u, gy, gw, gx, true);
        assertArrayEquals(gx, op[1]);
        assertArrayEquals(gw, op[2]);
    }

    @Test
    void theSameBitsForAnyThreadCount() {
        SameBits.forThreadCounts(CASES, (k, threads) -> run(k, true, threads));
    }

    @Test
    void theUnrolledMatrixHoldsEachWeightWhereItsTapFalls() {
        // one channel, one filter, a 3×3 image, padding 1: output (0, 0) reads pixels (0..1, 0..1)
        // through taps (1..2, 1..2); the centre output reads all nine through all nine taps
        Im2Col.Geometry g = new Im2Col.Geometry(1, 3, 3, 3, 3, 1, 1);
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] u = SmallImageConv.unroll(g, 1, w);
        float[] corner = new float[9];
        float[] centre = new float[9];
        for (int pixel = 0; pixel < 9; pixel++) {
            corner[pixel] = u[pixel * 9];
            centre[pixel] = u[pixel * 9 + 4];
        }
        assertArrayEquals(new float[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, corner);
        assertArrayEquals(w, centre);
        assertFalse(SmallImageConv.applies(new Im2Col.Geometry(1, 4, 3, 3, 3, 1, 1), 4), "12 pixels > 9 taps");
        assertEquals(true, SmallImageConv.applies(new Im2Col.Geometry(512, 3, 3, 3, 3, 1, 1), 64));
        assertFalse(SmallImageConv.applies(new Im2Col.Geometry(512, 3, 3, 3, 3, 1, 1), 512), "a 64 MB matrix");
    }

    @Test
    void passesTheGradientCheck() {
        KernelSwitches.with(1, true, true, () -> {
            GradCheck.check("conv2d (unrolled)", t -> Conv2d.apply(t[0], t[1], t[2], 1, 1),
                    Tensor.randn(65, 2, 2, 3, 3).requiresGrad(true), Tensor.randn(66, 3, 2, 3, 3).requiresGrad(true),
                    Tensor.randn(67, 3).requiresGrad(true)).assertPassed();
            return null;
        });
    }

    /** A backward that unrolls the kernel turned by 180° (the convolution/correlation mix-up) fails the check. */
    @Test
    void aBackwardWithTheKernelFlippedFailsTheCheck() {
        Tensor x = Tensor.randn(68, 2, 2, 3, 3).requiresGrad(true);
        Tensor w = Tensor.randn(69, 3, 2, 3, 3).requiresGrad(true);
        GradCheck.check("faithful copy", t -> copy(t[0], t[1], false), x, w).assertPassed();
        GradCheckReport report = GradCheck.check("kernel flipped", t -> copy(t[0], t[1], true), x, w);
        assertFalse(report.passed(), report.summary());
    }

    private static Tensor copy(Tensor x, Tensor w, boolean flipped) {
        int[] s = x.shape();
        int f = w.size(0);
        Im2Col.Geometry g = new Im2Col.Geometry(s[1], s[2], s[3], 3, 3, 1, 1);
        float[] u = SmallImageConv.unroll(g, f, w.data());
        float[] y = new float[s[0] * f * 9];
        SmallImageConv.forward(g, s[0], f, x.data(), u, null, y);
        float[] wb = w.data().clone();
        if (flipped) {
            for (int fc = 0; fc < wb.length / 9; fc++) {
                for (int t = 0; t < 9; t++) {
                    wb[fc * 9 + t] = w.data()[fc * 9 + 8 - t];
                }
            }
        }
        float[] ub = SmallImageConv.unroll(g, f, wb);
        return Node.record("copy", y, new int[] {s[0], f, 3, 3}, gy ->
                SmallImageConv.backward(g, s[0], f, x.data(), ub, gy, w.gradData(), x.gradData(), false), x, w);
    }
}
