package dev.oneshot.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SgdTest {
    private static final double TOL = 1e-6;

    /** Three steps of the PyTorch SGD formulas, written out in double. */
    private static double[][] expected(double lr, double mu, double wd, boolean nesterov) {
        double[] p = Toy.P0.clone();
        double[] buf = new double[3];
        double[][] out = new double[3][];
        for (int step = 1; step <= 3; step++) {
            for (int j = 0; j < 3; j++) {
                double g = Toy.grad(j, p[j]) + wd * p[j];
                if (mu != 0) {
                    buf[j] = step == 1 ? g : mu * buf[j] + g;
                    g = nesterov ? g + mu * buf[j] : buf[j];
                }
                p[j] -= lr * g;
            }
            out[step - 1] = p.clone();
        }
        return out;
    }

    private static void assertThreeSteps(Hyper h) {
        Tensor p = Toy.param();
        Sgd sgd = new Sgd(Toy.named("w", p), h);
        double[][] want = expected(h.lr(), h.momentum(), h.weightDecay(), h.nesterov());
        for (int s = 0; s < 3; s++) {
            Toy.setGrad(p);
            sgd.step();
            assertArrayEquals(want[s], Toy.toDouble(p.data()), TOL, "step " + (s + 1) + " " + h);
        }
    }

    @Test
    void plainStepIsPMinusLrTimesGrad() {
        Tensor p = Toy.param();
        Sgd sgd = new Sgd(Toy.named("w", p), Hyper.sgd().withLr(0.1));
        Toy.setGrad(p);
        sgd.step();
        // g = a·p + b = [1·1 + 0.1, 2·(−2) − 0.3, 0.5·0.5 + 0.2] = [1.1, −4.3, 0.45]
        assertArrayEquals(new double[] {1 - 0.1 * 1.1, -2 - 0.1 * -4.3, 0.5 - 0.1 * 0.45},
                Toy.toDouble(p.data()), TOL);
        assertThreeSteps(Hyper.sgd().withLr(0.1));
    }

    @Test
    void momentumFirstStepCopiesGradientThenAccumulates() {
        Tensor p = Toy.param();
        Sgd sgd = new Sgd(Toy.named("w", p), Hyper.sgd().withLr(0.1).withMomentum(0.9));
        Toy.setGrad(p);
        sgd.step();
        double p1 = 1 - 0.1 * 1.1;                   // buf = g = 1.1 on the first step
        assertEquals(p1, p.data()[0], TOL);
        Toy.setGrad(p);
        sgd.step();
        double buf2 = 0.9 * 1.1 + (1 * p1 + 0.1);    // μ·buf + g
        assertEquals(p1 - 0.1 * buf2, p.data()[0], TOL);
    }

    @Test
    void momentumWithWeightDecay() {
        assertThreeSteps(Hyper.sgd().withLr(0.1).withMomentum(0.9).withWeightDecay(0.01));
    }

    @Test
    void weightDecayAloneAddsLambdaP() {
        Tensor p = Toy.param();
        new Sgd(Toy.named("w", p), Hyper.sgd().withLr(0.1).withWeightDecay(0.5)).step(); // no grad yet: skipped
        assertEquals(1.0f, p.data()[0]);
        Sgd sgd = new Sgd(Toy.named("w", p), Hyper.sgd().withLr(0.1).withWeightDecay(0.5));
        Toy.setGrad(p);
        sgd.step();
        assertEquals(1 - 0.1 * (1.1 + 0.5 * 1), p.data()[0], TOL);
        assertThreeSteps(Hyper.sgd().withLr(0.1).withWeightDecay(0.5));
    }

    @Test
    void nesterov() {
        Tensor p = Toy.param();
        Sgd sgd = new Sgd(Toy.named("w", p), Hyper.sgd().withLr(0.1).withMomentum(0.9).withNesterov(true));
        Toy.setGrad(p);
        sgd.step();
        assertEquals(1 - 0.1 * (1.1 + 0.9 * 1.1), p.data()[0], TOL); // g + μ·buf, buf = g
        assertThreeSteps(Hyper.sgd().withLr(0.1).withMomentum(0.9).withWeightDecay(0.01).withNesterov(true));
    }

    @Test
    void nesterovWithoutMomentumIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(Toy.named("w", Toy.param()), Hyper.sgd().withNesterov(true)));
        assertTrue(e.getMessage().contains("nesterov"), e.getMessage());
    }

    @Test
    void groupsUseTheirOwnLearningRateAndDefaultsForTheRest() {
        Tensor a = Toy.param();
        Tensor b = Toy.param();
        Sgd sgd = new Sgd(List.of(ParamGroup.of(Toy.named("a", a)).lr(0.5), ParamGroup.of(Toy.named("b", b))),
                Hyper.sgd().withLr(0.1));
        assertEquals(0.5, sgd.lr(0));
        assertEquals(0.1, sgd.lr(1));
        assertThrows(IllegalStateException.class, sgd::lr);
        Toy.setGrad(a);
        Toy.setGrad(b);
        sgd.step();
        assertEquals(1 - 0.5 * 1.1, a.data()[0], TOL);
        assertEquals(1 - 0.1 * 1.1, b.data()[0], TOL);
        sgd.setLr(0.2);
        assertEquals(0.2, sgd.lr());
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor a = Toy.param();
        Tensor b = Toy.param();
        var params = Toy.named("a", a);
        params.put("b", b);
        Sgd sgd = new Sgd(params, Hyper.sgd().withLr(0.1).withMomentum(0.9));
        Toy.setGrad(a);
        sgd.step();
        assertArrayEquals(new float[] {1f, -2f, 0.5f}, b.data());
        assertEquals(1, sgd.stepCount("a"));
        assertEquals(0, sgd.stepCount("b"));
        assertEquals(1, sgd.stateDict().tensors().size(), "no momentum buffer for b");
    }

    @Test
    void zeroGradZeroesEveryGradient() {
        Tensor a = Toy.param();
        Sgd sgd = new Sgd(Toy.named("a", a));
        Toy.setGrad(a);
        sgd.zeroGrad();
        assertArrayEquals(new float[3], a.gradData());
    }

    @Test
    void duplicateNamesOrTensorsAreRejected() {
        Tensor a = Toy.param();
        var e1 = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(
                ParamGroup.of(Toy.named("a", a)), ParamGroup.of(Toy.named("a", Toy.param())))));
        assertTrue(e1.getMessage().contains("'a' appears twice"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(
                ParamGroup.of(Toy.named("a", a)), ParamGroup.of(Toy.named("b", a)))));
        assertTrue(e2.getMessage().contains("same tensor"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(Toy.named("x", a.mul(2f))));
        assertTrue(e3.getMessage().contains("not a leaf"), e3.getMessage());
    }
}
