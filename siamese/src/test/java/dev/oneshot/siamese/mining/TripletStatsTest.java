package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.oneshot.siamese.mining.HandBatch.DIST;
import static dev.oneshot.siamese.mining.HandBatch.LABELS;
import static dev.oneshot.siamese.mining.HandBatch.MARGIN;
import static dev.oneshot.siamese.mining.HandBatch.N;
import static dev.oneshot.siamese.mining.HandBatch.X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TripletStatsTest {
    /**
     * Per ordered pair (see MinersTest's table), hard / semi-hard / easy with α = 4:
     * <pre>
     *   (0,1) 0/2/1  (0,2) 2/0/1  (1,0) 0/1/2  (1,2) 1/1/1
     *   (2,0) 2/0/1  (2,1) 2/0/1  (3,4) 3/0/1  (4,3) 1/0/3     total 11/4/11 of 26
     * </pre>
     * Positive pairs {0,1} {0,2} {1,2} {3,4}: (1 + 16 + 9 + 9) / 4 = 8.75.
     * Negative pairs: label 0×1: 4+25+1+16+4+1 = 51, 0×2: 4+9+36 = 49, 1×2: 16+49 = 65;
     * 165 / 11 = 15. Norms |x|: 0+1+4+2+5+2 = 14, / 6.
     */
    @Test
    void handBatch() {
        TripletStats s = TripletStats.compute(DIST, N, LABELS, MARGIN, X, 1);
        assertEquals(26, s.valid());
        assertEquals(15, s.active());
        assertEquals(11, s.hard());
        assertEquals(4, s.semiHard());
        assertEquals(11, s.easy());
        assertEquals(8.75, s.meanPositiveDistance(), 1e-9);
        assertEquals(15.0, s.meanNegativeDistance(), 1e-9);
        assertEquals(14.0 / 6, s.meanEmbeddingNorm(), 1e-6);
        assertEquals(15.0 / 26, s.activeFraction(), 1e-12);
        assertEquals(s.active(), new BatchAllMiner().mine(DIST, N, LABELS, MARGIN, null).size());
        assertEquals("valid 26 active 15 (hard 11, semi-hard 4, easy 11) d+ 8.750 d- 15.000 |e| 2.333", s.toString());
    }

    @Test
    void tensorOverloadAgrees() {
        Tensor e = Tensor.fromArray(X, N, 1);
        assertEquals(TripletStats.compute(DIST, N, LABELS, MARGIN, X, 1),
                TripletStats.compute(Tensor.fromArray(DIST, N, N), LABELS, MARGIN, e));
    }

    @Test
    void collapsedBatchHasEveryTripletSemiHardAtTheBoundary() {
        // all embeddings equal: every d = 0, every triplet has loss α
        float[] zeros = new float[N * N];
        TripletStats s = TripletStats.compute(zeros, N, LABELS, MARGIN, new float[N * 2], 2);
        assertEquals(26, s.active());
        assertEquals(26, s.semiHard());
        assertEquals(0.0, s.meanNegativeDistance());
        assertEquals(0.0, s.meanEmbeddingNorm());
    }

    @Test
    void batchWithoutPairsHasNaNMeansAndZeroCounts() {
        TripletStats s = TripletStats.compute(new float[] {0, 1, 1, 0}, 2, new int[] {0, 1}, 1f, new float[] {0, 1}, 1);
        assertEquals(0, s.valid());
        assertEquals(0.0, s.activeFraction());
        assertTrue(Double.isNaN(s.meanPositiveDistance()));
        assertEquals(1.0, s.meanNegativeDistance());
    }

    @Test
    void embeddingShapeIsChecked() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TripletStats.compute(DIST, N, LABELS, MARGIN, new float[5], 1));
        assertTrue(e.getMessage().contains("6×1"), e.getMessage());
    }
}
