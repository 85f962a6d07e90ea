package dev.oneshot.siamese.loss;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.loss.TripletOptions.Margin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static dev.oneshot.siamese.loss.LossInputs.assertAgree;
import static dev.oneshot.siamese.loss.LossInputs.fresh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TripletLossTest {

    /** Every distance × margin kind × reduction (2 × 2 × 3 = 12 combinations). */
    static List<TripletOptions> allOptions() {
        List<TripletOptions> all = new ArrayList<>();
        for (EmbeddingDistance d : EmbeddingDistance.values()) {
            for (Margin mk : Margin.values()) {
                for (Reduction r : Reduction.values()) {
                    all.add(TripletOptions.DEFAULT.withDistance(d).withMarginKind(mk).withReduction(r));
                }
            }
        }
        return all;
    }

    /** The same loss built from primitive core ops (autograd derives its gradient). */
    static Tensor composed(Tensor a, Tensor p, Tensor n, TripletOptions o) {
        Tensor u = distance(a, p, o).sub(distance(a, n, o));
        Tensor l = o.marginKind() == Margin.HARD ? u.add(o.margin()).relu() : u.softplus();
        return LossInputs.reduce(l, o.reduction());
    }

    private static Tensor distance(Tensor x, Tensor y, TripletOptions o) {
        Tensor sq = x.sub(y).square().sum(1, false);
        return o.distance() == EmbeddingDistance.SQUARED_L2 ? sq : sq.add(o.epsilon()).sqrt();
    }

    // ------------------------------------------------------------------ hand-computed values

    /**
     * Triplet 1: A = (0,0), P = (1,0), N = (0,2): d_ap = 1, d_an = 4, u + α = 1 − 4 + 0.2 = −2.8 → L₁ = 0.
     * Triplet 2: A = (1,1), P = (2,3), N = (1,2): d_ap = 1 + 4 = 5, d_an = 0 + 1 = 1,
     * u + α = 5 − 1 + 0.2 = 4.2 → L₂ = 4.2. SUM 4.2, MEAN 2.1, MEAN_ACTIVE 4.2/1.
     * Gradients (SUM, only triplet 2): ∂A = 2(N − P) = 2·(−1,−1) = (−2,−2);
     * ∂P = −2(A − P) = −2·(−1,−2) = (2,4); ∂N = 2(A − N) = 2·(0,−1) = (0,−2).
     */
    @Test
    void squaredHardByHand() {
        Tensor a = Tensor.fromArray(new float[] {0, 0, 1, 1}, 2, 2).requiresGrad(true);
        Tensor p = Tensor.fromArray(new float[] {1, 0, 2, 3}, 2, 2).requiresGrad(true);
        Tensor n = Tensor.fromArray(new float[] {0, 2, 1, 2}, 2, 2).requiresGrad(true);
        TripletLoss.Result r = TripletLoss.apply(a, p, n);
        assertEquals(4.2f, r.loss().item(), 1e-6f);
        assertArrayEquals(new boolean[] {false, true}, r.active());
        assertEquals(1, r.activeCount());
        assertEquals(0.5, r.activeFraction());
        assertArrayEquals(new float[] {1, 5}, r.apDistance());
        assertArrayEquals(new float[] {4, 1}, r.anDistance());
        r.loss().backward();
        assertArrayEquals(new float[] {0, 0, -2, -2}, a.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0, 0, 2, 4}, p.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0, 0, 0, -2}, n.grad().data(), 1e-6f);

        assertEquals(2.1f, TripletLoss.apply(a, p, n, TripletOptions.DEFAULT.withReduction(Reduction.MEAN))
                .loss().item(), 1e-6f);
        assertEquals(4.2f, TripletLoss.apply(a, p, n, TripletOptions.DEFAULT.withReduction(Reduction.MEAN_ACTIVE))
                .loss().item(), 1e-6f);
    }

    /**
     * Same triplets, L2 distance: triplet 2 has d_ap = √5 = 2.2360680, d_an = 1, L₂ = 2.2360680 − 1 + 0.2
     * = 1.4360680; triplet 1: 1 − 2 + 0.2 < 0. Soft margin, squared L2: softplus(1 − 4) = ln(1 + e⁻³)
     * = 0.0485873, softplus(5 − 1) = ln(1 + e⁴) = 4.0181499; sum 4.0667372.
     */
    @Test
    void l2AndSoftByHand() {
        Tensor a = Tensor.fromArray(new float[] {0, 0, 1, 1}, 2, 2);
        Tensor p = Tensor.fromArray(new float[] {1, 0, 2, 3}, 2, 2);
        Tensor n = Tensor.fromArray(new float[] {0, 2, 1, 2}, 2, 2);
        assertEquals(1.4360680f, TripletLoss.apply(a, p, n, TripletOptions.DEFAULT.withDistance(EmbeddingDistance.L2))
                .loss().item(), 1e-6f);
        TripletLoss.Result soft = TripletLoss.apply(a, p, n, TripletOptions.DEFAULT.withMarginKind(Margin.SOFT));
        assertEquals(4.0667372f, soft.loss().item(), 1e-6f);
        assertEquals(2, soft.activeCount(), "softplus > 0: every triplet is active");
    }

    // ------------------------------------------------------------------ gradient checks

    @ParameterizedTest
    @MethodSource("allOptions")
    void gradCheck(TripletOptions o) {
        Tensor[] apn = LossInputs.triplets(100, 4, 3, o);
        GradCheck.check("triplet " + o, x -> TripletLoss.apply(x[0], x[1], x[2], o).loss(), apn).assertPassed();
    }

    @ParameterizedTest
    @MethodSource("allOptions")
    void fusedAgreesWithComposed(TripletOptions o) {
        Tensor[] apn = LossInputs.triplets(200, 6, 4, o);
        Tensor[] f = {fresh(apn[0]), fresh(apn[1]), fresh(apn[2])};
        Tensor[] c = {fresh(apn[0]), fresh(apn[1]), fresh(apn[2])};
        Tensor fused = TripletLoss.apply(f[0], f[1], f[2], o).loss();
        Tensor ref = composed(c[0], c[1], c[2], o);
        assertAgree(ref.data(), fused.data(), "value");
        fused.backward();
        ref.backward();
        for (int i = 0; i < 3; i++) {
            assertAgree(c[i].grad().data(), f[i].grad().data(), "grad of input " + i);
        }
    }

    // ------------------------------------------------------------------ indexed (mined) variant

    /** Row 0 is an anchor twice and a positive once; row 2 is anchor, positive and negative. */
    private static final int[] ANCHOR = {0, 0, 2, 3, 1};
    private static final int[] POSITIVE = {1, 2, 0, 4, 3};
    private static final int[] NEGATIVE = {3, 4, 1, 1, 2};

    private static Tensor embeddingsClearOfKinks(long start, TripletOptions o) {
        long seed = LossInputs.seedWhere(start, s -> {
            try (Grad.Scope off = Grad.off()) {
                return LossInputs.clearOfKinks(o,
                        TripletLoss.apply(LossInputs.away(s, 5, 3), ANCHOR, POSITIVE, NEGATIVE, o));
            }
        });
        return LossInputs.away(seed, 5, 3);
    }

    @ParameterizedTest
    @MethodSource("allOptions")
    void indexedGradCheck(TripletOptions o) {
        Tensor e = embeddingsClearOfKinks(300, o);
        GradCheck.check("indexed triplet " + o, x -> TripletLoss.apply(x[0], ANCHOR, POSITIVE, NEGATIVE, o).loss(), e)
                .assertPassed();
    }

    /** Scatter-add of the fused op against indexSelect (whose backward also scatter-adds) + composition. */
    @ParameterizedTest
    @MethodSource("allOptions")
    void indexedAgreesWithIndexSelectComposition(TripletOptions o) {
        Tensor e = embeddingsClearOfKinks(400, o);
        Tensor ef = fresh(e);
        Tensor ec = fresh(e);
        Tensor fused = TripletLoss.apply(ef, ANCHOR, POSITIVE, NEGATIVE, o).loss();
        Tensor ref = composed(ec.indexSelect(ANCHOR), ec.indexSelect(POSITIVE), ec.indexSelect(NEGATIVE), o);
        assertAgree(ref.data(), fused.data(), "value");
        fused.backward();
        ref.backward();
        assertAgree(ec.grad().data(), ef.grad().data(), "grad of E");
    }

    @Test
    void indexedEqualsGatheredRows() {
        Tensor e = LossInputs.away(5, 5, 3);
        TripletLoss.Result indexed = TripletLoss.apply(e, ANCHOR, POSITIVE, NEGATIVE);
        TripletLoss.Result gathered = TripletLoss.apply(e.indexSelect(ANCHOR), e.indexSelect(POSITIVE),
                e.indexSelect(NEGATIVE));
        assertEquals(gathered.loss().item(), indexed.loss().item(), 0f);
        assertArrayEquals(gathered.active(), indexed.active());
    }

    // ------------------------------------------------------------------ edge cases

    /** A == P with L2: d_ap = √ε, ∂d_ap/∂A = (A − P)/d_ap = 0/√ε = 0 — finite, where √0 would give 0/0. */
    @Test
    void anchorEqualToPositiveHasFiniteL2Gradient() {
        TripletOptions o = TripletOptions.DEFAULT.withDistance(EmbeddingDistance.L2).withMargin(1f);
        Tensor a = Tensor.fromArray(new float[] {0.5f, -0.25f, 1f}, 1, 3).requiresGrad(true);
        Tensor p = Tensor.fromArray(new float[] {0.5f, -0.25f, 1f}, 1, 3).requiresGrad(true);
        Tensor n = Tensor.fromArray(new float[] {0.5f, 0.25f, 1f}, 1, 3).requiresGrad(true);
        TripletLoss.Result r = TripletLoss.apply(a, p, n, o);
        // d_ap = √1e-8 = 1e-4, d_an = √(0.25 + 1e-8) ≈ 0.5: L = 1e-4 − 0.5 + 1 = 0.5001
        assertEquals(0.5001f, r.loss().item(), 1e-6f);
        r.loss().backward();
        // only the negative term moves: ∂A = −(A − N)/d_an = −(0, −0.5, 0)/0.5 = (0, 1, 0); ∂P = 0; ∂N = (0, −1, 0)
        assertArrayEquals(new float[] {0, 1, 0}, a.grad().data(), 1e-5f);
        assertArrayEquals(new float[] {0, 0, 0}, p.grad().data(), 0f);
        assertArrayEquals(new float[] {0, -1, 0}, n.grad().data(), 1e-5f);
        for (Tensor t : new Tensor[] {a, p, n}) {
            for (float g : t.grad().data()) {
                assertTrue(Float.isFinite(g));
            }
        }
    }

    /** No active triplet: MEAN_ACTIVE would be 0/0; it must give exactly 0 and zero (not NaN) gradients. */
    @Test
    void meanActiveWithNoActiveTripletIsZero() {
        TripletOptions o = TripletOptions.DEFAULT.withReduction(Reduction.MEAN_ACTIVE);
        Tensor a = Tensor.fromArray(new float[] {0, 0, 1, 1}, 2, 2).requiresGrad(true);
        Tensor p = Tensor.fromArray(new float[] {0, 0.1f, 1, 1}, 2, 2).requiresGrad(true);
        Tensor n = Tensor.fromArray(new float[] {3, 0, 1, -2}, 2, 2).requiresGrad(true);
        TripletLoss.Result r = TripletLoss.apply(a, p, n, o);
        assertEquals(0, r.activeCount());
        assertEquals(0.0, r.activeFraction());
        assertEquals(0f, r.loss().item());
        r.loss().backward();
        for (Tensor t : new Tensor[] {a, p, n}) {
            assertArrayEquals(new float[4], t.grad().data(), 0f);
        }
    }

    @Test
    void emptyBatchGivesZero() {
        for (TripletOptions o : allOptions()) {
            Tensor e = LossInputs.away(1, 3, 2);
            TripletLoss.Result r = TripletLoss.apply(e, new int[0], new int[0], new int[0], o);
            assertEquals(0f, r.loss().item(), o::toString);
            assertEquals(0.0, r.activeFraction());
        }
    }

    @Test
    void rejectsBadInput() {
        Tensor x = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> TripletLoss.apply(x, x, Tensor.zeros(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> TripletLoss.apply(x, new int[] {0}, new int[] {1}, new int[0]));
        assertThrows(IndexOutOfBoundsException.class,
                () -> TripletLoss.apply(x, new int[] {0}, new int[] {2}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> TripletOptions.DEFAULT.withMargin(-1f));
        assertThrows(IllegalArgumentException.class, () -> TripletOptions.DEFAULT.withEpsilon(0f));
    }

    @Test
    void defaultsMatchTheMission() {
        TripletOptions d = TripletOptions.DEFAULT;
        assertEquals(EmbeddingDistance.SQUARED_L2, d.distance());
        assertEquals(Margin.HARD, d.marginKind());
        assertEquals(Reduction.SUM, d.reduction());
        assertFalse(d.margin() <= 0f);
    }
}
