package dev.oneshot.siamese.twin;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwinNetworkTest {
    private static final SmallCnnConfig TINY = new SmallCnnConfig(8, 1, 3, 4, 6, 5, 7L);

    /** d = Σ‖f(x₁) − f(x₂)‖² over the batch. */
    private static Tensor pairLoss(Tensor e1, Tensor e2) {
        return e1.sub(e2).square().sum();
    }

    /**
     * The twin's shared parameters receive exactly the sum of the gradients that two separately
     * built (but identical) towers receive.
     */
    @Test
    void sharedGradientEqualsSumOfTwoSeparateCopies() {
        Tensor x1 = Tensor.rand(1, 3, 1, 8, 8);
        Tensor x2 = Tensor.rand(2, 3, 1, 8, 8);

        TwinNetwork twin = new TwinNetwork(EmbeddingNets.smallCnn(TINY), false);
        TwinNetwork.PairEmbeddings pair = twin.embedPair(x1, x2);
        pairLoss(pair.first(), pair.second()).backward();

        Sequential tower1 = EmbeddingNets.smallCnn(TINY);
        Sequential tower2 = EmbeddingNets.smallCnn(TINY);
        pairLoss(tower1.forward(x1), tower2.forward(x2)).backward();

        Map<String, Tensor> shared = twin.namedParameters();
        Map<String, Tensor> p1 = tower1.namedParameters();
        Map<String, Tensor> p2 = tower2.namedParameters();
        assertEquals(p1.keySet(), shared.keySet());
        for (String name : shared.keySet()) {
            float[] expected = p1.get(name).grad().data().clone();
            float[] g2 = p2.get(name).grad().data();
            for (int i = 0; i < expected.length; i++) {
                expected[i] += g2[i];
            }
            assertArrayEquals(expected, shared.get(name).grad().data(), 1e-4f, name);
        }
    }

    @Test
    void bothTowersUseTheSameParameterObjects() {
        TwinNetwork twin = new TwinNetwork(EmbeddingNets.smallCnn(TINY), false);
        TwinNetwork.TripletEmbeddings t = twin.embedTriplet(Tensor.rand(3, 2, 1, 8, 8), Tensor.rand(4, 2, 1, 8, 8),
                Tensor.rand(5, 2, 1, 8, 8));
        Tensor w = twin.namedParameters().get("0.weight");
        assertSame(w, twin.embeddingNet().namedParameters().get("0.weight"));
        t.anchor().add(t.positive()).add(t.negative()).sum().backward();
        assertTrue(w.hasGrad());
        assertArrayEquals(new int[] {2, 5}, t.anchor().shape());
    }

    @Test
    void normalizedEmbeddingsLieOnTheUnitSphere() {
        TwinNetwork twin = new TwinNetwork(EmbeddingNets.smallCnn(TINY), true);
        Tensor e = twin.embed(Tensor.rand(6, 4, 1, 8, 8));
        for (int r = 0; r < 4; r++) {
            double sq = 0;
            for (int c = 0; c < 5; c++) {
                sq += e.get(r, c) * e.get(r, c);
            }
            assertEquals(1.0, sq, 1e-5);
        }
    }

    @Test
    void mirrorAveragingByHand() {
        // f = Flatten → Linear(3, 2, no bias), W = [[1, 2, 3], [0, 0, 1]]; x = [1, 0, 0], mirror(x) = [0, 0, 1]
        Linear lin = new Linear(3, 2, false, new SeededRandom(1));
        System.arraycopy(new float[] {1, 2, 3, 0, 0, 1}, 0, lin.weight().data(), 0, 6);
        Sequential f = new Sequential(new Flatten(), lin);
        Tensor x = Tensor.fromArray(new float[] {1, 0, 0}, 1, 1, 1, 3);
        TwinNetwork plain = new TwinNetwork(f, false, true);
        assertTrue(plain.mirrorAverages());
        f.train(); // training embeds x alone: f(x) = [1, 0]
        assertArrayEquals(new float[] {1, 0}, plain.embed(x).data());
        f.eval();  // f(x) + f(mirror(x)) = [1, 0] + [3, 1]
        Tensor e = plain.embed(x);
        assertArrayEquals(new float[] {4, 1}, e.data());
        e.sum().backward(); // both passes reach W: ∂Σe/∂W = rows of x + mirror(x) = [1, 0, 1]
        assertArrayEquals(new float[] {1, 0, 1, 1, 0, 1}, lin.weight().grad().data());
        // normalised: [4, 1] / √17
        assertArrayEquals(new float[] {0.9701425f, 0.2425356f}, new TwinNetwork(f, true, true).embed(x).data(), 1e-6f);
        assertArrayEquals(new float[] {1, 0}, new TwinNetwork(f, true, false).embed(x).data(), 1e-6f);
    }

    @Test
    void mirrorReversesEachRow() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 1, 2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, TwinNetwork.mirror(x).data());
        assertArrayEquals(new int[] {2, 1, 2, 3}, TwinNetwork.mirror(x).shape());
        assertEquals("TwinNetwork: mirror averaging needs [n, C, H, W] images, got rank 2",
                assertThrows(IllegalArgumentException.class, () -> TwinNetwork.mirror(Tensor.zeros(2, 3))).getMessage());
    }

    @Test
    void shiftMovesTheImageAndFillsWithZeros() {
        // one 2×3 image per plane, two planes: moves right (dx 1), left, down (dy 1), up
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 1, 2, 2, 3);
        assertArrayEquals(new float[] {0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11}, TwinNetwork.shift(x, 1, 0).data());
        assertArrayEquals(new float[] {2, 3, 0, 5, 6, 0, 8, 9, 0, 11, 12, 0}, TwinNetwork.shift(x, -1, 0).data());
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 0, 0, 0, 7, 8, 9}, TwinNetwork.shift(x, 0, 1).data());
        assertArrayEquals(new float[] {4, 5, 6, 0, 0, 0, 10, 11, 12, 0, 0, 0}, TwinNetwork.shift(x, 0, -1).data());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 7, 8}, TwinNetwork.shift(x, 1, 1).data());
        assertArrayEquals(new float[] {5, 6, 0, 0, 0, 0, 11, 12, 0, 0, 0, 0}, TwinNetwork.shift(x, -1, -1).data());
        assertArrayEquals(x.data(), TwinNetwork.shift(x, 0, 0).data());
        assertArrayEquals(new int[] {1, 2, 2, 3}, TwinNetwork.shift(x, 1, 0).shape());
        assertEquals("TwinNetwork: shift averaging needs [n, C, H, W] images, got rank 2",
                assertThrows(IllegalArgumentException.class, () -> TwinNetwork.shift(Tensor.zeros(2, 3), 1, 0))
                        .getMessage());
    }

    @Test
    void shiftAveragingSumsTheNineViews() {
        // f = Flatten → Linear(9, 2, no bias), W = [[1 … 9], [0 0 0 0 1 0 0 0 0]] (the second output
        // reads the centre pixel) on the 3×3 image x = [[1, 0, 2], [0, 3, 0], [4, 0, 5]]. The literals
        // are from an independent NumPy loop over the 3 × 3 grid of moves (zeros moved in):
        // f(x) = [95, 3]; the nine views summed = [415, 15] (the four moves along the axes alone
        // would give [295, 3]); the nine views of mirror(x) = [407, 15].
        Linear lin = new Linear(9, 2, false, new SeededRandom(1));
        System.arraycopy(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 1, 0, 0, 0, 0}, 0, lin.weight().data(),
                0, 18);
        Sequential f = new Sequential(new Flatten(), lin);
        Tensor x = Tensor.fromArray(new float[] {1, 0, 2, 0, 3, 0, 4, 0, 5}, 1, 1, 3, 3);
        TwinNetwork shifted = new TwinNetwork(f, false, false, true);
        assertTrue(shifted.shiftAverages() && !shifted.mirrorAverages());
        f.train(); // training embeds x alone
        assertArrayEquals(new float[] {95, 3}, shifted.embed(x).data());
        f.eval();
        assertArrayEquals(new float[] {415, 15}, shifted.embed(x).data());
        assertArrayEquals(new float[] {822, 30}, new TwinNetwork(f, false, true, true).embed(x).data());
        float n = (float) Math.sqrt(415 * 415 + 225);
        assertArrayEquals(new float[] {415 / n, 15 / n}, new TwinNetwork(f, true, false, true).embed(x).data(), 1e-6f);
    }

    @Test
    void nullNetworkIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TwinNetwork(null, false));
    }
}
