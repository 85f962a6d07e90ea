package dev.oneshot.siamese.loss;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.gradcheck.KinkFreeInputs;
import dev.oneshot.core.tensor.Tensor;

import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded test inputs for the losses (a small equivalent of core's test helper {@code Inputs}),
 * plus the search that keeps gradient checks away from the hinge kinks.
 */
final class LossInputs {
    /** Distance from a kink (hinge at 0, contrastive margin) that the checker's step never crosses. */
    static final double KINK_CLEARANCE = 0.3;

    private LossInputs() {
    }

    /** Magnitudes in [0.2, 1.5] with random signs, requiresGrad set. */
    static Tensor away(long seed, int... shape) {
        return KinkFreeInputs.away(seed, shape);
    }

    /** base + away(seed): every element differs from base's by at least 0.2 (safe for |x − y|). */
    static Tensor shiftedAway(Tensor base, long seed) {
        return KinkFreeInputs.shiftedAway(base, seed);
    }

    /**
     * The {@link Reduction} of per-item losses l [m] composed from core ops (an oracle for the
     * fused losses): sum, mean, or sum · (1/k) with k = #{lᵢ > 0} counted as a constant.
     */
    static Tensor reduce(Tensor l, Reduction r) {
        return switch (r) {
            case SUM -> l.sum();
            case MEAN -> l.mean();
            case MEAN_ACTIVE -> {
                int k = 0;
                for (float v : l.data()) {
                    k += v > 0f ? 1 : 0;
                }
                yield l.sum().mul(k == 0 ? 0f : 1f / k);
            }
        };
    }

    /** The first seed ≥ start that satisfies {@code ok} (deterministic; fails after 10 000 tries). */
    static long seedWhere(long start, LongPredicate ok) {
        for (long s = start; s < start + 10_000; s++) {
            if (ok.test(s)) {
                return s;
            }
        }
        throw new AssertionError("no seed from " + start + " satisfies the input condition");
    }

    /** Triplet inputs A, P, N [m, d] clear of the hinge; for the hard margin, some active and some not. */
    static Tensor[] triplets(long start, int m, int d, TripletOptions o) {
        long seed = seedWhere(start, s -> clearOfKinks(o, tripletsFromSeed(s, m, d)));
        return tripletsFromSeed(seed, m, d);
    }

    private static Tensor[] tripletsFromSeed(long s, int m, int d) {
        return new Tensor[] {away(3 * s, m, d), away(3 * s + 1, m, d), away(3 * s + 2, m, d)};
    }

    /** True when every |uᵢ + α| and every distance is ≥ {@link #KINK_CLEARANCE}, with mixed activity (hard). */
    static boolean clearOfKinks(TripletOptions o, Tensor[] apn) {
        try (Grad.Scope off = Grad.off()) {
            return clearOfKinks(o, TripletLoss.apply(apn[0], apn[1], apn[2], o));
        }
    }

    static boolean clearOfKinks(TripletOptions o, TripletLoss.Result r) {
        int active = 0;
        for (int i = 0; i < r.active().length; i++) {
            double hinge = r.apDistance()[i] - r.anDistance()[i] + o.margin();
            if (Math.abs(hinge) < KINK_CLEARANCE || r.apDistance()[i] < KINK_CLEARANCE
                    || r.anDistance()[i] < KINK_CLEARANCE) {
                return false;
            }
            active += hinge > 0 ? 1 : 0;
        }
        return o.marginKind() == TripletOptions.Margin.SOFT || (active > 0 && active < r.active().length);
    }

    /** |actual − expected| ≤ 1e-5·max(1, |expected|), elementwise: the fused-vs-composed tolerance. */
    static void assertAgree(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * Math.max(1.0, Math.abs(expected[i]));
            double diff = Math.abs(expected[i] - actual[i]);
            final int at = i;
            assertTrue(diff <= tol, () -> what + "[" + at + "]: composed " + expected[at] + " vs fused " + actual[at]);
        }
    }

    /** A leaf copy with requiresGrad set, so two paths get independent gradient buffers. */
    static Tensor fresh(Tensor t) {
        return t.copy().requiresGrad(true);
    }
}
