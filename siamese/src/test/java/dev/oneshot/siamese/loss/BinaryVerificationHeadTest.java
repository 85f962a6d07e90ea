package dev.oneshot.siamese.loss;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BinaryVerificationHeadTest {

    @Test
    void ownsOneLinearOfWidthD() {
        BinaryVerificationHead head = new BinaryVerificationHead(4, new SeededRandom(1));
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(head.namedParameters().keySet()));
        assertArrayEquals(new int[] {1, 4}, head.namedParameters().get("fc.weight").shape());
        assertEquals(5, head.parameterCount());
    }

    /**
     * w = (1, −2), b = 0.5. Pair 1: e1 = (1, 0), e2 = (0, 0.5): v = (1, 0.5), logit = 1 − 1 + 0.5 = 0.5.
     * Pair 2: e1 = (0, 0), e2 = (−3, 1): v = (3, 1), logit = 3 − 2 + 0.5 = 1.5. p = σ(0.5) = 0.6224593, σ(1.5) = 0.8175745.
     */
    @Test
    void logitsAndProbabilityByHand() {
        BinaryVerificationHead head = new BinaryVerificationHead(2, new SeededRandom(1));
        head.setParameter("fc.weight", Tensor.fromArray(new float[] {1, -2}, 1, 2).requiresGrad(true));
        head.setParameter("fc.bias", Tensor.fromArray(new float[] {0.5f}, 1).requiresGrad(true));
        Tensor e1 = Tensor.fromArray(new float[] {1, 0, 0, 0}, 2, 2);
        Tensor e2 = Tensor.fromArray(new float[] {0, 0.5f, -3, 1}, 2, 2);
        assertArrayEquals(new float[] {0.5f, 1.5f}, head.logits(e1, e2).data(), 1e-6f);
        try (Grad.Scope off = Grad.off()) {
            assertArrayEquals(new float[] {0.6224593f, 0.8175745f}, head.probability(e1, e2).data(), 1e-6f);
        }
        // BCE, labels (1, 0): ln(1 + e^−0.5) = 0.4740770 and 1.5 + ln(1 + e^−1.5) = 1.7014135; mean 1.0877453
        assertEquals(1.0877453f, head.loss(e1, e2, new int[] {1, 0}, Reduction.MEAN).item(), 1e-6f);
    }

    /** Gradients reach both embeddings and the head's own w and b (e1 − e2 kept ≥ 0.2 from |·|'s kink). */
    @Test
    void gradCheckThroughTheHead() {
        BinaryVerificationHead head = new BinaryVerificationHead(3, new SeededRandom(2));
        Tensor e1 = LossInputs.away(11, 4, 3);
        Tensor e2 = LossInputs.shiftedAway(e1, 12);
        Tensor w = LossInputs.away(13, 1, 3);
        Tensor b = LossInputs.away(14, 1);
        int[] same = {1, 0, 0, 1};
        for (Reduction r : new Reduction[] {Reduction.SUM, Reduction.MEAN}) { // MEAN_ACTIVE is refused by BCE
            GradCheck.check("binary head " + r, x -> {
                head.setParameter("fc.weight", x[2]);
                head.setParameter("fc.bias", x[3]);
                return head.loss(x[0], x[1], same, r);
            }, e1, e2, w, b).assertPassed();
        }
    }

    @Test
    void rejectsWrongWidth() {
        BinaryVerificationHead head = new BinaryVerificationHead(3, new SeededRandom(3));
        assertThrows(IllegalArgumentException.class, () -> head.logits(Tensor.zeros(2, 4), Tensor.zeros(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> head.logits(Tensor.zeros(2, 3), Tensor.zeros(3, 3)));
    }
}
