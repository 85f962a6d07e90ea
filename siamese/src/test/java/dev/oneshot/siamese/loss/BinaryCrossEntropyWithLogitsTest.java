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
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinaryCrossEntropyWithLogitsTest {
    static final int[] LABELS = {1, 0, 0, 1, 1, 0};

    /** Independent path: ℓ = softplus(x) − x·z (core's softplus is itself stable). */
    static Tensor composed(Tensor x, Tensor z, Reduction r) {
        Tensor l = x.softplus().sub(x.mul(z));
        return r == Reduction.SUM ? l.sum() : l.mean();
    }

    static Tensor targets(int[] labels) {
        float[] z = new float[labels.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = labels[i];
        }
        return Tensor.wrap(z, z.length);
    }

    /**
     * x = 0, z = 1: ℓ = 0 − 0 + log1p(1) = ln 2 = 0.6931472, ∂ℓ/∂x = σ(0) − 1 = −0.5.
     * x = 2, z = 0: ℓ = 2 − 0 + log1p(e⁻²) = 2 + 0.1269280 = 2.1269280, ∂ℓ/∂x = σ(2) = 0.8807971.
     * MEAN = (0.6931472 + 2.1269280)/2 = 1.4100376, gradients halved.
     */
    @Test
    void byHand() {
        Tensor x = Tensor.fromArray(new float[] {0f, 2f}, 2).requiresGrad(true);
        Tensor l = BinaryCrossEntropyWithLogits.apply(x, new int[] {1, 0});
        assertEquals(1.4100376f, l.item(), 1e-6f);
        l.backward();
        assertArrayEquals(new float[] {-0.25f, 0.44039853f}, x.grad().data(), 1e-6f);
        assertEquals(2.8200752f, BinaryCrossEntropyWithLogits.apply(x, new int[] {1, 0}, Reduction.SUM).item(), 1e-6f);
    }

    /**
     * Logits ±1000 with both labels. ℓ = max(x,0) − x·z + log1p(e^−1000) (the last term is 0 in
     * float): (1000, 1) → 1000 − 1000 = 0;  (1000, 0) → 1000;  (−1000, 0) → 0;  (−1000, 1) → 0 + 1000.
     * Gradients σ(x) − z: 1 − 1 = 0, 1 − 0 = 1, 0 − 0 = 0, 0 − 1 = −1. All finite.
     */
    @Test
    void extremeLogitsStayFinite() {
        Tensor x = Tensor.fromArray(new float[] {1000f, 1000f, -1000f, -1000f}, 4).requiresGrad(true);
        int[] z = {1, 0, 0, 1};
        Tensor l = BinaryCrossEntropyWithLogits.apply(x, z, Reduction.SUM);
        assertEquals(2000f, l.item(), 0f);
        l.backward();
        assertArrayEquals(new float[] {0f, 1f, 0f, -1f}, x.grad().data(), 0f);
        for (int i = 0; i < 4; i++) {
            Tensor xi = Tensor.fromArray(new float[] {x.data()[i]}, 1).requiresGrad(true);
            Tensor li = BinaryCrossEntropyWithLogits.apply(xi, new int[] {z[i]}, Reduction.MEAN);
            li.backward();
            assertEquals(new float[] {0f, 1000f, 0f, 1000f}[i], li.item(), 0f, "value at " + i);
            assertEquals(new float[] {0f, 1f, 0f, -1f}[i], xi.grad().data()[0], 0f, "gradient at " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"SUM", "MEAN"})
    void gradCheckBothLabels(Reduction r) {
        GradCheck.check("bce " + r, x -> BinaryCrossEntropyWithLogits.apply(x[0], LABELS, r),
                LossInputs.away(3, 6)).assertPassed();
    }

    @Test
    void gradCheckSoftTargets() {
        Tensor z = Tensor.fromArray(new float[] {0.1f, 0.9f, 0.5f, 0.3f}, 4);
        GradCheck.check("bce soft targets", x -> BinaryCrossEntropyWithLogits.apply(x[0], z, Reduction.MEAN),
                LossInputs.away(4, 4)).assertPassed();
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"SUM", "MEAN"})
    void fusedAgreesWithComposed(Reduction r) {
        Tensor x = LossInputs.away(5, 6);
        for (int i = 0; i < 6; i++) {
            x.data()[i] *= 4; // logits up to ±6: well into the saturated region
        }
        Tensor f = fresh(x);
        Tensor c = fresh(x);
        Tensor fused = BinaryCrossEntropyWithLogits.apply(f, LABELS, r);
        Tensor ref = composed(c, targets(LABELS), r);
        assertAgree(ref.data(), fused.data(), "value");
        fused.backward();
        ref.backward();
        assertAgree(c.grad().data(), f.grad().data(), "grad");
    }

    @Test
    void rejectsBadInput() {
        Tensor x = Tensor.zeros(2);
        assertThrows(IllegalArgumentException.class, () -> BinaryCrossEntropyWithLogits.apply(x, new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> BinaryCrossEntropyWithLogits.apply(x, new int[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryCrossEntropyWithLogits.apply(x, Tensor.fromArray(new float[] {0.5f, 1.5f}, 2), Reduction.SUM));
    }

    /** MEAN_ACTIVE would be MEAN under another name (every term is > 0): refused, naming the loss and the constant. */
    @Test
    void refusesMeanActive() {
        Tensor x = Tensor.zeros(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinaryCrossEntropyWithLogits.apply(x, new int[] {1, 0}, Reduction.MEAN_ACTIVE));
        assertTrue(e.getMessage().contains("bceWithLogits") && e.getMessage().contains("MEAN_ACTIVE"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BinaryCrossEntropyWithLogits.apply(x, Tensor.zeros(2), Reduction.MEAN_ACTIVE));
    }
}
