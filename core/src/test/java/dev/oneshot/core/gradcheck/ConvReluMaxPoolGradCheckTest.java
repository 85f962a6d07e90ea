package dev.oneshot.core.gradcheck;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.away;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.ConvKernel;
import dev.oneshot.core.kernels.Im2Col;
import dev.oneshot.core.kernels.Pooling;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused {@code conv2dReluMaxPool2d} passes the gradient check (its rows are in
 * {@link OpChecks}); a copy built from the same kernels passes too, and copies whose backward
 * forgets the ReLU mask, or routes each window's gradient to its top-left element instead of
 * its arg-max, fail — the check tells them apart on these inputs.
 */
class ConvReluMaxPoolGradCheckTest {
    private enum Backward { FAITHFUL, NO_MASK, TOP_LEFT }

    /** x [N, C, H, W] ⊛ w [F, C, 3, 3] + b, padding 1, ReLU, 2×2 pooling, with the chosen backward. */
    private static Tensor copy(Tensor x, Tensor w, Tensor b, Backward kind) {
        int[] xs = x.shape();
        int filters = w.size(0);
        Im2Col.Geometry geo = new Im2Col.Geometry(xs[1], xs[2], xs[3], 3, 3, 1, 1);
        int p = geo.outPixels();
        int[] outShape = {xs[0], filters, geo.outHeight() / 2, geo.outWidth() / 2};
        float[] out = new float[xs[0] * filters * outShape[2] * outShape[3]];
        int[] argmax = new int[out.length];
        ConvKernel.forwardReluMaxPool2x2(geo, xs[0], filters, x.data(), w.data(), b.data(), out, argmax);
        if (kind == Backward.TOP_LEFT) {
            int ow = geo.outWidth();
            for (int o = 0; o < argmax.length; o++) {
                int plane = argmax[o] / p;
                int within = argmax[o] % p;
                argmax[o] = plane * p + (within / ow) / 2 * 2 * ow + (within % ow) / 2 * 2;
            }
        }
        return Node.record("sabotaged-conv2dReluMaxPool2d", out, outShape, g -> {
            float[] gy = new float[xs[0] * filters * p];
            Pooling.maxBackward(g, argmax, gy, xs[0] * filters, false, kind == Backward.NO_MASK ? null : out);
            ConvKernel.backward(geo, xs[0], filters, x.data(), w.data(), gy, w.gradData(), x.gradData());
            ConvKernel.biasBackward(gy, xs[0], filters, p, b.gradData());
        }, x, w, b);
    }

    /** The inputs' pooled outputs must include windows the ReLU cuts and windows whose maximum is not top-left. */
    private static Tensor[] inputs() {
        Tensor x = away(131, 2, 2, 4, 6);
        Tensor w = away(132, 3, 2, 3, 3);
        Tensor b = away(133, 3);
        try (Grad.Scope off = Grad.off()) {
            float[] conv = x.conv2d(w, b, 1, 1).data();
            boolean cut = false;
            boolean notTopLeft = false;
            for (int plane = 0; plane < 6; plane++) {
                for (int r = 0; r < 4; r += 2) {
                    for (int c = 0; c < 6; c += 2) {
                        int i = plane * 24 + r * 6 + c;
                        float m = Math.max(Math.max(conv[i], conv[i + 1]), Math.max(conv[i + 6], conv[i + 7]));
                        cut |= m < 0f;
                        notTopLeft |= m > 0f && m != conv[i];
                    }
                }
            }
            assertTrue(cut && notTopLeft, "inputs do not tell the sabotaged copies apart");
        }
        return new Tensor[] {x, w, b};
    }

    @Test
    void faithfulCopyPassesAndTheSabotagedOnesFail() {
        Tensor[] in = inputs();
        GradCheck.check("fused op", t -> t[0].conv2dReluMaxPool2d(t[1], t[2], 1, 1), in).assertPassed();
        GradCheck.check("faithful copy", t -> copy(t[0], t[1], t[2], Backward.FAITHFUL), in).assertPassed();
        for (Backward wrong : new Backward[] {Backward.NO_MASK, Backward.TOP_LEFT}) {
            GradCheckReport report = GradCheck.check(wrong.name(), t -> copy(t[0], t[1], t[2], wrong), in);
            assertFalse(report.passed(), report.summary());
        }
    }
}
