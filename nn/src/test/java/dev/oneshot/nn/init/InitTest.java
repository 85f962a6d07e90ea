package dev.oneshot.nn.init;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Linear;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitTest {
    private static double mean(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v;
        }
        return s / t.numel();
    }

    private static double std(Tensor t) {
        double m = mean(t);
        double s = 0;
        for (float v : t.data()) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / t.numel());
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void fansAsPyTorch() {
        assertEquals(30, Init.fanIn(Tensor.zeros(20, 30)));
        assertEquals(20, Init.fanOut(Tensor.zeros(20, 30)));
        assertEquals(3 * 25, Init.fanIn(Tensor.zeros(8, 3, 5, 5)));
        assertEquals(8 * 25, Init.fanOut(Tensor.zeros(8, 3, 5, 5)));
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Tensor.zeros(5)));
    }

    @Test
    void normalAndUniformStatistics() {
        SeededRandom rng = new SeededRandom(1);
        Tensor n = Init.normal(Tensor.zeros(200, 500), 0.5, 1e-2, rng);   // Koch et al. bias init
        assertEquals(0.5, mean(n), 1e-4);
        assertEquals(1e-2, std(n), 1e-4);
        Tensor u = Init.uniform(Tensor.zeros(200, 500), -1, 3, rng);
        assertEquals(1.0, mean(u), 0.02);                  // σ of the mean ≈ 0.004
        assertEquals(4 / Math.sqrt(12), std(u), 0.01);
        assertTrue(maxAbs(u.sub(1f)) <= 2.0);
        assertArrayEquals(new float[] {0.25f, 0.25f}, Init.constant(Tensor.zeros(2), 0.25).data());
    }

    @Test
    void kaimingAndXavierScales() {
        SeededRandom rng = new SeededRandom(2);
        Tensor w = Tensor.zeros(400, 250);
        assertEquals(Math.sqrt(2.0 / 250), std(Init.kaimingNormal(w, rng)), 0.02 * Math.sqrt(2.0 / 250));
        assertEquals(Math.sqrt(6.0 / 250), maxAbs(Init.kaimingUniform(w, rng)), 1e-3);
        assertEquals(Math.sqrt(2.0 / 250), std(w), 0.02 * Math.sqrt(2.0 / 250));
        assertEquals(Math.sqrt(6.0 / 650), maxAbs(Init.xavierUniform(w, 1.0, rng)), 1e-3);
        assertEquals(Init.TANH_GAIN * Math.sqrt(2.0 / 650), std(Init.xavierNormal(w, Init.TANH_GAIN, rng)), 2e-3);
    }

    @Test
    void layerDefaultsArePyTorchs() {
        Linear l = new Linear(100, 300, true, new SeededRandom(3));
        assertEquals(0.1, maxAbs(l.weight()), 1e-3);                 // U(−1/√100, 1/√100)
        assertEquals(0.1 / Math.sqrt(3), std(l.weight()), 2e-3);
        assertTrue(maxAbs(l.bias()) <= 0.1);
        Conv2d c = new Conv2d(4, 64, 5, new SeededRandom(4));         // fan_in = 4·25 = 100
        assertEquals(0.1, maxAbs(c.weight()), 2e-3);
        assertTrue(maxAbs(c.bias()) <= 0.1);
    }

    @Test
    void sameSeedSameWeights() {
        Linear a = new Linear(5, 4, true, new SeededRandom(7));
        Linear b = new Linear(5, 4, true, new SeededRandom(7));
        Linear c = new Linear(5, 4, true, new SeededRandom(8));
        assertArrayEquals(a.weight().data(), b.weight().data());
        assertArrayEquals(a.bias().data(), b.bias().data());
        assertFalse(java.util.Arrays.equals(a.weight().data(), c.weight().data()));
    }

    @Test
    void reproducesKochEtAl2015() {
        SeededRandom rng = new SeededRandom(9);
        Conv2d conv = new Conv2d(64, 128, 7, rng);
        Linear dense = new Linear(4096, 64, true, rng);
        Init.normal(conv.weight(), 0, 1e-2, rng);     // conv weights N(0, 10⁻²)
        Init.normal(conv.bias(), 0.5, 1e-2, rng);     // biases N(0.5, 10⁻²)
        Init.normal(dense.weight(), 0, 2e-1, rng);    // dense weights N(0, 2·10⁻¹)
        assertEquals(0, mean(conv.weight()), 1e-4);
        assertEquals(1e-2, std(conv.weight()), 2e-4);
        assertEquals(0.5, mean(conv.bias()), 5e-3);
        assertEquals(0, mean(dense.weight()), 3e-3);
        assertEquals(0.2, std(dense.weight()), 2e-3);
    }
}
