package dev.oneshot.siamese.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrievalReportTest {
    private static Embedder.Features line(double... xs) {
        float[] v = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            v[i] = (float) xs[i];
        }
        return new Embedder.Features(v, xs.length, 1);
    }

    /**
     * 1-D features, class A at 0, 1, 5 and class B at 2.5, 10.5, 12; R = 2 for every query.
     * Rankings (nearest first, first R = 2 ranks) and AP@R = (1/2) Σ P(i)·rel(i):
     * <pre>
     *   q=0    (A): 1 A, 2.5 B        → P@1 1, AP = (1/1)/2       = 0.5
     *   q=1    (A): 0 A, 2.5 B        → P@1 1, AP = 0.5
     *   q=5    (A): 2.5 B, 1 A        → P@1 0, AP = (1/2)/2       = 0.25
     *   q=2.5  (B): 1 A, then 0 A / 5 A (tied at 2.5, both A) → P@1 0, AP = 0
     *   q=10.5 (B): 12 B, 5 A         → P@1 1, AP = 0.5
     *   q=12   (B): 10.5 B, 5 A       → P@1 1, AP = 0.5
     * </pre>
     * P@1 = 4/6; MAP@R = (0.5 + 0.5 + 0.25 + 0 + 0.5 + 0.5) / 6 = 2.25 / 6 = 0.375.
     */
    @Test
    void handComputed() {
        RetrievalReport r = RetrievalReport.of(line(0, 1, 5, 2.5, 10.5, 12), new int[] {0, 0, 0, 1, 1, 1});
        assertEquals(4 / 6.0, r.precisionAt1(), 1e-15);
        assertEquals(0.375, r.mapAtR(), 1e-15);
        assertEquals(6, r.queries());
        assertEquals(0, r.skipped());
        assertEquals("{\"precision_at_1\":0.6666666666666666,\"map_at_r\":0.375,\"queries\":6,\"skipped\":0}", r.toJson());
    }

    /** Same-class rows are the R nearest for every query: P@1 = MAP@R = 1; the singleton class 2 is skipped. */
    @Test
    void perfectClustersAndSingletons() {
        RetrievalReport r = RetrievalReport.of(line(0, 0.1, 0.2, 10, 10.3, 50), new int[] {0, 0, 0, 1, 1, 2});
        assertEquals(new RetrievalReport(1, 1, 5, 1), r);
    }

    /**
     * MAP@R only looks at the first R ranks: A at 0, 3; B at 1, 1.5 (R = 1 each).
     * q=0: 1 B first → AP 0 (A's other row 3 comes third, beyond R = 1); q=3: 1.5 B first → 0;
     * q=1: 1.5 B first → 1; q=1.5: 1 B first → 1. MAP@R = P@1 = 2/4 = 0.5.
     */
    @Test
    void onlyTheFirstRRanksCount() {
        RetrievalReport r = RetrievalReport.of(line(0, 1, 1.5, 3), new int[] {0, 1, 1, 0});
        assertEquals(0.5, r.mapAtR());
        assertEquals(0.5, r.precisionAt1());
    }

    /**
     * A collapsed embedding (all rows equal), 5 classes × 20 rows stored class by class: with
     * random tie-breaking P@1 is near chance, 19/99 ≈ 0.19 (by index it would be ≈ 1).
     */
    @Test
    void constantFeaturesScoreChance() {
        int n = 100;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / 20;
        }
        RetrievalReport r = RetrievalReport.of(new Embedder.Features(new float[n * 2], n, 2), labels, 3);
        assertTrue(r.precisionAt1() < 0.35, "P@1 " + r.precisionAt1());
        assertTrue(r.mapAtR() < 0.35, "MAP@R " + r.mapAtR());
        assertEquals(r, RetrievalReport.of(new Embedder.Features(new float[n * 2], n, 2), labels, 3), "seeded");
    }

    @Test
    void noQueryIsNullInJsonAndSizesMustAgree() {
        RetrievalReport r = RetrievalReport.of(line(0, 1), new int[] {0, 1});
        assertEquals("{\"precision_at_1\":null,\"map_at_r\":null,\"queries\":0,\"skipped\":2}", r.toJson());
        assertThrows(IllegalArgumentException.class, () -> RetrievalReport.of(line(0, 1), new int[] {0}));
    }
}
