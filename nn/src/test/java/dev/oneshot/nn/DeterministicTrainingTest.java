package dev.oneshot.nn;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.nn.optim.Sgd;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training is a pure function of the seed: two runs of a few shuffled mini-batch steps of the
 * Fashion-MNIST CNN (on synthetic 28×28 images, so the test needs no data set) with the same
 * seed end with bitwise-identical weights; another seed gives other weights.
 */
class DeterministicTrainingTest {
    private static final int IMAGES = 96;
    private static final int BATCH = 16;
    private static final int STEPS = 8;

    /** Trains from scratch with everything (data, init, shuffling) drawn from {@code seed}; returns copies of the weights. */
    private static Map<String, float[]> run(long seed, Function<Module, Optimizer> make) {
        SeededRandom rng = new SeededRandom(seed);
        float[] pixels = new float[IMAGES * 28 * 28];
        rng.fillUniform(pixels, 0f, 1f);
        Tensor images = Tensor.wrap(pixels, IMAGES, 1, 28, 28);
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = rng.nextInt(10);
        }
        Sequential model = FashionMnistCnnTest.cnn(4, 8, rng.split());
        Optimizer opt = make.apply(model);
        int[] order = rng.permutation(IMAGES);
        for (int step = 0; step < STEPS; step++) {
            int from = (step * BATCH) % IMAGES;
            if (from == 0) {
                order = rng.permutation(IMAGES); // reshuffle every epoch
            }
            int[] idx = Arrays.copyOfRange(order, from, from + BATCH);
            int[] y = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                y[i] = labels[idx[i]];
            }
            opt.zeroGrad();
            SoftmaxCrossEntropy.apply(model.forward(images.indexSelect(idx)), y).backward();
            opt.step();
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> weights.put(name, t.data().clone()));
        return weights;
    }

    private static void assertBitwiseEqual(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, wa) -> {
            float[] wb = b.get(name);
            assertEquals(wa.length, wb.length, name);
            for (int i = 0; i < wa.length; i++) {
                if (Float.floatToRawIntBits(wa[i]) != Float.floatToRawIntBits(wb[i])) {
                    throw new AssertionError(name + "[" + i + "] differs between two runs with the same seed: "
                            + wa[i] + " vs " + wb[i]);
                }
            }
        });
    }

    private static boolean anyDifferent(Map<String, float[]> a, Map<String, float[]> b) {
        return a.keySet().stream().anyMatch(name -> !Arrays.equals(a.get(name), b.get(name)));
    }

    private static void check(Function<Module, Optimizer> make) {
        Map<String, float[]> first = run(5, make);
        Map<String, float[]> second = run(5, make);
        assertBitwiseEqual(first, second);
        assertTrue(anyDifferent(first, run(6, make)), "a different seed should give different weights");
    }

    @Test
    void adamRunsWithTheSameSeedGiveBitwiseIdenticalWeights() {
        check(m -> new Adam(m.namedParameters(), Hyper.adam().withLr(1e-3)));
    }

    @Test
    void sgdMomentumRunsWithTheSameSeedGiveBitwiseIdenticalWeights() {
        check(m -> new Sgd(m.namedParameters(), Hyper.sgd().withLr(0.05).withMomentum(0.9).withNesterov(true)));
    }
}
