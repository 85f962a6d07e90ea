package dev.oneshot.siamese.loss;

import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrototypicalLossTest {
    /** log Σ exp(zᵢ) − z_target. */
    private static double ce(double target, double... z) {
        double s = 0;
        for (double v : z) {
            s += Math.exp(v);
        }
        return Math.log(s) - target;
    }

    @Test
    void valueByHand() {
        // One dimension; class 0 at 0 and 1, class 1 at 3 and 5 (rows 0, 1, 2, 3).
        // Round 0: prototypes 0 and 3; queries 1 (class 0): z = (−1, −4); 5 (class 1): z = (−25, −4).
        // Round 1: prototypes 1 and 5; queries 0 (class 0): z = (−1, −25); 3 (class 1): z = (−4, −4).
        Tensor e = Tensor.fromArray(new float[] {0, 1, 3, 5}, 4, 1);
        double expected = (ce(-1, -1, -4) + ce(-4, -25, -4) + ce(-1, -1, -25) + ce(-4, -4, -4)) / 4;
        assertEquals(expected, PrototypicalLoss.apply(e, new int[] {0, 0, 1, 1}, 1).item(), 1e-6);
        // The labels need not be sorted: the same batch dealt in another row order gives the same loss.
        Tensor shuffled = Tensor.fromArray(new float[] {3, 0, 5, 1}, 4, 1);
        assertEquals(expected, PrototypicalLoss.apply(shuffled, new int[] {7, 2, 7, 2}, 1).item(), 1e-6);
    }

    @Test
    void twoShotPrototypesAreMeans() {
        // Class 0 at 0, 2, 4; class 1 at 10, 12, 14. Two shots, three rounds:
        // r0: μ = (1, 11), queries 4 and 14;  r1: μ = (3, 13), queries 0 and 10;  r2: μ = (2, 12), queries 2 and 12.
        Tensor e = Tensor.fromArray(new float[] {0, 2, 4, 10, 12, 14}, 6, 1);
        double expected = (ce(-9, -9, -49) + ce(-9, -169, -9)
                + ce(-9, -9, -169) + ce(-9, -49, -9)
                + ce(0, 0, -100) + ce(0, -100, 0)) / 6;
        assertEquals(expected, PrototypicalLoss.apply(e, new int[] {0, 0, 0, 1, 1, 1}, 2).item(), 1e-5);
    }

    @Test
    void gradientsPassTheCheckForOneAndTwoShots() {
        Tensor e = Tensor.randn(3L, 9, 4).requiresGrad(true);
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1, 3}; // class 3 has one image: a prototype with no query
        GradCheck.check("prototypical, 1 shot", x -> PrototypicalLoss.apply(x[0], y, 1), e).assertPassed();
        GradCheck.check("prototypical, 2 shots", x -> PrototypicalLoss.apply(x[0], y, 2), e).assertPassed();
    }

    /**
     * The common mistake: treat the prototypes as constants, so only the queries move. The check
     * must reject that backward (the supports' share of the gradient is missing).
     */
    @Test
    void aBackwardThatHoldsThePrototypesConstantFails() {
        Tensor e = Tensor.randn(3L, 8, 4).requiresGrad(true);
        int[] y = {0, 0, 1, 1, 2, 2, 3, 3};
        GradCheckReport report = GradCheck.check("prototypes held constant", x -> sabotaged(x[0]), e);
        assertFalse(report.passed(), report.summary());
        assertEquals(PrototypicalLoss.apply(e, y, 1).item(), sabotaged(e).item(), 1e-6,
                "the sabotaged copy has the loss's value");
    }

    /** The loss for classes in row pairs (0,1), (2,3), …, written with detached supports. */
    private static Tensor sabotaged(Tensor x) {
        Tensor sum = null;
        for (int r = 0; r < 2; r++) {
            int[] support = {r, 2 + r, 4 + r, 6 + r};
            int[] queries = {1 - r, 3 - r, 5 - r, 7 - r};
            Tensor z = x.indexSelect(queries).pairwiseSquaredDistance(x.detach().indexSelect(support)).mul(-1f);
            Tensor l = SoftmaxCrossEntropy.apply(z, new int[] {0, 1, 2, 3});
            sum = sum == null ? l : sum.add(l);
        }
        return sum.mul(0.5f);
    }

    @Test
    void badInputIsNamed() {
        Tensor e = Tensor.zeros(4, 2);
        IllegalArgumentException shots = assertThrows(IllegalArgumentException.class,
                () -> PrototypicalLoss.apply(e, new int[] {0, 0, 1, 1}, 2));
        assertTrue(shots.getMessage().contains("no class has more than 2 images"), shots.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> PrototypicalLoss.apply(e, new int[] {0, 0, 0, 0}, 1));
        assertTrue(one.getMessage().contains("at least 2 classes, got 1"), one.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> PrototypicalLoss.apply(e, new int[] {0, 1}, 1));
        assertTrue(rows.getMessage().contains("[4, 2] must be [n, d] with one label per row (2 labels)"),
                rows.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrototypicalLoss.apply(e, new int[] {0, 0, 1, 1}, 0));
    }
}
