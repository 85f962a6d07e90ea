package dev.oneshot.siamese.eval;

import dev.oneshot.core.tensor.SeededRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RocTest {
    private static final double EPS = 1e-12;
    private static final double NEG = Double.NEGATIVE_INFINITY;

    @Test
    void perfectModel() {
        Roc roc = Roc.of(new double[] {1, 2}, new double[] {3, 4});
        assertArrayEquals(new double[] {NEG, 1, 2, 3, 4}, roc.tau());
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 1}, roc.far());
        assertArrayEquals(new double[] {0, 0.5, 1, 1, 1}, roc.tar());
        assertEquals(1.0, roc.auc());
        assertEquals(new Roc.Eer(0, 2), roc.eer()); // FAR = FRR = 0 exactly at τ = 2
    }

    @Test
    void perfectlyInvertedModel() {
        Roc roc = Roc.of(new double[] {3, 4}, new double[] {1, 2});
        assertEquals(0.0, roc.auc());
        assertEquals(new Roc.Eer(1, 2), roc.eer()); // at τ = 2: every impostor in, every genuine out
        assertEquals(new Roc.TarAtFar(1e-2, 0, 0, NEG), roc.tarAtFar(1e-2));
    }

    /** Every score equal: one diagonal step from (0,0) to (1,1). */
    @Test
    void constantModel() {
        Roc roc = Roc.of(new double[] {5, 5}, new double[] {5, 5, 5});
        assertEquals(2, roc.size());
        assertEquals(0.5, roc.auc());
        assertEquals(new Roc.Eer(0.5, 5), roc.eer()); // half-way crossing → the accepting end, τ = 5
        assertEquals("{\"direction\":\"DISTANCE\",\"tau\":[null,5.0],\"far\":[0.0,1.0],\"tar\":[0.0,1.0]}", roc.toJson());
    }

    /**
     * genuine {1,2,3}, impostor {2,3,4}: one point per distinct score
     * τ=1 (0, 1/3), τ=2 (1/3, 2/3), τ=3 (2/3, 1), τ=4 (1, 1).
     * AUC = 1/3·(1/3+2/3)/2 + 1/3·(2/3+1)/2 + 1/3·1 = 3/18 + 5/18 + 6/18 = 7/9;
     * Mann–Whitney: g=1 beats all 3; g=2 ties 2, beats 3, 4 → 2.5; g=3 loses to 2, ties 3, beats 4 → 1.5; 7/9.
     * FAR − FRR at τ=2 is 1/3 − 1/3 = 0, so EER = 1/3 at τ = 2.
     */
    @Test
    void tiesAreOneStep() {
        Roc roc = Roc.of(new double[] {3, 1, 2}, new double[] {4, 2, 3});
        assertArrayEquals(new double[] {NEG, 1, 2, 3, 4}, roc.tau());
        assertArrayEquals(new double[] {0, 0, 1 / 3.0, 2 / 3.0, 1}, roc.far(), EPS);
        assertArrayEquals(new double[] {0, 1 / 3.0, 2 / 3.0, 1, 1}, roc.tar(), EPS);
        assertEquals(7 / 9.0, roc.auc(), EPS);
        assertEquals(1 / 3.0, roc.eer().rate(), EPS);
        assertEquals(2, roc.eer().tau());
    }

    /**
     * genuine {1,2,4}, impostor {3,5}: τ=2 (FAR 0, FRR 1/3), τ=3 (FAR 1/2, FRR 1/3).
     * FAR − FRR goes −1/3 → +1/6; crossing at t = (1/3)/(1/2) = 2/3 of the segment:
     * EER = 0 + 2/3 · 1/2 = 1/3; t ≥ ½ so τ is the segment's end, 3.
     */
    @Test
    void eerInterpolatesAndPicksTheNearestThreshold() {
        Roc.Eer eer = Roc.of(new double[] {1, 2, 4}, new double[] {3, 5}).eer();
        assertEquals(1 / 3.0, eer.rate(), EPS);
        assertEquals(3, eer.tau());
    }

    /** AUC by trapezoids equals P(genuine < impostor) + ½ P(tie), counted over all pairs, on heavily tied data. */
    @Test
    void aucEqualsMannWhitneyWithTies() {
        SeededRandom rng = new SeededRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            double[] g = new double[1 + rng.nextInt(40)];
            double[] m = new double[1 + rng.nextInt(60)];
            for (int i = 0; i < g.length; i++) {
                g[i] = rng.nextInt(8);
            }
            for (int i = 0; i < m.length; i++) {
                m[i] = 2 + rng.nextInt(8);
            }
            double wins = 0;
            for (double a : g) {
                for (double b : m) {
                    wins += a < b ? 1 : a == b ? 0.5 : 0;
                }
            }
            double mw = wins / ((double) g.length * m.length);
            assertEquals(mw, Roc.of(g, m).auc(), EPS, "trial " + trial);
            double[] gs = g.clone();
            double[] ms = m.clone();
            for (int i = 0; i < gs.length; i++) {
                gs[i] = -gs[i];
            }
            for (int i = 0; i < ms.length; i++) {
                ms[i] = -ms[i];
            }
            assertEquals(mw, Roc.of(gs, ms, ScoreDirection.SIMILARITY).auc(), EPS, "similarity, trial " + trial);
        }
    }

    /** Similarities: larger = more similar, τ accepts score ≥ τ, reported in similarity units. */
    @Test
    void similarityScores() {
        Roc roc = Roc.of(new double[] {0.9, 0.8}, new double[] {0.1, 0.2}, ScoreDirection.SIMILARITY);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.8, 0.2, 0.1}, roc.tau());
        assertEquals(1.0, roc.auc());
        assertEquals(new Roc.Eer(0, 0.8), roc.eer());
        assertEquals(0.0, Roc.of(new double[] {0.9, 0.8}, new double[] {0.1, 0.2}).auc()); // read as distances: inverted
    }

    /**
     * 1000 impostors at 11, 12, …, 1010; genuine {1,2,3,4,5, 11.5, 15, 20, 30, 2000}.
     * FAR ≤ 10⁻³ allows 1 impostor: the most accepting such point is τ = 11.5 (impostor 11 in,
     * 12 out), accepting 6 genuine → TAR 0.6. FAR ≤ 10⁻² allows 10 impostors (11..20): the last
     * such point is τ = 20 (a genuine and an impostor tied), 8 genuine → TAR 0.8; τ = 21 has 11.
     */
    @Test
    void tarAtFar() {
        double[] impostor = new double[1000];
        for (int i = 0; i < impostor.length; i++) {
            impostor[i] = 11 + i;
        }
        Roc roc = Roc.of(new double[] {1, 2, 3, 4, 5, 11.5, 15, 20, 30, 2000}, impostor);
        assertEquals(new Roc.TarAtFar(1e-3, 0.6, 0.001, 11.5), roc.tarAtFar(1e-3));
        assertEquals(new Roc.TarAtFar(1e-2, 0.8, 0.01, 20), roc.tarAtFar(1e-2));
        assertEquals(new Roc.TarAtFar(0, 0.5, 0, 5), roc.tarAtFar(0));
    }

    /**
     * genuine {1,2,4}, impostor {3,5}; F1 = 2TP / (TP + FP + G), G = 3:
     * τ=1: 2/4 = .5; τ=2: 4/5 = .8; τ=3: 4/6; τ=4: 6/7 ≈ .857 (best); τ=5: 6/8.
     * At τ=4: precision 3/4, recall 1.
     */
    @Test
    void bestF1() {
        Roc.BestF1 best = Roc.of(new double[] {1, 2, 4}, new double[] {3, 5}).bestF1();
        assertEquals(6 / 7.0, best.f1(), EPS);
        assertEquals(4, best.tau());
        assertEquals(0.75, best.precision());
        assertEquals(1.0, best.recall());
    }

    @Test
    void badInputsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Roc.of(new double[0], new double[] {1}));
        assertEquals("Roc: no genuine scores", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Roc.of(new double[] {1}, new double[] {2, Double.NaN}));
        assertEquals("Roc: impostor score 1 of 2 is NaN", e.getMessage());
    }

    @Test
    void reportJson() {
        assertEquals("{\"direction\":\"DISTANCE\",\"genuine_pairs\":2,\"impostor_pairs\":2,\"auc\":1.0,\"eer\":0.0,"
                        + "\"eer_tau\":2.0,\"tar_at_far_1e-3\":1.0,\"tau_at_far_1e-3\":2.0,\"tar_at_far_1e-2\":1.0,"
                        + "\"tau_at_far_1e-2\":2.0,\"f1\":1.0,\"f1_tau\":2.0}",
                VerificationReport.of(new double[] {1, 2}, new double[] {3, 4}).toJson());
        // inverted: nothing can be accepted at FAR ≤ 1e-2, so τ is "accept nothing" (−∞) → null
        VerificationReport anti = VerificationReport.of(new double[] {3, 4}, new double[] {1, 2});
        assertEquals("{\"direction\":\"DISTANCE\",\"genuine_pairs\":2,\"impostor_pairs\":2,\"auc\":0.0,\"eer\":1.0,"
                + "\"eer_tau\":2.0,\"tar_at_far_1e-3\":0.0,\"tau_at_far_1e-3\":null,\"tar_at_far_1e-2\":0.0,"
                + "\"tau_at_far_1e-2\":null,\"f1\":0.6666666666666666,\"f1_tau\":4.0}", anti.toJson());
    }
}
