package dev.oneshot.siamese.mining;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.oneshot.siamese.mining.HandBatch.DIST;
import static dev.oneshot.siamese.mining.HandBatch.LABELS;
import static dev.oneshot.siamese.mining.HandBatch.MARGIN;
import static dev.oneshot.siamese.mining.HandBatch.N;
import static dev.oneshot.siamese.mining.HandBatch.t;
import static dev.oneshot.siamese.mining.HandBatch.triplets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each miner on {@link HandBatch}. The ordered anchor–positive pairs, with the negatives'
 * distances (α = 4):
 * <pre>
 *   (a,p)  d(A,P)   negatives: d(A,N)
 *   (0,1)    1      3:4  4:25  5:4
 *   (0,2)   16      3:4  4:25  5:4
 *   (1,0)    1      3:1  4:16  5:9
 *   (1,2)    9      3:1  4:16  5:9
 *   (2,0)   16      3:4  4:1   5:36
 *   (2,1)    9      3:4  4:1   5:36
 *   (3,4)    9      0:4  1:1   2:4   5:16
 *   (4,3)    9      0:25 1:16  2:1   5:49
 * </pre>
 */
class MinersTest {
    private static Triplets mine(TripletMiner m) {
        return m.mine(DIST, N, LABELS, MARGIN, null);
    }

    @Test
    void hardestNegativeTakesTheClosestNegativeOfEachAnchorLowestIndexOnTies() {
        // anchor 0: d(0,3) = d(0,5) = 4, the tie goes to 3; anchor 1: 3 (d 1); anchor 2: 4 (d 1);
        // anchor 3: 1 (d 1); anchor 4: 2 (d 1). One triplet per ordered anchor–positive pair.
        assertEquals(triplets(t(0, 1, 3), t(0, 2, 3), t(1, 0, 3), t(1, 2, 3),
                        t(2, 0, 4), t(2, 1, 4), t(3, 4, 1), t(4, 3, 2)),
                mine(new HardestNegativeMiner()));
    }

    @Test
    void semiHardTakesTheClosestNegativeInsideTheMarginWindow() {
        // window d(A,P) ≤ d(A,N) < d(A,P) + 4:
        // (0,1): [1,5) holds 3:4 and 5:4, tie → 3.   (1,0): [1,5) holds 3:1 (boundary d(A,N) = d(A,P)).
        // (1,2): [9,13) holds 5:9 (boundary).        all other pairs: empty window.
        assertEquals(triplets(t(0, 1, 3), t(1, 0, 3), t(1, 2, 5)), mine(new SemiHardMiner()));
    }

    @Test
    void semiHardFallbackToTheHardestNegative() {
        // empty windows: (0,2) → 3 (d 4, tie with 5); (2,0), (2,1) → 4; (3,4) → 1; (4,3) → 2
        assertEquals(triplets(t(0, 1, 3), t(0, 2, 3), t(1, 0, 3), t(1, 2, 5),
                        t(2, 0, 4), t(2, 1, 4), t(3, 4, 1), t(4, 3, 2)),
                mine(new SemiHardMiner(SemiHardMiner.Fallback.HARDEST_NEGATIVE)));
    }

    @Test
    void semiHardFallbackToTheEasiestNegative() {
        // empty windows: (0,2) → 4 (d 25); (2,0), (2,1) → 5 (d 36); (3,4) → 5 (d 16); (4,3) → 5 (d 49)
        assertEquals(triplets(t(0, 1, 3), t(0, 2, 4), t(1, 0, 3), t(1, 2, 5),
                        t(2, 0, 5), t(2, 1, 5), t(3, 4, 5), t(4, 3, 5)),
                mine(new SemiHardMiner(SemiHardMiner.Fallback.EASIEST_NEGATIVE)));
    }

    @Test
    void batchHardTakesTheFarthestPositiveAndClosestNegativePerAnchor() {
        // anchor 0: p 2 (16), n 3 (4, tie with 5); 1: p 2 (9), n 3 (1); 2: p 0 (16), n 4 (1);
        // 3: p 4 (9), n 1 (1); 4: p 3 (9), n 2 (1); 5 has no positive: skipped.
        assertEquals(triplets(t(0, 2, 3), t(1, 2, 3), t(2, 0, 4), t(3, 4, 1), t(4, 3, 2)),
                mine(new BatchHardMiner()));
    }

    @Test
    void batchAllTakesEveryTripletWithPositiveLoss() {
        // d(A,N) < d(A,P) + 4 for each pair of the table above: 15 of the 26 valid triplets
        assertEquals(triplets(
                        t(0, 1, 3), t(0, 1, 5), t(0, 2, 3), t(0, 2, 5),
                        t(1, 0, 3), t(1, 2, 3), t(1, 2, 5),
                        t(2, 0, 3), t(2, 0, 4), t(2, 1, 3), t(2, 1, 4),
                        t(3, 4, 0), t(3, 4, 1), t(3, 4, 2), t(4, 3, 2)),
                mine(new BatchAllMiner()));
    }

    @Test
    void randomGivesOneValidTripletPerAnchorReproducibly() {
        Triplets a = new RandomMiner().mine(DIST, N, LABELS, MARGIN, new SeededRandom(7));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, a.anchors()); // 5 has no positive
        for (int t = 0; t < a.size(); t++) {
            int anchor = a.anchors()[t];
            assertEquals(LABELS[anchor], LABELS[a.positives()[t]]);
            assertNotEquals(anchor, a.positives()[t]);
            assertNotEquals(LABELS[anchor], LABELS[a.negatives()[t]]);
        }
        assertEquals(4, a.positives()[3]); // the only positive of 3
        assertEquals(3, a.positives()[4]);
        assertEquals(a, new RandomMiner().mine(DIST, N, LABELS, MARGIN, new SeededRandom(7)));
    }

    @Test
    void randomReachesEveryPositiveAndNegative() {
        SeededRandom rng = new SeededRandom(1);
        boolean[] positivesOf0 = new boolean[N];
        boolean[] negativesOf0 = new boolean[N];
        for (int i = 0; i < 200; i++) {
            Triplets tr = new RandomMiner().mine(DIST, N, LABELS, MARGIN, rng);
            positivesOf0[tr.positives()[0]] = true;
            negativesOf0[tr.negatives()[0]] = true;
        }
        assertArrayEquals(new boolean[] {false, true, true, false, false, false}, positivesOf0);
        assertArrayEquals(new boolean[] {false, false, false, true, true, true}, negativesOf0);
    }

    @Test
    @SuppressWarnings("try") // the Grad.off() scope is used only for its effect
    void distanceTensorFromThePairwiseOpGivesTheHandMatrix() {
        Tensor e = Tensor.fromArray(HandBatch.X, N, 1);
        Tensor d;
        try (var off = Grad.off()) {
            d = e.pairwiseSquaredDistance(e);
        }
        assertArrayEquals(DIST, d.data(), 1e-5f);
        assertEquals(mine(new BatchHardMiner()), new BatchHardMiner().mine(d, LABELS, MARGIN, null));
    }

    @Test
    void batchWithoutPositivesGivesNoTriplets() {
        float[] dist = {0, 1, 1, 0};
        for (String name : Miners.NAMES) {
            assertTrue(Miners.byName(name).mine(dist, 2, new int[] {0, 1}, 1f, new SeededRandom(0)).isEmpty(), name);
            assertTrue(Miners.byName(name).mine(dist, 2, new int[] {3, 3}, 1f, new SeededRandom(0)).isEmpty(), name);
        }
    }
}
