package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.kernels.ConvBatchNormKernel;
import dev.oneshot.core.kernels.Im2Col;
import dev.oneshot.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused training op {@code Conv2d.trainBatchNormReluMaxPool2x2} gives, bit for bit, what
 * {@code BatchNorm.trainReluMaxPool2x2(x.conv2d(w, b, 1, p), γ, β, …)} gives — output, batch
 * statistics, ∂x, ∂w, ∂b, ∂γ, ∂β, with the gradients written fresh or added to ones already
 * there — for one and three input channels, 3×3 and 5×5 kernels, padding 0–2, odd sizes, batches
 * that fill no group of four or eight, no bias, a negative γ, both arithmetics (scalar, Vector
 * API) and 1–3 threads. A gradient check with a negative control: the same op whose backward
 * forgets γ's factor in ∂L/∂y fails it.
 */
class ConvBatchNormReluMaxPoolTest {

    private record Case(int n, int c, int f, int h, int w, int k, int pad, boolean bias) {
    }

    private static final List<Case> CASES = List.of(
            new Case(4, 1, 5, 6, 6, 3, 1, true),
            new Case(5, 1, 3, 7, 9, 3, 1, true),     // odd sizes: the last row and column are in no window
            new Case(9, 1, 6, 28, 28, 3, 1, true),   // Conv-4's first block: a group of eight and a tail
            new Case(3, 1, 4, 28, 23, 3, 1, false),  // the faces' width; no bias
            new Case(2, 3, 4, 10, 12, 3, 1, true),   // three channels (with Winograd off)
            new Case(3, 1, 4, 9, 8, 5, 2, true),     // 5×5, padding 2
            new Case(2, 1, 3, 5, 6, 3, 0, true),     // no padding: a 3×4 output
            new Case(1, 1, 2, 4, 4, 3, 1, true));    // one image

    /** [z, mean, var, ∂x, ∂w, ∂b, ∂γ, ∂β] of L = Σ z ⊙ r (+ Σ x ⊙ q + Σ w ⊙ q' when {@code accumulate}). */
    private static float[][] run(Case k, boolean fused, boolean accumulate, int threads, boolean vector) {
        return KernelSwitches.with(threads, vector, false, () -> {
            Tensor x = Tensor.randn(71, k.n, k.c, k.h, k.w).mul(Tensor.scalar(2f)).add(Tensor.scalar(0.3f))
                    .detach().requiresGrad(true);
            Tensor w = Tensor.randn(72, k.f, k.c, k.k, k.k).mul(Tensor.scalar(0.4f)).detach().requiresGrad(true);
            Tensor b = k.bias ? Tensor.randn(73, k.f).requiresGrad(true) : null;
            Tensor gamma = Tensor.randn(74, k.f).requiresGrad(true);
            gamma.data()[0] = -Math.abs(gamma.data()[0]); // a flipped channel: its winners are y's minima
            Tensor beta = Tensor.randn(75, k.f).requiresGrad(true);
            float[] mean = new float[k.f];
            float[] var = new float[k.f];
            Tensor z = fused
                    ? Conv2d.trainBatchNormReluMaxPool2x2(x, w, b, 1, k.pad, gamma, beta, 1e-5f, mean, var)
                    : BatchNorm.trainReluMaxPool2x2(Conv2d.apply(x, w, b, 1, k.pad), gamma, beta, 1e-5f, mean, var);
            Tensor loss = z.mul(Tensor.randn(76, z.shape())).sum();
            if (accumulate) {
                loss = loss.add(x.mul(Tensor.randn(77, x.shape())).sum()).add(w.mul(Tensor.randn(78, w.shape())).sum());
            }
            loss.backward();
            return new float[][] {z.data().clone(), mean, var, x.grad().data().clone(), w.grad().data().clone(),
                    b == null ? new float[0] : b.grad().data().clone(), gamma.grad().data().clone(),
                    beta.grad().data().clone()};
        });
    }

    @Test
    void theFusedOpGivesTheUnfusedBits() {
        String[] names = {"z", "mean", "var", "dx", "dw", "db", "dgamma", "dbeta"};
        SameBits.fusedAsUnfused(CASES, names, (k, fused, accumulate, vector) -> run(k, fused, accumulate, 1, vector));
    }

    @Test
    void theSameBitsForAnyThreadCount() {
        SameBits.forThreadCounts(CASES, (k, threads) -> run(k, true, false, threads, true));
    }

    @Test
    void passesTheGradientCheck() {
        Tensor x = Tensor.randn(79, 3, 1, 5, 6).detach().requiresGrad(true);
        Tensor w = Tensor.randn(80, 2, 1, 3, 3).detach().requiresGrad(true);
        Tensor b = Tensor.randn(81, 2).requiresGrad(true);
        Tensor gamma = Tensor.randn(82, 2).add(Tensor.scalar(1.5f)).detach().requiresGrad(true);
        Tensor beta = Tensor.randn(83, 2).requiresGrad(true);
        GradCheck.check("conv2dTrainBatchNormReluMaxPool2d", t -> Conv2d.trainBatchNormReluMaxPool2x2(t[0], t[1], t[2],
                1, 1, t[3], t[4], 1e-5f, null, null), x, w, b, gamma, beta).assertPassed();
    }

    /**
     * A copy of the op from the public kernel passes the check; the same copy whose backward is
     * handed γ = 1 (∂L/∂y without γ's factor: a wrong ∂w, ∂b and ∂x, right ∂γ and ∂β) fails it.
     */
    @Test
    void aBackwardWithoutGammasFactorFailsTheCheck() {
        Tensor x = Tensor.randn(84, 3, 1, 5, 6).detach().requiresGrad(true);
        Tensor w = Tensor.randn(85, 2, 1, 3, 3).detach().requiresGrad(true);
        Tensor b = Tensor.randn(86, 2).requiresGrad(true);
        Tensor gamma = Tensor.randn(87, 2).add(Tensor.scalar(1.5f)).detach().requiresGrad(true);
        Tensor beta = Tensor.randn(88, 2).requiresGrad(true);
        GradCheck.check("faithful copy", t -> copy(t[0], t[1], t[2], t[3], t[4], true), x, w, b, gamma, beta)
                .assertPassed();
        GradCheckReport report = GradCheck.check("γ left out", t -> copy(t[0], t[1], t[2], t[3], t[4], false), x, w, b,
                gamma, beta);
        assertFalse(report.passed(), report.summary());
    }

    /** The op rebuilt from {@link ConvBatchNormKernel} (padding 1, stride 1). */
    private static Tensor copy(Tensor x, Tensor w, Tensor b, Tensor gamma, Tensor beta, boolean faithful) {
        int[] s = x.shape();
        int f = w.size(0);
        Im2Col.Geometry g = new Im2Col.Geometry(s[1], s[2], s[3], 3, 3, 1, 1);
        float[] padded = ConvBatchNormKernel.pad(g, s[0], x.data());
        float[] mean = new float[f];
        float[] var = new float[f];
        float[] invStd = new float[f];
        float[] scale = new float[f];
        int[] outShape = {s[0], f, s[2] / 2, s[3] / 2};
        float[] out = new float[s[0] * f * (s[2] / 2) * (s[3] / 2)];
        int[] argmax = new int[out.length];
        ConvBatchNormKernel.trainForward(g, s[0], f, padded, w.data(), b.data(), gamma.data(), beta.data(), 1e-5f,
                mean, var, invStd, scale, out, argmax);
        return Node.record("copy", out, outShape, gz -> {
            double[] sumG = new double[f];
            double[] sumGXhat = new double[f];
            float[] gammaUsed = faithful ? gamma.data() : new float[] {1f, 1f};
            ConvBatchNormKernel.backward(g, s[0], f, x.data(), padded, w.data(), b.data(), gz, out, argmax, mean,
                    invStd, gammaUsed, sumG, sumGXhat, w.gradData(), b.gradData(), x.gradData(), false);
            for (int i = 0; i < f; i++) {
                gamma.gradData()[i] += (float) sumGXhat[i];
                beta.gradData()[i] += (float) sumG[i];
            }
        }, x, w, b, gamma, beta);
    }

    @Test
    void takesFirstLayersOnly() {
        Tensor gray = Tensor.randn(89, 2, 1, 6, 6);
        Tensor rgb = Tensor.randn(90, 2, 3, 6, 6);
        assertTrue(Conv2d.fusesTrainingBatchNorm(gray, Tensor.randn(91, 4, 1, 3, 3), 1, 1));
        assertFalse(Conv2d.fusesTrainingBatchNorm(gray, Tensor.randn(91, 4, 1, 3, 3), 2, 1), "stride 2");
        assertFalse(Conv2d.fusesTrainingBatchNorm(gray, Tensor.randn(91, 4, 1, 7, 7), 1, 3), "a 49-tap patch");
        assertFalse(Conv2d.fusesTrainingBatchNorm(Tensor.randn(92, 2, 4, 6, 6), Tensor.randn(91, 4, 4, 3, 3), 1, 1),
                "36 taps");
        assertFalse(Conv2d.fusesTrainingBatchNorm(Tensor.randn(93, 2, 1, 2, 2), Tensor.randn(91, 4, 1, 3, 3), 1, 0),
                "no 2×2 output");
        // three channels train by Winograd when it is on, and by these loops when it is off
        assertFalse(KernelSwitches.with(1, true, true, () -> Conv2d.fusesTrainingBatchNorm(rgb,
                Tensor.randn(91, 4, 3, 3, 3), 1, 1)));
        assertTrue(KernelSwitches.with(1, true, false, () -> Conv2d.fusesTrainingBatchNorm(rgb,
                Tensor.randn(91, 4, 3, 3, 3), 1, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.trainBatchNormReluMaxPool2x2(gray, Tensor.randn(91, 4, 1, 3, 3), null, 2, 1,
                        Tensor.ones(4), Tensor.zeros(4), 1e-5f, null, null));
        assertTrue(e.getMessage().contains("[2, 1, 6, 6]") && e.getMessage().contains("stride 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.trainBatchNormReluMaxPool2x2(gray, Tensor.randn(91, 4, 1, 3, 3), null, 1, 1,
                        Tensor.ones(3), Tensor.zeros(3), 1e-5f, null, null));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[C] = [4]"), e.getMessage());
    }
}
