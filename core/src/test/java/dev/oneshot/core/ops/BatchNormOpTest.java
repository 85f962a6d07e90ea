package dev.oneshot.core.ops;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchNormOpTest {
    /** y and the batch statistics against a double-precision evaluation of the formulas. */
    @Test
    void trainingForwardMatchesDoublePrecisionEvenWithALargeOffset() {
        int n = 6;
        int c = 3;
        int s = 50;
        Tensor x = Tensor.randn(new SeededRandom(5), n, c, 5, 10);
        float[] xs = x.data();
        for (int i = 0; i < xs.length; i++) {
            int ch = (i / s) % c;
            xs[i] = (ch == 0 ? 1000f : ch == 1 ? -3f : 0f) + xs[i] * (ch == 0 ? 0.01f : 1f);
        }
        Tensor gamma = Tensor.fromArray(new float[] {1.5f, 0.5f, -1f}, 3);
        Tensor beta = Tensor.fromArray(new float[] {0.1f, 0f, 2f}, 3);
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] y = BatchNorm.train(x, gamma, beta, 1e-5f, mean, var).data();
        for (int ch = 0; ch < c; ch++) {
            double mu = 0;
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < s; k++) {
                    mu += xs[(b * c + ch) * s + k];
                }
            }
            mu /= n * s;
            double v = 0;
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < s; k++) {
                    double d = xs[(b * c + ch) * s + k] - mu;
                    v += d * d;
                }
            }
            v /= n * s;
            assertEquals(mu, mean[ch], Math.abs(mu) * 1e-6 + 1e-6, "mean of channel " + ch);
            assertEquals(v, var[ch], v * 1e-3, "variance of channel " + ch);
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < s; k++) {
                    int i = (b * c + ch) * s + k;
                    double expected = gamma.data()[ch] * (xs[i] - mu) / Math.sqrt(v + 1e-5) + beta.data()[ch];
                    assertEquals(expected, y[i], 1e-2, "y at " + i); // ulp(1000)/σ bounds channel 0
                }
            }
        }
    }

    @Test
    void refusesAnEmptyBatchAndMismatchedParameters() {
        Tensor g = Tensor.ones(2);
        Tensor b = Tensor.zeros(2);
        assertThrows(IllegalArgumentException.class, () -> BatchNorm.train(Tensor.zeros(0, 2), g, b, 1e-5f, null, null));
        var e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.train(Tensor.zeros(4, 3), g, b, 1e-5f, null, null));
        assertEquals(true, e.getMessage().contains("[4, 3]") && e.getMessage().contains("[C] = [3]"), e.getMessage());
    }
}
