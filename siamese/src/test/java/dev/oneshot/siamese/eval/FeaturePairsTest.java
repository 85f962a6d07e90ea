package dev.oneshot.siamese.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeaturePairsTest {
    /** Rows at x = 0, 1, 3, 5 with labels 0, 0, 1, 1. */
    private static final Embedder.Features FEATURES = new Embedder.Features(new float[] {0, 1, 3, 5}, 4, 1);
    private static final int[] LABELS = {0, 0, 1, 1};

    /** Genuine: (0,1) = 1², (2,3) = 2²; impostor in order (0,2) (0,3) (1,2) (1,3) = 9, 25, 4, 16. */
    @Test
    void allPairs() {
        FeaturePairs.Scores s = FeaturePairs.all(FEATURES, LABELS);
        assertArrayEquals(new double[] {1, 4}, s.genuine());
        assertArrayEquals(new double[] {9, 25, 4, 16}, s.impostor());
        // Mann–Whitney by hand: 1 beats all 4; 4 ties 4 (½) and beats 9, 25, 16 → (4 + 3.5) / 8
        assertEquals(7.5 / 8, VerificationReport.of(s).auc());
    }

    @Test
    void sampledPairsAreBalancedSeededAndCorrectlyLabelled() {
        FeaturePairs.Scores s = FeaturePairs.sampled(FEATURES, LABELS, 50, 11);
        assertEquals(50, s.genuine().length);
        assertEquals(50, s.impostor().length);
        for (double d : s.genuine()) {
            assertTrue(d == 1 || d == 4, "genuine distance " + d);
        }
        for (double d : s.impostor()) {
            assertTrue(d == 9 || d == 25 || d == 4 || d == 16, "impostor distance " + d);
        }
        FeaturePairs.Scores again = FeaturePairs.sampled(FEATURES, LABELS, 50, 11);
        assertTrue(Arrays.equals(s.genuine(), again.genuine()) && Arrays.equals(s.impostor(), again.impostor()));
    }

    @Test
    void mismatchedLabelsAreAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeaturePairs.all(FEATURES, new int[] {0, 1}));
        assertEquals("FeaturePairs: 4 feature rows but 2 labels", e.getMessage());
    }
}
