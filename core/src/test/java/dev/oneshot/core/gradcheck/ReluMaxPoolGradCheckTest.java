package dev.oneshot.core.gradcheck;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.distinct;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.Pooling;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused {@code reluMaxPool2d} (y = max(maxpool(x), 0), ∂L/∂x[argmax] += ∂L/∂y where y &gt; 0)
 * passes the gradient check, and a copy of it whose backward forgets the ReLU mask (routing
 * ∂L/∂y to the arg-max also where the window has no positive value) fails it — the check can
 * tell the two apart on these inputs.
 */
class ReluMaxPoolGradCheckTest {

    /** The fused forward; {@code forgetMask}: plain max-pool backward (wrong where y = 0). */
    private static Tensor fused(Tensor x, int k, int s, boolean forgetMask) {
        int[] xs = x.shape();
        int planes = xs[0] * xs[1];
        int[] outShape = {xs[0], xs[1], (xs[2] - k) / s + 1, (xs[3] - k) / s + 1};
        float[] out = new float[outShape[0] * outShape[1] * outShape[2] * outShape[3]];
        int[] argmax = new int[out.length];
        Pooling.maxForward(x.data(), planes, xs[2], xs[3], k, s, out, argmax, true);
        return Node.record("sabotaged-reluMaxPool2d", out, outShape, g -> Pooling.maxBackward(g, argmax,
                x.gradData(), planes, false, forgetMask ? null : out), x);
    }

    /** The inputs must have windows whose maximum is negative and windows whose maximum is positive. */
    private static Tensor mixed(Tensor x, int k, int s) {
        boolean negative = false;
        boolean positive = false;
        try (Grad.Scope off = Grad.off()) {
            for (float v : x.maxPool2d(k, s).data()) {
                negative |= v < 0f;
                positive |= v > 0f;
            }
        }
        assertTrue(negative && positive, "windows of one sign only");
        return x;
    }

    @Test
    void fusedOpPasses() {
        GradCheck.check("reluMaxPool2d k2 s2", t -> t[0].reluMaxPool2d(2, 2),
                mixed(distinct(121, -0.85f, 2, 2, 4, 4), 2, 2)).assertPassed();
        GradCheck.check("reluMaxPool2d k3 s1", t -> t[0].reluMaxPool2d(3, 1),
                mixed(distinct(122, -0.85f, 1, 1, 4, 5), 3, 1)).assertPassed();
    }

    @Test
    void faithfulCopyPassesAndTheOneWithoutTheMaskFails() {
        Tensor x = mixed(distinct(123, -0.85f, 2, 2, 4, 4), 2, 2);
        GradCheck.check("faithful copy", t -> fused(t[0], 2, 2, false), x).assertPassed();
        GradCheckReport report = GradCheck.check("mask forgotten", t -> fused(t[0], 2, 2, true), x);
        assertFalse(report.passed(), report.summary());
        Tensor y = mixed(distinct(124, -0.85f, 1, 1, 4, 5), 3, 1);
        GradCheck.check("faithful copy, k3 s1", t -> fused(t[0], 3, 1, false), y).assertPassed();
        GradCheckReport overlap = GradCheck.check("mask forgotten, k3 s1", t -> fused(t[0], 3, 1, true), y);
        assertFalse(overlap.passed(), overlap.summary());
    }
}
