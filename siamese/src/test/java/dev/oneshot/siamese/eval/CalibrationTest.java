package dev.oneshot.siamese.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Validation split: genuine {1,2,3,4}, impostor {3.5,5,6,7} (sorted: 1g 2g 3g 3.5i 4g 5i 6i 7i).
 * Test split: genuine {1, 3.5, 3.6, 8}, impostor {2, 4, 9, 10}.
 */
class CalibrationTest {
    private static final double[] VAL_GENUINE = {1, 2, 3, 4};
    private static final double[] VAL_IMPOSTOR = {3.5, 5, 6, 7};
    private static final double[] TEST_GENUINE = {1, 3.5, 3.6, 8};
    private static final double[] TEST_IMPOSTOR = {2, 4, 9, 10};

    /**
     * EER on validation: at τ = 3.5, FAR = 1/4 and FRR = 1/4 (4 rejected) → τ = 3.5.
     * On test: genuine 3.6 and 8 rejected → FRR 1/2; impostor 2 accepted → FAR 1/4;
     * accuracy = (2 genuine accepted + 3 impostors rejected) / 8 = 0.625.
     */
    @Test
    void eerThresholdOnSeparateSplits() {
        double tau = Calibration.choose(VAL_GENUINE, VAL_IMPOSTOR, Calibration.Criterion.EER);
        assertEquals(3.5, tau);
        Calibration.Result r = Calibration.evaluate(tau, TEST_GENUINE, TEST_IMPOSTOR);
        assertEquals(new Calibration.Result(ScoreDirection.DISTANCE, 3.5, 0.25, 0.5, 0.625, 4, 4), r);
        assertEquals("{\"direction\":\"DISTANCE\",\"tau\":3.5,\"far\":0.25,\"frr\":0.5,\"accuracy\":0.625,"
                + "\"genuine_pairs\":4,\"impostor_pairs\":4}", r.toJson());
    }

    /**
     * FAR ≤ 0 on validation: the most accepting point with no impostor is τ = 3.
     * On test: only genuine 1 accepted → FRR 3/4; impostor 2 accepted → FAR 1/4; accuracy (1 + 3)/8.
     */
    @Test
    void targetFarThreshold() {
        Calibration.Criterion c = Calibration.Criterion.targetFar(0);
        double tau = Calibration.choose(VAL_GENUINE, VAL_IMPOSTOR, c);
        assertEquals(3, tau);
        assertEquals(new Calibration.Result(ScoreDirection.DISTANCE, 3, 0.25, 0.75, 0.5, 4, 4),
                Calibration.evaluate(tau, TEST_GENUINE, TEST_IMPOSTOR));
        assertEquals("TARGET_FAR(0.001)", Calibration.Criterion.targetFar(1e-3).name());
        assertThrows(IllegalArgumentException.class, () -> Calibration.Criterion.targetFar(1.5));
    }

    /**
     * F1 = 2TP / (TP + FP + 4) on validation: τ=1 .4, τ=2 4/6, τ=3 6/7, τ=3.5 6/8, τ=4 8/9 (best), τ=5 8/10.
     * On test at τ = 4: genuine 8 rejected → FRR 1/4; impostors 2, 4 accepted → FAR 1/2; accuracy (3 + 2)/8.
     */
    @Test
    void f1Threshold() {
        double tau = Calibration.choose(VAL_GENUINE, VAL_IMPOSTOR, Calibration.Criterion.F1);
        assertEquals(4, tau);
        assertEquals(new Calibration.Result(ScoreDirection.DISTANCE, 4, 0.5, 0.25, 0.625, 4, 4),
                Calibration.evaluate(tau, TEST_GENUINE, TEST_IMPOSTOR));
    }

    /** Similarity scores (negated distances) give the negated τ and the same rates. */
    @Test
    void similarityDirection() {
        double[][] s = new double[4][];
        double[][] src = {VAL_GENUINE, VAL_IMPOSTOR, TEST_GENUINE, TEST_IMPOSTOR};
        for (int k = 0; k < 4; k++) {
            s[k] = new double[src[k].length];
            for (int i = 0; i < s[k].length; i++) {
                s[k][i] = -src[k][i];
            }
        }
        double tau = Calibration.choose(s[0], s[1], Calibration.Criterion.EER, ScoreDirection.SIMILARITY);
        assertEquals(-3.5, tau);
        Calibration.Result r = Calibration.evaluate(tau, s[2], s[3], ScoreDirection.SIMILARITY);
        assertEquals(0.25, r.far());
        assertEquals(0.5, r.frr());
    }

    /** A τ of "accept nothing" (−∞) rejects everything and serialises as null. */
    @Test
    void acceptNothing() {
        Calibration.Result r = Calibration.evaluate(Double.NEGATIVE_INFINITY, TEST_GENUINE, TEST_IMPOSTOR);
        assertEquals(0, r.far());
        assertEquals(1, r.frr());
        assertEquals("{\"direction\":\"DISTANCE\",\"tau\":null,\"far\":0.0,\"frr\":1.0,\"accuracy\":0.5,"
                + "\"genuine_pairs\":4,\"impostor_pairs\":4}", r.toJson());
    }
}
