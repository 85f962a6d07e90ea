package dev.oneshot.nn;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.Tanh;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.nn.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learning checks of the nn milestone with the real optimiser classes: a small tanh MLP
 * learns XOR exactly and separates two interleaved spirals (≥ 98 % train accuracy), once with
 * SGD + momentum and once with Adam. Full-batch, seeded, hence deterministic; each case takes
 * well under a second.
 */
class OptimizerTrainingTest {
    private static Sequential mlp(int hidden, long seed) {
        SeededRandom rng = new SeededRandom(seed);
        return new Sequential(new Linear(2, hidden, rng), new Tanh(), new Linear(hidden, hidden, rng), new Tanh(),
                new Linear(hidden, 2, rng));
    }

    /** {@code steps} full-batch updates with the optimiser built by {@code make}; returns the final loss. */
    private static float train(Module model, Function<Module, Optimizer> make, Tensor x, int[] y, int steps) {
        Optimizer opt = make.apply(model);
        float loss = Float.NaN;
        for (int step = 0; step < steps; step++) {
            opt.zeroGrad();
            Tensor l = SoftmaxCrossEntropy.apply(model.forward(x), y);
            l.backward();
            loss = l.item();
            opt.step();
        }
        return loss;
    }

    private static double accuracy(Module model, Tensor x, int[] y) {
        try (Grad.Scope off = Grad.off()) {
            int[] predicted = model.eval().forward(x).max(1, false).indices();
            model.train();
            int right = 0;
            for (int i = 0; i < y.length; i++) {
                right += predicted[i] == y[i] ? 1 : 0;
            }
            return (double) right / y.length;
        }
    }

    private static Optimizer sgd(Module m, double lr) {
        return new Sgd(m.namedParameters(), Hyper.sgd().withLr(lr).withMomentum(0.9));
    }

    private static Optimizer adam(Module m, double lr) {
        return new Adam(m.namedParameters(), Hyper.adam().withLr(lr));
    }

    // ------------------------------------------------------------------ XOR

    private static final Tensor XOR_X = Tensor.fromArray(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
    private static final int[] XOR_Y = {0, 1, 1, 0};

    @Test
    @Timeout(10)
    void sgdWithMomentumLearnsXor() {
        Sequential model = mlp(16, 1);
        float loss = train(model, m -> sgd(m, 0.1), XOR_X, XOR_Y, 300);
        assertTrue(loss < 0.05f, "loss " + loss);
        assertEquals(1.0, accuracy(model, XOR_X, XOR_Y));
    }

    @Test
    @Timeout(10)
    void adamLearnsXor() {
        Sequential model = mlp(16, 1);
        float loss = train(model, m -> adam(m, 0.02), XOR_X, XOR_Y, 300);
        assertTrue(loss < 0.05f, "loss " + loss);
        assertEquals(1.0, accuracy(model, XOR_X, XOR_Y));
    }

    // ------------------------------------------------------------------ two spirals

    /** Two interleaved spirals of 100 points each, 1.5 turns, radius scaled to 3 (as in EndToEndTrainingTest). */
    private static final int PER_CLASS = 100;
    private static final float[] SPIRAL_POINTS = new float[2 * PER_CLASS * 2];
    private static final int[] SPIRAL_Y = new int[2 * PER_CLASS];

    static {
        SeededRandom rng = new SeededRandom(7);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < PER_CLASS; i++) {
                int k = c * PER_CLASS + i;
                double r = (i + 1.0) / PER_CLASS;
                double theta = 3 * Math.PI * r + c * Math.PI + 0.05 * rng.nextGaussian();
                SPIRAL_POINTS[2 * k] = (float) (3 * r * Math.cos(theta));
                SPIRAL_POINTS[2 * k + 1] = (float) (3 * r * Math.sin(theta));
                SPIRAL_Y[k] = c;
            }
        }
    }

    private static void assertSeparatesSpirals(Function<Module, Optimizer> make, int steps) {
        Tensor x = Tensor.fromArray(SPIRAL_POINTS, 2 * PER_CLASS, 2);
        Sequential model = mlp(16, 2);
        long start = System.nanoTime();
        float loss = train(model, make, x, SPIRAL_Y, steps);
        double seconds = (System.nanoTime() - start) / 1e9;
        double acc = accuracy(model, x, SPIRAL_Y);
        assertTrue(acc >= 0.98, "train accuracy " + acc + ", loss " + loss + " after " + seconds + " s");
    }

    @Test
    @Timeout(20)
    void sgdWithMomentumSeparatesTwoSpirals() {
        assertSeparatesSpirals(m -> sgd(m, 0.05), 1500);
    }

    @Test
    @Timeout(20)
    void adamSeparatesTwoSpirals() {
        assertSeparatesSpirals(m -> adam(m, 0.01), 1500);
    }
}
