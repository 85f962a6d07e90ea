package dev.oneshot.siamese.loss;

import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.oneshot.siamese.loss.LossInputs.assertAgree;
import static dev.oneshot.siamese.loss.LossInputs.fresh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContrastiveLossTest {
    /** Two same pairs and four different pairs: both label values are always exercised. */
    static final int[] LABELS = {1, 0, 1, 0, 0, 0};

    /** The same loss from primitive core ops: y·s + (1 − y)·relu(μ − √(s + ε))². */
    static Tensor composed(Tensor x1, Tensor x2, int[] same, ContrastiveLoss.Options o) {
        float[] y = new float[same.length];
        float[] notY = new float[same.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = same[i];
            notY[i] = 1 - same[i];
        }
        Tensor s = x1.sub(x2).square().sum(1, false);
        Tensor hinge = s.add(o.epsilon()).sqrt().neg().add(o.margin()).relu().square();
        Tensor l = Tensor.wrap(y, y.length).mul(s).add(Tensor.wrap(notY, y.length).mul(hinge));
        return LossInputs.reduce(l, o.reduction());
    }

    /**
     * Pairs x1, x2 [6, 3] for margin μ: every different pair is at least 0.3 from the hinge
     * (|μ − d| ≥ 0.3), and some different pairs are inside the margin, some outside.
     */
    static Tensor[] pairs(long start, ContrastiveLoss.Options o) {
        long seed = LossInputs.seedWhere(start, s -> {
            Tensor[] x = {LossInputs.away(2 * s, 6, 3), LossInputs.away(2 * s + 1, 6, 3)};
            int inside = 0;
            int different = 0;
            for (int i = 0; i < LABELS.length; i++) {
                if (LABELS[i] == 1) {
                    continue;
                }
                double d = Math.sqrt(TripletLoss.squaredDistance(x[0].data(), i, x[1].data(), i, 3));
                if (Math.abs(o.margin() - d) < LossInputs.KINK_CLEARANCE) {
                    return false;
                }
                different++;
                inside += d < o.margin() ? 1 : 0;
            }
            return inside > 0 && inside < different;
        });
        return new Tensor[] {LossInputs.away(2 * seed, 6, 3), LossInputs.away(2 * seed + 1, 6, 3)};
    }

    static ContrastiveLoss.Options options(Reduction r) {
        return ContrastiveLoss.Options.DEFAULT.withMargin(2.5f).withReduction(r);
    }

    /**
     * μ = 1. Pair 1 (same): X1 = (0,0), X2 = (0.3,0.4): s = 0.09 + 0.16 = 0.25, ℓ = 0.25,
     * ∂X1 = 2(X1 − X2) = (−0.6, −0.8). Pair 2 (different): X1 = (0,0), X2 = (0.6,0): d = 0.6,
     * h = 1 − 0.6 = 0.4, ℓ = 0.16, ∂X1 = −2·h/d·(X1 − X2) = −2·(0.4/0.6)·(−0.6, 0) = (0.8, 0).
     * Pair 3 (different): X2 = (3,4): d = 5 ≥ μ, ℓ = 0, no gradient.
     * SUM = 0.25 + 0.16 + 0 = 0.41; MEAN = 0.41/3 = 0.1366667; MEAN_ACTIVE = 0.41/2 = 0.205
     * (pair 3 is inactive), its gradients half the SUM ones.
     */
    @Test
    void byHand() {
        Tensor x1 = Tensor.zeros(3, 2).requiresGrad(true);
        Tensor x2 = Tensor.fromArray(new float[] {0.3f, 0.4f, 0.6f, 0, 3, 4}, 3, 2).requiresGrad(true);
        int[] y = {1, 0, 0};
        Tensor sum = ContrastiveLoss.apply(x1, x2, y, ContrastiveLoss.Options.DEFAULT.withReduction(Reduction.SUM));
        assertEquals(0.41f, sum.item(), 1e-6f);
        assertEquals(0.1366667f, ContrastiveLoss.apply(x1, x2, y).item(), 1e-6f);
        sum.backward();
        assertArrayEquals(new float[] {-0.6f, -0.8f, 0.8f, 0, 0, 0}, x1.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0.6f, 0.8f, -0.8f, 0, 0, 0}, x2.grad().data(), 1e-6f);
        Tensor a1 = Tensor.zeros(3, 2).requiresGrad(true);
        Tensor active = ContrastiveLoss.apply(a1, x2.detach(), y,
                ContrastiveLoss.Options.DEFAULT.withReduction(Reduction.MEAN_ACTIVE));
        assertEquals(0.205f, active.item(), 1e-6f);
        active.backward();
        assertArrayEquals(new float[] {-0.3f, -0.4f, 0.4f, 0, 0, 0}, a1.grad().data(), 1e-6f);
    }

    /** Every pair inactive (same pairs identical, different pairs beyond μ): MEAN_ACTIVE gives 0 and zero gradients, not 0/0. */
    @Test
    void meanActiveWithNoActivePairIsZero() {
        Tensor x1 = Tensor.fromArray(new float[] {0, 0, 1, 1}, 2, 2).requiresGrad(true);
        Tensor x2 = Tensor.fromArray(new float[] {0, 0, 4, 5}, 2, 2).requiresGrad(true);
        Tensor l = ContrastiveLoss.apply(x1, x2, new int[] {1, 0},
                ContrastiveLoss.Options.DEFAULT.withReduction(Reduction.MEAN_ACTIVE));
        assertEquals(0f, l.item(), 0f);
        l.backward();
        assertArrayEquals(new float[4], x1.grad().data(), 0f);
        assertArrayEquals(new float[4], x2.grad().data(), 0f);
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void gradCheck(Reduction r) {
        ContrastiveLoss.Options o = options(r);
        GradCheck.check("contrastive " + r, x -> ContrastiveLoss.apply(x[0], x[1], LABELS, o), pairs(10, o))
                .assertPassed();
    }

    /** Only one label value in the batch, each way round. */
    @ParameterizedTest
    @EnumSource(Reduction.class)
    void gradCheckAllSameAndAllDifferent(Reduction r) {
        ContrastiveLoss.Options o = options(r);
        Tensor[] x = pairs(20, o);
        int[] ones = {1, 1, 1, 1, 1, 1};
        int[] zeros = {0, 0, 0, 0, 0, 0};
        GradCheck.check("contrastive all same", in -> ContrastiveLoss.apply(in[0], in[1], ones, o), x).assertPassed();
        GradCheck.check("contrastive all different", in -> ContrastiveLoss.apply(in[0], in[1], zeros, o), x)
                .assertPassed();
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void fusedAgreesWithComposed(Reduction r) {
        ContrastiveLoss.Options o = options(r);
        Tensor[] x = pairs(30, o);
        Tensor[] f = {fresh(x[0]), fresh(x[1])};
        Tensor[] c = {fresh(x[0]), fresh(x[1])};
        Tensor fused = ContrastiveLoss.apply(f[0], f[1], LABELS, o);
        Tensor ref = composed(c[0], c[1], LABELS, o);
        assertAgree(ref.data(), fused.data(), "value");
        fused.backward();
        ref.backward();
        assertAgree(c[0].grad().data(), f[0].grad().data(), "grad x1");
        assertAgree(c[1].grad().data(), f[1].grad().data(), "grad x2");
    }

    /**
     * X1 == X2 labelled different: d = √ε = 10⁻⁴, h = 1 − 10⁻⁴, ℓ = h² = 0.99980001; the
     * gradient −2h/d·(X1 − X2) = −2h/d·0 = 0 is finite (√0 would give 0/0 = NaN).
     */
    @Test
    void identicalDifferentPairHasFiniteGradient() {
        Tensor x1 = Tensor.fromArray(new float[] {0.5f, -1f}, 1, 2).requiresGrad(true);
        Tensor x2 = Tensor.fromArray(new float[] {0.5f, -1f}, 1, 2).requiresGrad(true);
        Tensor l = ContrastiveLoss.apply(x1, x2, new int[] {0});
        assertEquals(0.99980001f, l.item(), 1e-6f);
        l.backward();
        assertArrayEquals(new float[] {0, 0}, x1.grad().data(), 0f);
        assertArrayEquals(new float[] {0, 0}, x2.grad().data(), 0f);
    }

    @Test
    void rejectsBadInput() {
        Tensor x = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLoss.apply(x, x, new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLoss.apply(x, x, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLoss.apply(x, Tensor.zeros(2, 2), new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLoss.Options.DEFAULT.withMargin(0f));
    }
}
