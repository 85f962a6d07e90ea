package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixupTest {
    /** Image i holds the value i in every pixel, so a blended row names its partner: (v − λi)/(1 − λ). */
    @Test
    void everyRowIsBlendedWithOnePartnerAndThePartnersAreAPermutation() {
        int n = 12;
        int per = 2 * 3 * 3;
        float[] x = new float[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, i * per, (i + 1) * per, i);
            labels[i] = 100 + i / 4;
        }
        Tensor images = Tensor.fromArray(x, n, 2, 3, 3);
        Mixup.Mixed m = Mixup.mix(images, labels, 1.0, new SeededRandom(3));
        float lambda = m.lambda();
        assertTrue(lambda > 0 && lambda < 1, "λ " + lambda);
        assertArrayEquals(new int[] {n, 2, 3, 3}, m.images().shape());
        boolean[] used = new boolean[n];
        int moved = 0;
        for (int i = 0; i < n; i++) {
            float v = m.images().data()[i * per];
            for (int k = 0; k < per; k++) {
                assertEquals(v, m.images().data()[i * per + k], 0f, "row " + i + " is one blend");
            }
            int partner = Math.round((v - lambda * i) / (1 - lambda));
            assertEquals(lambda * i + (1 - lambda) * partner, v, 1e-4f, "row " + i);
            assertTrue(!used[partner], "partner " + partner + " taken twice");
            used[partner] = true;
            assertEquals(labels[partner], m.partnerLabels()[i], "row " + i + "'s partner label");
            moved += partner != i ? 1 : 0;
        }
        assertTrue(moved >= n / 2, "a shuffle, not the identity: " + moved + " rows moved");
        assertArrayEquals(x, images.data(), "the input batch is left as it was");
    }

    @Test
    void theSameSeedGivesTheSameBlendAndAnotherSeedAnother() {
        Tensor images = Tensor.fromArray(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        int[] labels = {0, 0, 1, 1};
        Mixup.Mixed a = Mixup.mix(images, labels, 0.4, new SeededRandom(9));
        Mixup.Mixed b = Mixup.mix(images, labels, 0.4, new SeededRandom(9));
        Mixup.Mixed c = Mixup.mix(images, labels, 0.4, new SeededRandom(10));
        assertArrayEquals(a.images().data(), b.images().data());
        assertArrayEquals(a.partnerLabels(), b.partnerLabels());
        assertEquals(a.lambda(), b.lambda());
        assertNotEquals(a.lambda(), c.lambda());
    }

    /** Beta(α, α): mean ½, variance 1 / (4(2α + 1)); Gamma(α): mean and variance α. */
    @Test
    void lambdaFollowsBetaAlphaAlpha() {
        for (double alpha : new double[] {0.2, 1, 4}) {
            SeededRandom rng = new SeededRandom(42);
            int draws = 40_000;
            double sum = 0;
            double sq = 0;
            double below = 0;
            for (int i = 0; i < draws; i++) {
                double l = Mixup.beta(alpha, rng);
                assertTrue(l >= 0 && l <= 1, "λ " + l);
                sum += l;
                sq += l * l;
                below += l < 0.1 ? 1 : 0;
            }
            double mean = sum / draws;
            double var = sq / draws - mean * mean;
            double expected = 1 / (4 * (2 * alpha + 1));
            assertEquals(0.5, mean, 0.01, "α " + alpha + " mean");
            assertEquals(expected, var, 0.05 * expected, "α " + alpha + " variance");
            if (alpha == 1) {
                assertEquals(0.1, below / draws, 0.01, "Beta(1, 1) is uniform: P(λ < 0.1)");
            }
        }
        for (double alpha : new double[] {0.5, 3}) {
            SeededRandom rng = new SeededRandom(7);
            double sum = 0;
            double sq = 0;
            int draws = 40_000;
            for (int i = 0; i < draws; i++) {
                double g = Mixup.gamma(alpha, rng);
                sum += g;
                sq += g * g;
            }
            double mean = sum / draws;
            assertEquals(alpha, mean, 0.03 * alpha, "Gamma(" + alpha + ") mean");
            assertEquals(alpha, sq / draws - mean * mean, 0.06 * alpha, "Gamma(" + alpha + ") variance");
        }
    }

    /** L̃ asks the loss once with the images' labels and once with the partners', weighted λ and 1 − λ. */
    @Test
    void theLossWeighsTheOwnAndThePartnersLabelsByLambda() {
        Tensor images = Tensor.fromArray(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        int[] labels = {0, 1, 2, 3};
        Mixup.Mixed mixed = Mixup.mix(images, labels, 1.0, new SeededRandom(3));
        assertFalse(java.util.Arrays.equals(labels, mixed.partnerLabels()), "seed 3 moves some partner");
        // a loss that sees which labelling it was asked for: Σ (label + 1)·10^row
        java.util.function.Function<int[], Tensor> code = y -> {
            float v = 0;
            for (int i = 0; i < y.length; i++) {
                v += (y[i] + 1) * (float) Math.pow(10, i);
            }
            return Tensor.scalar(v);
        };
        float own = code.apply(labels).item();
        float partners = code.apply(mixed.partnerLabels()).item();
        float l = mixed.lambda();
        assertEquals(l * own + (1 - l) * partners, mixed.loss(labels, code).item(), 1e-2f);
        assertTrue(Math.abs(own - partners) > 100 && l > 0.05 && l < 0.95, "the check can tell the two apart: λ " + l);
        assertThrows(IllegalArgumentException.class, () -> mixed.loss(new int[] {0, 1}, code));
    }

    @Test
    void badInputIsNamed() {
        Tensor images = Tensor.fromArray(new float[] {0, 1, 2, 3}, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mixup.mix(images, new int[] {0, 1}, 0, new SeededRandom(1)));
        assertTrue(e.getMessage().contains("alpha must be in (0, 100.0], got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Mixup.mix(images, new int[] {0, 1, 2}, 1, new SeededRandom(1)));
        assertTrue(e.getMessage().contains("3 labels for a batch of 2 images"), e.getMessage());
    }
}
