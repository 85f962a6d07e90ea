package dev.oneshot.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AdamTest {
    private static final double TOL = 1e-6;

    /** Three steps of the PyTorch Adam/AdamW formulas, written out in double. */
    private static double[][] expected(Hyper h, boolean decoupled) {
        double[] p = Toy.P0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        double[][] out = new double[3][];
        for (int t = 1; t <= 3; t++) {
            for (int j = 0; j < 3; j++) {
                double g = Toy.grad(j, p[j]);
                if (decoupled) {
                    p[j] *= 1 - h.lr() * h.weightDecay();
                } else {
                    g += h.weightDecay() * p[j];
                }
                m[j] = h.beta1() * m[j] + (1 - h.beta1()) * g;
                v[j] = h.beta2() * v[j] + (1 - h.beta2()) * g * g;
                double mHat = m[j] / (1 - Math.pow(h.beta1(), t));
                double vHat = v[j] / (1 - Math.pow(h.beta2(), t));
                p[j] -= h.lr() * mHat / (Math.sqrt(vHat) + h.eps());
            }
            out[t - 1] = p.clone();
        }
        return out;
    }

    private static void assertThreeSteps(Optimizer opt, Tensor p, Hyper h, boolean decoupled) {
        double[][] want = expected(h, decoupled);
        for (int s = 0; s < 3; s++) {
            Toy.setGrad(p);
            opt.step();
            assertArrayEquals(want[s], Toy.toDouble(p.data()), TOL, "step " + (s + 1));
        }
    }

    @Test
    void adamThreeSteps() {
        Tensor p = Toy.param();
        Hyper h = Hyper.adam().withLr(0.1);
        assertThreeSteps(new Adam(Toy.named("w", p), h), p, h, false);
    }

    @Test
    void adamWithL2WeightDecay() {
        Tensor p = Toy.param();
        Hyper h = Hyper.adam().withLr(0.1).withWeightDecay(0.1).withBetas(0.8, 0.99).withEps(1e-3);
        assertThreeSteps(new Adam(Toy.named("w", p), h), p, h, false);
    }

    @Test
    void adamWThreeSteps() {
        Tensor p = Toy.param();
        Hyper h = Hyper.adamW().withLr(0.1).withWeightDecay(0.1);
        assertThreeSteps(new AdamW(Toy.named("w", p), h), p, h, true);
    }

    @Test
    void biasCorrectionMakesTheFirstStepLrTimesSignOfGradient() {
        // t = 1: m̂ = m/(1−β₁) = g, v̂ = v/(1−β₂) = g², so Δp = −η·g/(|g| + ε) ≈ −η·sign(g)
        Tensor p = Toy.param();
        new Adam(Toy.named("w", p), Hyper.adam().withLr(0.1)).step(); // no gradient: nothing happens
        Adam adam = new Adam(Toy.named("w", p), Hyper.adam().withLr(0.1));
        Toy.setGrad(p); // g = [1.1, −4.3, 0.45]
        adam.step();
        assertEquals(1 - 0.1 * 1.1 / (1.1 + 1e-8), p.data()[0], TOL);
        assertEquals(-2 + 0.1 * 4.3 / (4.3 + 1e-8), p.data()[1], TOL);
        assertEquals(0.5 - 0.1 * 0.45 / (0.45 + 1e-8), p.data()[2], TOL);
    }

    @Test
    void adamWDecaysTheWeightsNotTheGradient() {
        Hyper h = Hyper.adam().withLr(0.1).withWeightDecay(0.1);
        Tensor pa = Toy.param();
        Tensor pw = Toy.param();
        Adam adam = new Adam(Toy.named("w", pa), h);
        AdamW adamW = new AdamW(Toy.named("w", pw), h);
        Toy.setGrad(pa);
        Toy.setGrad(pw);
        adam.step();
        adamW.step();
        // Adam at step 1: g' = g + λp = 1.1 + 0.1 = 1.2, still ≈ sign: the L2 term vanishes in g'/|g'|
        assertEquals(1 - 0.1, pa.data()[0], TOL);
        // AdamW: p·(1 − ηλ) first, then the sign step: 1·0.99 − 0.1
        assertEquals(1 * (1 - 0.1 * 0.1) - 0.1, pw.data()[0], TOL);
        assertNotEquals(pa.data()[0], pw.data()[0]);
    }

    @Test
    void defaultsComeFromDefaults() {
        Adam adam = new Adam(Toy.named("w", Toy.param()));
        AdamW adamW = new AdamW(Toy.named("w", Toy.param()));
        assertEquals(Defaults.ADAM_LR, adam.lr());
        assertEquals(Defaults.ADAM_BETA1, adam.hyper(0).beta1());
        assertEquals(Defaults.ADAM_BETA2, adam.hyper(0).beta2());
        assertEquals(Defaults.ADAM_EPS, adam.hyper(0).eps());
        assertEquals(Defaults.ADAM_WEIGHT_DECAY, adam.hyper(0).weightDecay());
        assertEquals(Defaults.ADAMW_WEIGHT_DECAY, adamW.hyper(0).weightDecay());
        assertEquals(Defaults.SGD_LR, new Sgd(Toy.named("w", Toy.param())).lr());
    }
}
