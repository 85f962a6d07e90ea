package dev.oneshot.siamese.loss;

import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizedSoftmaxLossTest {
    @Test
    void valueByHand() {
        // e₀ = (3, 0) lies on proxy 0 (cos 1) and is orthogonal to proxy 1 (cos 0): L = log(e^s + 1) − s.
        // e₁ = (1, 1) makes cos 1/√2 with both proxies: L = log 2 whatever its label.
        Tensor e = Tensor.fromArray(new float[] {3, 0, 1, 1}, 2, 2);
        Tensor w = Tensor.fromArray(new float[] {1, 0, 0, 2}, 2, 2);
        float s = 2;
        double expected = (Math.log(Math.exp(2) + 1) - 2 + Math.log(2)) / 2;
        assertEquals(expected, NormalizedSoftmaxLoss.apply(e, w, new int[] {0, 1}, s).item(), 1e-6);
        assertEquals((Math.log(Math.exp(2) + 1) + Math.log(2)) / 2,
                NormalizedSoftmaxLoss.apply(e, w, new int[] {1, 0}, s).item(), 1e-6, "the wrong class costs s more");
    }

    @Test
    void aMarginCostsTheTrueClassMCosine() {
        // e₀ on proxy 0 with label 0: z = (s(1 − m), 0), L = log(e^{s(1−m)} + 1) − s(1 − m).
        // e₁ at cos 1/√2 to both, label 1: z = (s/√2, s(1/√2 − m)), L = log(1 + e^{−sm}) + sm.
        Tensor e = Tensor.fromArray(new float[] {3, 0, 1, 1}, 2, 2);
        Tensor w = Tensor.fromArray(new float[] {1, 0, 0, 2}, 2, 2);
        float s = 2;
        float m = 0.25f;
        double z0 = s * (1 - m);
        double expected = (Math.log(Math.exp(z0) + 1) - z0 + Math.log(1 + Math.exp(-s * m)) + s * m) / 2;
        assertEquals(expected, NormalizedSoftmaxLoss.apply(e, w, new int[] {0, 1}, s, m).item(), 1e-6);
        assertEquals(NormalizedSoftmaxLoss.apply(e, w, new int[] {0, 1}, s).item(),
                NormalizedSoftmaxLoss.apply(e, w, new int[] {0, 1}, s, 0).item(), 0, "m = 0 is the plain loss");
        assertThrows(IllegalArgumentException.class, () -> NormalizedSoftmaxLoss.apply(e, w, new int[] {0, 1}, s, 1f));
        assertThrows(IllegalArgumentException.class, () -> NormalizedSoftmaxLoss.apply(e, w, new int[] {0, 1}, s, -0.1f));
    }

    @Test
    void withAMarginTheGradientsPassTheCheckAndABackwardWithoutItFails() {
        Tensor e = Tensor.randn(5L, 6, 4).requiresGrad(true);
        Tensor w = Tensor.randn(6L, 5, 4).requiresGrad(true);
        int[] y = {0, 1, 2, 3, 4, 2};
        GradCheck.check("normalized softmax, margin 0.3", x -> NormalizedSoftmaxLoss.apply(x[0], x[1], y, 4, 0.3f), e, w)
                .assertPassed();
        // The margin's value with the plain loss's gradient (p taken before the margin shifts z).
        GradCheckReport report = GradCheck.check("margin in the value only", x -> {
            Tensor plain = NormalizedSoftmaxLoss.apply(x[0], x[1], y, 4);
            Tensor withMargin = NormalizedSoftmaxLoss.apply(x[0].detach(), x[1].detach(), y, 4, 0.3f);
            return plain.add(withMargin.sub(plain.detach()));
        }, e, w);
        assertFalse(report.passed(), report.summary());
    }

    @Test
    void theLossDependsOnDirectionsOnly() {
        Tensor e = Tensor.randn(3L, 6, 4);
        Tensor w = Tensor.randn(4L, 5, 4);
        int[] y = {0, 1, 2, 3, 4, 0};
        float base = NormalizedSoftmaxLoss.apply(e, w, y, 8).item();
        assertEquals(base, NormalizedSoftmaxLoss.apply(e.mul(7f), w.mul(0.25f), y, 8).item(), 1e-5);
        assertTrue(NormalizedSoftmaxLoss.apply(e, w, y, 16).item() != base, "the scale matters");
    }

    @Test
    void gradientsOfEmbeddingsAndProxiesPassTheCheck() {
        Tensor e = Tensor.randn(5L, 6, 4).requiresGrad(true);
        Tensor w = Tensor.randn(6L, 5, 4).requiresGrad(true);
        int[] y = {0, 1, 2, 3, 4, 2};
        GradCheck.check("normalized softmax", x -> NormalizedSoftmaxLoss.apply(x[0], x[1], y, 4), e, w).assertPassed();
    }

    /**
     * The common mistake: divide the proxies by their norm taken as a constant (no gradient through
     * ‖w‖). The check must reject it.
     */
    @Test
    void aBackwardThatTreatsTheProxyNormAsConstantFails() {
        Tensor e = Tensor.randn(5L, 6, 4).requiresGrad(true);
        Tensor w = Tensor.randn(6L, 5, 4).requiresGrad(true);
        int[] y = {0, 1, 2, 3, 4, 2};
        GradCheckReport report = GradCheck.check("proxy norm held constant", x -> {
            Tensor norms = x[1].detach().l2NormalizeRows(1e-12f); // ŵ as a constant ...
            Tensor scaled = x[1].mul(ratio(norms, x[1].detach())); // ... times w/‖w‖ held fixed: w · (1/‖w‖)
            Tensor cos = x[0].l2NormalizeRows(1e-12f).matmul(scaled, false, true);
            return SoftmaxCrossEntropy.apply(cos.mul(4f), y);
        }, e, w);
        assertFalse(report.passed(), report.summary());
    }

    /** ŵ / w elementwise as a constant tensor (1/‖wⱼ‖ in every column of row j). */
    private static Tensor ratio(Tensor unit, Tensor w) {
        float[] r = new float[w.numel()];
        for (int i = 0; i < r.length; i++) {
            r[i] = unit.data()[i] / w.data()[i];
        }
        return Tensor.fromArray(r, w.shape());
    }

    @Test
    void trainingMovesTheProxiesAndBadInputIsNamed() {
        NormalizedSoftmaxLoss loss = new NormalizedSoftmaxLoss(3, 2, 16, new SeededRandom(1));
        assertEquals(3, loss.proxies().size(0));
        assertTrue(loss.proxies().requiresGrad());
        Tensor e = Tensor.fromArray(new float[] {1, 0, 0, 1}, 2, 2).requiresGrad(true);
        loss.apply(e, new int[] {0, 2}).backward();
        assertTrue(loss.proxies().hasGrad() && e.hasGrad());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> loss.apply(e, new int[] {0, 3}));
        assertTrue(label.getMessage().contains("label 3 at row 1 is outside the 3 classes"), label.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> loss.apply(Tensor.zeros(2, 5), new int[] {0, 1}));
        assertTrue(shape.getMessage().contains("embeddings [2, 5] must be [n, 2]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NormalizedSoftmaxLoss(3, 2, 0, new SeededRandom(1)));
    }
}
