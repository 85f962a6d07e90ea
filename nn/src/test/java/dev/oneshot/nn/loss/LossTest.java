package dev.oneshot.nn.loss;

import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.oneshot.nn.NnInputs.away;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LossTest {
    @Test
    void mseValueAndGradient() {
        Tensor y = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor t = Tensor.fromArray(new float[] {0, 2, 5, 4}, 2, 2);
        assertEquals((1 + 0 + 4 + 0) / 4f, MseLoss.apply(y, t).item());
        GradCheck.check("mseLoss", x -> MseLoss.apply(x[0], x[1]), away(1, 3, 4), away(2, 3, 4)).assertPassed();
        var e = assertThrows(IllegalArgumentException.class, () -> MseLoss.apply(y, Tensor.zeros(2)));
        assertEquals("mseLoss: prediction [2, 2] and target [2] differ in shape", e.getMessage());
    }

    @Test
    void crossEntropyByHand() {
        Tensor z = Tensor.fromArray(new float[] {1, 2, 3, 0, 0, 0}, 2, 3);
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
        double l1 = Math.log(3);
        assertEquals((l0 + l1) / 2, SoftmaxCrossEntropy.apply(z, new int[] {0, 2}).item(), 1e-6);
    }

    @Test
    void crossEntropyGradientCheck() {
        GradCheck.check("softmaxCrossEntropy", x -> SoftmaxCrossEntropy.apply(x[0], new int[] {0, 3, 1, 4}),
                away(3, 4, 5)).assertPassed();
        GradCheck.check("softmaxCrossEntropy scaled", x -> SoftmaxCrossEntropy.apply(x[0], new int[] {2, 0})
                .mul(3f), away(4, 2, 3)).assertPassed();
    }

    @Test
    void crossEntropyIsFiniteAndExactAtPlusMinus1000() {
        Tensor z = Tensor.fromArray(new float[] {1000, -1000, -1000, 1000, 1000, 1000}, 3, 2).requiresGrad(true);
        Tensor loss = SoftmaxCrossEntropy.apply(z, new int[] {0, 0, 1});
        // row 0 right with certainty: 0; row 1 wrong by 2000: 2000; row 2 a tie: ln 2
        assertEquals((0 + 2000 + Math.log(2)) / 3, loss.item(), 1e-3);
        loss.backward();
        // ∂L/∂z = (softmax − onehot)/n
        float third = 1f / 3;
        assertArrayEquals(new float[] {0, 0, -third, third, 0.5f * third, -0.5f * third}, z.grad().data(), 1e-7f);
    }

    @Test
    void crossEntropyRejectsBadTargets() {
        Tensor z = Tensor.zeros(2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.apply(z, new int[] {0, 3}));
        assertEquals("softmaxCrossEntropy: target 3 at row 1 is outside [0, 3)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.apply(z, new int[] {0}));
    }
}
