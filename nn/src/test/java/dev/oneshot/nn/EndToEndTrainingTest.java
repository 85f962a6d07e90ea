package dev.oneshot.nn;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.Tanh;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sanity check of the whole stack — layers, loss, autograd — with a plain gradient-descent
 * loop written out by hand (no optimiser classes): p ← p − lr·∂L/∂p for every parameter.
 */
class EndToEndTrainingTest {
    private static Sequential mlp(int hidden, long seed) {
        SeededRandom rng = new SeededRandom(seed);
        return new Sequential(new Linear(2, hidden, rng), new Tanh(), new Linear(hidden, hidden, rng), new Tanh(),
                new Linear(hidden, 2, rng));
    }

    /** Full-batch gradient descent, p ← p − lr·∂L/∂p; returns the final loss. */
    private static float train(Module model, Tensor x, int[] y, int steps, float lr) {
        float loss = Float.NaN;
        for (int step = 0; step < steps; step++) {
            Tensor l = SoftmaxCrossEntropy.apply(model.forward(x), y);
            l.backward();
            loss = l.item();
            try (Grad.Scope off = Grad.off()) {
                for (Tensor p : model.parameters()) {
                    float[] d = p.data();
                    float[] g = p.gradData();
                    for (int i = 0; i < d.length; i++) {
                        d[i] -= lr * g[i];
                    }
                }
            }
            model.zeroGrad();
        }
        return loss;
    }

    private static double accuracy(Module model, Tensor x, int[] y) {
        try (Grad.Scope off = Grad.off()) {
            int[] predicted = model.eval().forward(x).max(1, false).indices();
            int right = 0;
            for (int i = 0; i < y.length; i++) {
                right += predicted[i] == y[i] ? 1 : 0;
            }
            return (double) right / y.length;
        }
    }

    @Test
    void learnsXor() {
        Tensor x = Tensor.fromArray(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        int[] y = {0, 1, 1, 0};
        Sequential model = mlp(16, 1);
        float loss = train(model, x, y, 500, 0.5f);
        assertTrue(loss < 0.05f, "loss " + loss);
        assertEquals(1.0, accuracy(model, x, y));
    }

    @Test
    void separatesTwoInterleavedSpirals() {
        int perClass = 100;
        float[] points = new float[2 * perClass * 2];
        int[] y = new int[2 * perClass];
        SeededRandom rng = new SeededRandom(7);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < perClass; i++) {
                int k = c * perClass + i;
                double r = (i + 1.0) / perClass;                                        // 0.01 … 1
                double theta = 3 * Math.PI * r + c * Math.PI + 0.05 * rng.nextGaussian(); // 1.5 turns, arms opposite
                points[2 * k] = (float) (3 * r * Math.cos(theta));
                points[2 * k + 1] = (float) (3 * r * Math.sin(theta));
                y[k] = c;
            }
        }
        Tensor x = Tensor.wrap(points, 2 * perClass, 2); // radius scaled to 3: tanh units see a useful range
        Sequential model = mlp(16, 2);
        long start = System.nanoTime();
        float loss = train(model, x, y, 2000, 0.5f); // 1200 steps already suffice
        double seconds = (System.nanoTime() - start) / 1e9;
        double acc = accuracy(model, x, y);
        assertTrue(acc >= 0.98, "train accuracy " + acc + ", loss " + loss + " after " + seconds + " s");
    }
}
