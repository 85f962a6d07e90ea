package dev.oneshot.nn.layers;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.oneshot.nn.NnInputs.withParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gradient check that cannot fail proves nothing. For Linear, Conv2d, MaxPool2d and
 * BatchNorm2d (train mode) this test carries a small copy of the layer — forward and backward
 * written out in plain loops with {@link Node#record} — whose backward can be broken in one
 * realistic way, and asserts, at the inputs and tolerances {@link LayerGradCheckTest} checks the
 * real layer at:
 * <ul>
 *   <li>the faithful copy computes the real layer's values (to 10⁻⁶ relative), so it really is the layer;</li>
 *   <li>{@link GradCheck} passes the faithful copy;</li>
 *   <li>{@link GradCheck} rejects the broken copy, and flags only the input or parameter whose
 *       gradient the bug corrupts.</li>
 * </ul>
 * Each copy is also a worked example of its layer's backward: G = ∂L/∂y is the upstream gradient,
 * and every gradient is accumulated ({@code +=}), never assigned.
 */
class SabotagedLayersTest {
    /**
     * The copies sum in another order than the layers' kernels (GEMM, im2col), so the float32
     * outputs may differ by a few ulps: 10⁻⁶ relative, i.e. |a − b| ≤ 10⁻⁶·max(1, |a|).
     */
    private static final double SAME_VALUES = 1e-6;

    /** A copy of a layer as a function of [input, parameters...]; {@code sabotaged} breaks its backward. */
    @FunctionalInterface
    interface LayerCopy {
        Tensor apply(Tensor[] inputs, boolean sabotaged);
    }

    /**
     * One layer: its inputs, the real layer on them, its copy, the bug, and the index of the
     * input whose gradient the bug corrupts (0 = x, then the parameters in order).
     */
    record Case(String layer, String bug, Supplier<Tensor[]> inputs, Function<Tensor[], Tensor> real,
                LayerCopy copy, int flagged) {
        @Override
        public String toString() {
            return layer + ": " + bug;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("Linear", "∂b taken from the last row only (assigned, not summed over the batch)",
                        LayerGradCheckTest::linearInputs, real(LayerGradCheckTest.LINEAR, LayerGradCheckTest.WB),
                        (t, bug) -> linear(t[0], t[1], t[2], bug), 2),
                new Case("Conv2d s2 p1", "padding forgotten when ∂x is scattered back",
                        LayerGradCheckTest::conv2dInputs, real(LayerGradCheckTest.CONV2D, LayerGradCheckTest.WB),
                        (t, bug) -> conv2d(t[0], t[1], t[2], 2, 1, bug), 0),
                new Case("MaxPool2d k2 s2", "∂x routed to the window's first element, not its arg-max",
                        LayerGradCheckTest::maxPoolInputs, real(LayerGradCheckTest.MAX_POOL, new String[0]),
                        (t, bug) -> maxPool2d(t[0], 2, 2, bug), 0),
                new Case("BatchNorm2d train", "μ and σ² treated as constants in ∂x",
                        LayerGradCheckTest::batchNorm2dInputs,
                        real(LayerGradCheckTest.BATCH_NORM_2D, LayerGradCheckTest.WB),
                        (t, bug) -> batchNorm2d(t[0], t[1], t[2], 1e-5, bug), 0));
    }

    private static Function<Tensor[], Tensor> real(Supplier<Module> layer, String[] parameterNames) {
        return t -> withParams(layer, parameterNames, t);
    }

    // ------------------------------------------------------------------ the tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void faithfulCopyIsTheLayerAndPasses(Case c) {
        Tensor expected;
        Tensor actual;
        try (Grad.Scope off = Grad.off()) {
            expected = c.real().apply(copies(c.inputs().get()));
            actual = c.copy().apply(copies(c.inputs().get()), false);
        }
        assertArrayEquals(expected.shape(), actual.shape(), c.layer() + ": output shape");
        for (int i = 0; i < expected.numel(); i++) {
            float e = expected.data()[i];
            assertEquals(e, actual.data()[i], SAME_VALUES * Math.max(1, Math.abs(e)),
                    c.layer() + ": output element " + i);
        }
        GradCheck.check("faithful " + c.layer() + " copy", t -> c.copy().apply(t, false), c.inputs().get())
                .assertPassed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sabotagedCopyFails(Case c) {
        GradCheckReport report = GradCheck.check(c.toString(), t -> c.copy().apply(t, true), c.inputs().get());
        assertFalse(report.passed(), report.summary());
        String flagged = "input " + c.flagged() + " element ";
        assertTrue(report.worstEntry().startsWith(flagged), () -> "worst entry should be on input " + c.flagged()
                + ": " + report.worstEntry());
        assertTrue(report.failures().stream().allMatch(f -> f.startsWith("Jacobian mismatch at " + flagged)),
                () -> "only input " + c.flagged() + " should be flagged: " + report.failures());
    }

    private static Tensor[] copies(Tensor[] inputs) {
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = inputs[i].copy();
        }
        return out;
    }

    // ------------------------------------------------------------------ Linear

    /**
     * y[n, o] = Σᵢ x[n, i]·W[o, i] + b[o] for x [N, in], W [out, in], b [out]. Backward:
     * <pre>  ∂x[n, i] = Σₒ G[n, o]·W[o, i]     (G·W)
     *   ∂W[o, i] = Σₙ G[n, o]·x[n, i]     (Gᵀ·x: a sum over the batch)
     *   ∂b[o]    = Σₙ G[n, o]             (b is added to every row, so every row contributes)</pre>
     * The bug assigns ∂b[o] = G[n, o] inside the loop over rows, keeping only the last row.
     */
    static Tensor linear(Tensor x, Tensor w, Tensor b, boolean biasFromLastRowOnly) {
        int rows = x.size(0);
        int in = x.size(1);
        int out = w.size(0);
        float[] xd = x.data();
        float[] wd = w.data();
        float[] bd = b.data();
        float[] y = new float[rows * out];
        for (int n = 0; n < rows; n++) {
            for (int o = 0; o < out; o++) {
                double s = bd[o];
                for (int i = 0; i < in; i++) {
                    s += (double) xd[n * in + i] * wd[o * in + i];
                }
                y[n * out + o] = (float) s;
            }
        }
        return Node.record("sabotaged-linear", y, new int[] {rows, out}, g -> {
            float[] gx = x.gradData();
            float[] gw = w.gradData();
            float[] gb = b.gradData();
            for (int n = 0; n < rows; n++) {
                for (int o = 0; o < out; o++) {
                    float go = g[n * out + o];
                    for (int i = 0; i < in; i++) {
                        gx[n * in + i] += go * wd[o * in + i];
                        gw[o * in + i] += go * xd[n * in + i];
                    }
                    if (biasFromLastRowOnly) {
                        gb[o] = go; // the bug: = where += belongs
                    } else {
                        gb[o] += go;
                    }
                }
            }
        }, x, w, b);
    }

    // ------------------------------------------------------------------ Conv2d

    /**
     * y[n, f, r, c] = b[f] + Σ_{ch, i, j} W[f, ch, i, j]·x[n, ch, r·s − p + i, c·s − p + j] for
     * x [N, C, H, W], W [F, C, k, k], stride s, zero padding p (taps that land in the padding
     * read 0). Every output element touches k·k·C inputs and weights, so its G is sent back along
     * the same taps:
     * <pre>  ∂W[f, ch, i, j]                    += G[n, f, r, c]·x[n, ch, r·s − p + i, c·s − p + j]
     *   ∂x[n, ch, r·s − p + i, c·s − p + j] += G[n, f, r, c]·W[f, ch, i, j]
     *   ∂b[f]                             += G[n, f, r, c]</pre>
     * The bug scatters ∂x to (r·s + i, c·s + j), forgetting the −p the forward read with.
     */
    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int s, int p, boolean forgetsPadding) {
        int batch = x.size(0);
        int channels = x.size(1);
        int h = x.size(2);
        int wid = x.size(3);
        int filters = w.size(0);
        int k = w.size(2);
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (wid + 2 * p - k) / s + 1;
        float[] xd = x.data();
        float[] wd = w.data();
        float[] bd = b.data();
        float[] y = new float[batch * filters * oh * ow];
        for (int n = 0; n < batch; n++) {
            for (int f = 0; f < filters; f++) {
                for (int r = 0; r < oh; r++) {
                    for (int c = 0; c < ow; c++) {
                        double sum = bd[f];
                        for (int ch = 0; ch < channels; ch++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int row = r * s - p + i;
                                    int col = c * s - p + j;
                                    if (row >= 0 && row < h && col >= 0 && col < wid) {
                                        sum += (double) wd[((f * channels + ch) * k + i) * k + j]
                                                * xd[((n * channels + ch) * h + row) * wid + col];
                                    }
                                }
                            }
                        }
                        y[((n * filters + f) * oh + r) * ow + c] = (float) sum;
                    }
                }
            }
        }
        return Node.record("sabotaged-conv2d", y, new int[] {batch, filters, oh, ow}, g -> {
            float[] gx = x.gradData();
            float[] gw = w.gradData();
            float[] gb = b.gradData();
            int shift = forgetsPadding ? 0 : p;
            for (int n = 0; n < batch; n++) {
                for (int f = 0; f < filters; f++) {
                    for (int r = 0; r < oh; r++) {
                        for (int c = 0; c < ow; c++) {
                            float go = g[((n * filters + f) * oh + r) * ow + c];
                            gb[f] += go;
                            for (int ch = 0; ch < channels; ch++) {
                                for (int i = 0; i < k; i++) {
                                    for (int j = 0; j < k; j++) {
                                        int tap = ((f * channels + ch) * k + i) * k + j;
                                        int row = r * s - p + i;
                                        int col = c * s - p + j;
                                        if (row >= 0 && row < h && col >= 0 && col < wid) {
                                            gw[tap] += go * xd[((n * channels + ch) * h + row) * wid + col];
                                        }
                                        int gRow = r * s - shift + i; // the bug: shift 0 instead of p
                                        int gCol = c * s - shift + j;
                                        if (gRow >= 0 && gRow < h && gCol >= 0 && gCol < wid) {
                                            gx[((n * channels + ch) * h + gRow) * wid + gCol] += go * wd[tap];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }, x, w, b);
    }

    // ------------------------------------------------------------------ MaxPool2d

    /**
     * y[n, ch, r, c] = max_{i, j < k} x[n, ch, r·s + i, c·s + j]. Only the maximum moves y, so
     * ∂y/∂x is 1 at the window's arg-max and 0 elsewhere:
     * <pre>  ∂x[argmax(n, ch, r, c)] += G[n, ch, r, c]</pre>
     * (the forward remembers each arg-max). The bug sends G to the window's first (top-left)
     * element instead — right whenever the maximum happens to sit there, wrong everywhere else.
     */
    static Tensor maxPool2d(Tensor x, int k, int s, boolean toFirstElement) {
        int planes = x.size(0) * x.size(1);
        int h = x.size(2);
        int wid = x.size(3);
        int oh = (h - k) / s + 1;
        int ow = (wid - k) / s + 1;
        float[] xd = x.data();
        float[] y = new float[planes * oh * ow];
        int[] argmax = new int[y.length];
        int[] first = new int[y.length];
        for (int plane = 0; plane < planes; plane++) {
            for (int r = 0; r < oh; r++) {
                for (int c = 0; c < ow; c++) {
                    int o = (plane * oh + r) * ow + c;
                    first[o] = (plane * h + r * s) * wid + c * s;
                    argmax[o] = first[o];
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int at = (plane * h + r * s + i) * wid + c * s + j;
                            if (xd[at] > xd[argmax[o]]) {
                                argmax[o] = at;
                            }
                        }
                    }
                    y[o] = xd[argmax[o]];
                }
            }
        }
        int[] target = toFirstElement ? first : argmax;
        return Node.record("sabotaged-maxPool2d", y, new int[] {x.size(0), x.size(1), oh, ow}, g -> {
            float[] gx = x.gradData();
            for (int o = 0; o < y.length; o++) {
                gx[target[o]] += g[o];
            }
        }, x);
    }

    // ------------------------------------------------------------------ BatchNorm2d (train)

    /**
     * Per channel ch, over its m = N·H·W values: μ = (1/m) Σ x, σ² = (1/m) Σ (x − μ)²,
     * x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β. In training μ and σ² are functions of the batch, so
     * x reaches y three ways: directly, through μ and through σ². Summing the three paths:
     * <pre>  ∂β = Σ G,   ∂γ = Σ G·x̂,   with ĝ = γ·G (the gradient reaching x̂):
     *   ∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / √(σ² + ε)</pre>
     * The −mean(ĝ) term is the path through μ, the −x̂·mean(ĝ·x̂) term the path through σ².
     * The bug — the classic one — treats μ and σ² as constants and keeps only ĝ/√(σ² + ε);
     * that is the right backward in eval mode, where they are the running statistics.
     */
    static Tensor batchNorm2d(Tensor x, Tensor gamma, Tensor beta, double eps, boolean statisticsAsConstants) {
        int batch = x.size(0);
        int channels = x.size(1);
        int plane = x.size(2) * x.size(3);
        int m = batch * plane;
        float[] xd = x.data();
        float[] y = new float[xd.length];
        double[] xHat = new double[xd.length];
        double[] invStd = new double[channels];
        for (int ch = 0; ch < channels; ch++) {
            double mean = 0;
            for (int at : positions(ch, batch, channels, plane)) {
                mean += xd[at];
            }
            mean /= m;
            double var = 0;
            for (int at : positions(ch, batch, channels, plane)) {
                var += (xd[at] - mean) * (xd[at] - mean);
            }
            var /= m; // biased, as the forward normalises with
            invStd[ch] = 1 / Math.sqrt(var + eps);
            for (int at : positions(ch, batch, channels, plane)) {
                xHat[at] = (xd[at] - mean) * invStd[ch];
                y[at] = (float) (gamma.data()[ch] * xHat[at] + beta.data()[ch]);
            }
        }
        return Node.record("sabotaged-batchNorm2d", y, x.shape(), g -> {
            float[] gx = x.gradData();
            float[] gGamma = gamma.gradData();
            float[] gBeta = beta.gradData();
            for (int ch = 0; ch < channels; ch++) {
                double gam = gamma.data()[ch];
                double sumG = 0;
                double sumGxHat = 0;
                for (int at : positions(ch, batch, channels, plane)) {
                    sumG += g[at];
                    sumGxHat += g[at] * xHat[at];
                }
                gBeta[ch] += (float) sumG;
                gGamma[ch] += (float) sumGxHat;
                double meanGHat = gam * sumG / m;         // mean(ĝ): the path through μ
                double meanGHatXHat = gam * sumGxHat / m; // mean(ĝ·x̂): the path through σ²
                for (int at : positions(ch, batch, channels, plane)) {
                    double gHat = gam * g[at];
                    double dx = statisticsAsConstants
                            ? gHat * invStd[ch] // the bug: both paths through the statistics dropped
                            : (gHat - meanGHat - xHat[at] * meanGHatXHat) * invStd[ch];
                    gx[at] += (float) dx;
                }
            }
        }, x, gamma, beta);
    }

    /** The flat indices of channel ch's m = N·H·W values in an NCHW tensor. */
    private static int[] positions(int ch, int batch, int channels, int plane) {
        int[] at = new int[batch * plane];
        for (int n = 0; n < batch; n++) {
            for (int q = 0; q < plane; q++) {
                at[n * plane + q] = (n * channels + ch) * plane + q;
            }
        }
        return at;
    }
}
