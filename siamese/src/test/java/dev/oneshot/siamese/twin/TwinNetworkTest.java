package dev.oneshot.siamese.twin;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
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
    void nullNetworkIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TwinNetwork(null, false));
    }
}
