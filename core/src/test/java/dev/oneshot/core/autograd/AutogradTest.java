package dev.oneshot.core.autograd;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutogradTest {
    private static final float TOL = 1e-6f;

    @Test
    void tensorUsedTwiceGetsTheSumOfBothGradients() {
        Tensor x = Tensor.fromArray(new float[] {1f, -2f, 3f}, 3).requiresGrad(true);
        // L = Σ (x·x + 3x)  ⇒  ∂L/∂x = 2x + 3
        x.mul(x).add(x.mul(3f)).sum().backward();
        assertArrayEquals(new float[] {5f, -1f, 9f}, x.grad().data(), TOL);
    }

    /**
     * A twin network applies one weight matrix to two inputs. Its gradient must equal the sum
     * of the gradients of two separately built copies (early tinygrad assigned and got this wrong).
     */
    @Test
    void sharedParameterGradientEqualsSumOfTwoCopies() {
        Tensor x1 = Tensor.randn(1, 4, 5);
        Tensor x2 = Tensor.randn(2, 4, 5);
        Tensor w = Tensor.randn(3, 5, 3).requiresGrad(true);
        towerLoss(x1, w).add(towerLoss(x2, w)).backward();

        Tensor w1 = w.detach().copy().requiresGrad(true);
        Tensor w2 = w.detach().copy().requiresGrad(true);
        towerLoss(x1, w1).add(towerLoss(x2, w2)).backward();

        float[] expected = w1.grad().data().clone();
        for (int i = 0; i < expected.length; i++) {
            expected[i] += w2.grad().data()[i];
        }
        assertArrayEquals(expected, w.grad().data(), 1e-5f);
        assertFalse(java.util.Arrays.equals(w1.grad().data(), w2.grad().data()), "towers must differ for the test to mean anything");
    }

    private static Tensor towerLoss(Tensor x, Tensor w) {
        return x.matmul(w).tanh().square().sum();
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.fromArray(new float[] {2f}, 1).requiresGrad(true);
        x.square().sum().backward();
        x.square().sum().backward();
        assertEquals(8f, x.grad().data()[0], TOL);
        x.zeroGrad();
        assertEquals(0f, x.grad().data()[0]);
    }

    @Test
    void hundredThousandOpChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.fromArray(new float[] {1f}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.add(1f);
        }
        y.sum().backward();
        assertEquals(100_001f, y.data()[0]);
        assertEquals(1f, x.grad().data()[0]);
    }

    @Test
    void secondBackwardThroughAReleasedGraphFailsClearly() {
        Tensor x = Tensor.randn(4, 3).requiresGrad(true);
        Tensor loss = x.exp().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("already released"), e.getMessage());
    }

    @Test
    void backwardThroughASharedSubgraphReleasedByAnotherLossFails() {
        Tensor x = Tensor.randn(5, 3).requiresGrad(true);
        Tensor h = x.exp();
        Tensor l1 = h.sum();
        Tensor l2 = h.mul(2f).sum();
        l1.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, l2::backward);
        assertTrue(e.getMessage().contains("exp"), e.getMessage());
    }

    @Test
    void gradOffBuildsNoGraphAndNests() {
        Tensor x = Tensor.randn(6, 3).requiresGrad(true);
        assertTrue(Grad.isEnabled());
        try (Grad.Scope outer = Grad.off()) {
            try (Grad.Scope inner = Grad.off()) {
                assertFalse(x.exp().requiresGrad());
            }
            assertFalse(Grad.isEnabled(), "closing the inner scope must not re-enable recording");
            Tensor y = x.mul(2f);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
        }
        assertTrue(Grad.isEnabled());
        assertTrue(x.exp().requiresGrad());
    }

    @Test
    void constantsNeedNoGraph() {
        Tensor a = Tensor.ones(2, 2);
        Tensor b = a.add(a);
        assertFalse(b.requiresGrad());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.sum().backward());
        assertTrue(e.getMessage().contains("does not require a gradient"), e.getMessage());
    }

    @Test
    void nonScalarBackwardNeedsASeedOfTheSameShape() {
        Tensor x = Tensor.randn(7, 2, 3).requiresGrad(true);
        Tensor y = x.mul(3f);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3, 2)));
        assertTrue(e2.getMessage().contains("[3, 2]") && e2.getMessage().contains("[2, 3]"), e2.getMessage());
        y.backward(Tensor.ones(2, 3));
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3}, x.grad().data(), TOL);
    }

    @Test
    void intermediateGradientsAreDroppedUnlessRetained() {
        Tensor x = Tensor.randn(8, 3).requiresGrad(true);
        Tensor kept = x.exp().retainGrad();
        Tensor dropped = x.tanh();
        kept.add(dropped).sum().backward();
        assertNotNull(kept.grad());
        assertArrayEquals(new float[] {1f, 1f, 1f}, kept.grad().data(), TOL);
        assertNull(dropped.grad());
        assertNotNull(x.grad());
    }

    @Test
    void onlyLeavesMayChangeRequiresGrad() {
        Tensor x = Tensor.randn(9, 3).requiresGrad(true);
        Tensor y = x.exp();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("exp"), e.getMessage());
        assertFalse(y.detach().requiresGrad());
    }

    @Test
    void diamondGraphVisitsEachNodeOnce() {
        // y = exp(x); L = Σ (y + y·y) ⇒ ∂L/∂x = e^x (1 + 2e^x)
        Tensor x = Tensor.fromArray(new float[] {0.5f, -1f}, 2).requiresGrad(true);
        Tensor y = x.exp();
        y.add(y.mul(y)).sum().backward();
        for (int i = 0; i < 2; i++) {
            double e = Math.exp(x.data()[i]);
            assertEquals(e * (1 + 2 * e), x.grad().data()[i], 1e-5);
        }
    }
}
