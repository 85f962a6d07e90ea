package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.gradcheck.KinkFreeInputs;
import dev.oneshot.core.kernels.BatchNormKernel;
import dev.oneshot.core.kernels.Pooling;
import dev.oneshot.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused training op {@code BatchNorm.trainReluMaxPool2x2} gives, bit for bit, what
 * {@code BatchNorm.train(...).reluMaxPool2d(2, 2)} gives — output, batch statistics, ∂x, ∂γ, ∂β,
 * with ∂x written fresh or added to a gradient already there — for even and odd sizes, batches
 * not a multiple of four, negative γ (the window's maximum is then where x is smallest), both
 * arithmetics (scalar, Vector API) and any thread count. A gradient check with a negative
 * control: the same forward with the eval-mode backward (the paths through μ and σ² left out)
 * fails it.
 */
class BatchNormReluMaxPoolTest {

    private record Case(int n, int c, int h, int w) {
    }

    private static final List<Case> CASES = List.of(
            new Case(4, 3, 6, 6),
            new Case(5, 2, 7, 9),      // odd sizes: the last row and column are in no window; N not a multiple of 4
            new Case(1, 2, 4, 4),      // one image
            new Case(9, 3, 28, 28),    // the Conv-4 first block's planes: vector steps and a tail group
            new Case(6, 4, 14, 14),
            new Case(3, 5, 3, 3),
            new Case(5, 1, 230, 232)); // a channel over 1 MB: the backward scatters its gradient twice

    /** [y, mean, var, ∂x, ∂γ, ∂β] of L = Σ y ⊙ r (+ Σ x ⊙ q when {@code accumulate}). */
    private static float[][] run(Case k, boolean fused, boolean accumulate, int threads, boolean vector) {
        return KernelSwitches.with(threads, vector, true, () -> {
            Tensor x = Tensor.randn(81, k.n, k.c, k.h, k.w).mul(Tensor.scalar(3f)).add(Tensor.scalar(0.5f))
                    .detach().requiresGrad(true);
            Tensor gamma = Tensor.randn(82, k.c).requiresGrad(true);
            gamma.data()[0] = -Math.abs(gamma.data()[0]); // a flipped channel: its winners are x's minima
            Tensor beta = Tensor.randn(83, k.c).requiresGrad(true);
            float[] mean = new float[k.c];
            float[] var = new float[k.c];
            Tensor y = fused ? BatchNorm.trainReluMaxPool2x2(x, gamma, beta, 1e-5f, mean, var)
                    : BatchNorm.train(x, gamma, beta, 1e-5f, mean, var).reluMaxPool2d(2, 2);
            Tensor loss = y.mul(Tensor.randn(84, y.shape())).sum();
            if (accumulate) {
                loss = loss.add(x.mul(Tensor.randn(85, x.shape())).sum());
            }
            loss.backward();
            return new float[][] {y.data().clone(), mean, var, x.grad().data().clone(), gamma.grad().data().clone(),
                    beta.grad().data().clone()};
        });
    }

    @Test
    void theFusedOpGivesTheUnfusedBits() {
        String[] names = {"y", "mean", "var", "dx", "dgamma", "dbeta"};
        SameBits.fusedAsUnfused(CASES, names, (k, fused, accumulate, vector) -> run(k, fused, accumulate, 1, vector));
    }

    /**
     * A channel with an infinite value has non-finite statistics: the backward then takes the
     * dense path (its winners-only sums hold only for finite x − μ), and still matches.
     */
    @Test
    void aNonFiniteChannelStillGivesTheUnfusedBits() {
        float[][] unfused = withAnInfinity(false);
        float[][] fused = withAnInfinity(true);
        for (int i = 0; i < unfused.length; i++) {
            assertArrayEquals(unfused[i], fused[i], "part " + i);
        }
    }

    /** [y, ∂x, ∂γ] with +∞ in channel 1 of image 0. */
    private static float[][] withAnInfinity(boolean fused) {
        return KernelSwitches.with(1, true, true, () -> {
            Tensor x = Tensor.randn(93, 4, 2, 4, 4).detach();
            x.data()[16 + 5] = Float.POSITIVE_INFINITY;
            x.requiresGrad(true);
            Tensor gamma = Tensor.randn(94, 2).requiresGrad(true);
            Tensor beta = Tensor.randn(95, 2).requiresGrad(true);
            Tensor y = fused ? BatchNorm.trainReluMaxPool2x2(x, gamma, beta, 1e-5f, null, null)
                    : BatchNorm.train(x, gamma, beta, 1e-5f, null, null).reluMaxPool2d(2, 2);
            y.mul(Tensor.randn(96, y.shape())).sum().backward();
            return new float[][] {y.data().clone(), x.grad().data().clone(), gamma.grad().data().clone()};
        });
    }

    @Test
    void theSameBitsForAnyThreadCount() {
        SameBits.forThreadCounts(CASES, (k, threads) -> run(k, true, false, threads, true));
    }

    /** The comparison above can fail: γ's sign decides which element wins a window. */
    @Test
    void aNegativeGammaReallyMovesTheWinners() {
        Tensor x = Tensor.randn(86, 2, 1, 4, 4);
        Tensor plus = BatchNorm.trainReluMaxPool2x2(x, Tensor.ones(1), Tensor.scalar(5f).reshape(1), 1e-5f, null,
                null);
        Tensor minus = BatchNorm.trainReluMaxPool2x2(x, Tensor.ones(1).neg(), Tensor.scalar(5f).reshape(1), 1e-5f,
                null, null);
        for (int o = 0; o < plus.numel(); o++) {
            assertNotEquals(plus.data()[o], minus.data()[o], "window " + o);
        }
    }

    @Test
    void passesTheGradientCheck() {
        // no two values within 0.1 (no ties in a window within the checker's step); γ away from 0
        Tensor x = KinkFreeInputs.distinct(87, 0.05f, 3, 2, 4, 5);
        Tensor gamma = Tensor.randn(88, 2).add(Tensor.scalar(1.5f)).detach().requiresGrad(true);
        GradCheck.check("batchNormReluMaxPool2d", t -> BatchNorm.trainReluMaxPool2x2(t[0], t[1], t[2], 1e-5f, null,
                null), x, gamma, Tensor.randn(89, 2).requiresGrad(true)).assertPassed();
    }

    /**
     * The same forward with a backward that treats μ and σ² as constants (eval mode's ∂x = γ·r·g,
     * the classic batch-norm mistake) fails the check; the faithful copy passes.
     */
    @Test
    void aBackwardWithoutTheStatisticsPathsFailsTheCheck() {
        Tensor x = KinkFreeInputs.distinct(90, 0.05f, 3, 2, 4, 4);
        Tensor gamma = Tensor.randn(91, 2).add(Tensor.scalar(1.5f)).detach().requiresGrad(true);
        Tensor beta = Tensor.randn(92, 2).requiresGrad(true);
        GradCheck.check("faithful copy", t -> copy(t[0], t[1], t[2], true), x, gamma, beta).assertPassed();
        GradCheckReport report = GradCheck.check("statistics as constants", t -> copy(t[0], t[1], t[2], false), x,
                gamma, beta);
        assertFalse(report.passed(), report.summary());
    }

    /** The op rebuilt from the public kernels: pooling's backward, then batch norm's (with or without batch statistics). */
    private static Tensor copy(Tensor x, Tensor gamma, Tensor beta, boolean batchStats) {
        int[] s = x.shape();
        int c = s[1];
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] invStd = new float[c];
        float[] scale = new float[c];
        int[] outShape = {s[0], c, s[2] / 2, s[3] / 2};
        float[] out = new float[s[0] * c * (s[2] / 2) * (s[3] / 2)];
        int[] argmax = new int[out.length];
        BatchNormKernel.trainForwardReluMax2x2(x.data(), s[0], c, s[2], s[3], gamma.data(), beta.data(), 1e-5f, mean,
                var, invStd, scale, out, argmax);
        return Node.record("copy", out, outShape, g -> {
            float[] gy = new float[x.numel()];
            Pooling.maxBackward(g, argmax, gy, s[0] * c, false, out);
            double[] sumG = new double[c];
            double[] sumGXhat = new double[c];
            BatchNormKernel.backward(x.data(), gy, s[0], c, s[2] * s[3], mean, invStd, gamma.data(), batchStats, sumG,
                    sumGXhat, x.gradData(), false);
            for (int i = 0; i < c; i++) {
                gamma.gradData()[i] += (float) sumGXhat[i];
                beta.gradData()[i] += (float) sumG[i];
            }
        }, x, gamma, beta);
    }

    @Test
    void refusesWhatItCannotPool() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.trainReluMaxPool2x2(Tensor.randn(1, 2, 3, 1, 5), Tensor.ones(3), Tensor.zeros(3), 1e-5f,
                        null, null));
        assertTrue(e.getMessage().contains("[2, 3, 1, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchNorm.trainReluMaxPool2x2(Tensor.randn(1, 2, 3, 4),
                Tensor.ones(3), Tensor.zeros(3), 1e-5f, null, null));
    }
}
