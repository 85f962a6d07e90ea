package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

class Conv2dTest {

    /** y[n,f,oh,ow] = b[f] + Σ_{c,i,j} w[f,c,i,j]·x[n,c,oh·s−p+i,ow·s−p+j], straight from the definition, in double. */
    private static double[] naiveConv(Tensor x, Tensor w, Tensor b, int s, int p) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int f = w.size(0), kh = w.size(2), kw = w.size(3);
        int oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1;
        double[] y = new double[n * f * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int fi = 0; fi < f; fi++) {
                for (int y0 = 0; y0 < oh; y0++) {
                    for (int x0 = 0; x0 < ow; x0++) {
                        double acc = b == null ? 0.0 : b.get(fi);
                        for (int ci = 0; ci < c; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int r = y0 * s - p + i, col = x0 * s - p + j;
                                    if (r >= 0 && r < h && col >= 0 && col < wd) {
                                        acc += (double) w.get(fi, ci, i, j) * x.get(in, ci, r, col);
                                    }
                                }
                            }
                        }
                        y[((in * f + fi) * oh + y0) * ow + x0] = acc;
                    }
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] s={7} p={8} bias={9}")
    @CsvSource({
        "1, 1, 5, 5, 1, 3, 3, 1, 0, false",
        "2, 3, 8, 8, 4, 3, 3, 1, 1, true",
        "2, 3, 7, 9, 5, 2, 3, 2, 0, true",
        "3, 2, 6, 5, 3, 3, 2, 2, 1, false",
        "1, 2, 5, 7, 2, 5, 3, 1, 2, true",
        "2, 4, 9, 6, 3, 1, 1, 1, 0, true",
        "1, 1, 3, 3, 2, 5, 5, 1, 1, true",
        "2, 2, 10, 11, 3, 4, 4, 3, 2, false",
        "2, 3, 4, 4, 2, 3, 3, 2, 2, true",
        "1, 1, 1, 1, 1, 1, 1, 4, 3, true",
    })
    void forwardMatchesDirectConvolution(int n, int c, int h, int w, int f, int kh, int kw,
                                         int stride, int padding, boolean withBias) {
        Tensor x = Tensor.randn(11, n, c, h, w);
        Tensor wt = Tensor.randn(12, f, c, kh, kw);
        Tensor b = withBias ? Tensor.randn(13, f) : null;
        Tensor y = Conv2d.apply(x, wt, b, stride, padding);
        int oh = (h + 2 * padding - kh) / stride + 1, ow = (w + 2 * padding - kw) / stride + 1;
        assertArrayEquals(new int[] {n, f, oh, ow}, y.shape());
        double[] expected = naiveConv(x, wt, b, stride, padding);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], y.data()[i], 1e-4 + 1e-4 * Math.abs(expected[i]), "element " + i);
        }
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] s={7} p={8}")
    @CsvSource({
        "2, 2, 5, 4, 3, 3, 2, 1, 1",
        "1, 3, 6, 7, 2, 3, 3, 2, 0",
        "2, 1, 4, 4, 2, 2, 3, 2, 2",
        "1, 2, 3, 5, 2, 1, 1, 1, 0",
    })
    void backwardMatchesCentralDifferences(int n, int c, int h, int w, int f, int kh, int kw, int stride, int padding) {
        Tensor x = Tensor.randn(21, n, c, h, w).requiresGrad(true);
        Tensor wt = Tensor.randn(22, f, c, kh, kw).requiresGrad(true);
        Tensor b = Tensor.randn(23, f).requiresGrad(true);
        Tensor y = Conv2d.apply(x, wt, b, stride, padding);
        Tensor r = Tensor.randn(24, y.shape()); // L = Σ r⊙y, so ∂L/∂y = r
        y.backward(r);
        for (Tensor t : new Tensor[] {x, wt, b}) {
            float[] analytic = t.grad().data();
            float[] values = t.data();
            for (int i = 0; i < values.length; i++) {
                float original = values[i];
                float plus = original + 1e-2f;
                float minus = original - 1e-2f;
                values[i] = plus;
                double lossPlus = loss(x, wt, b, r, stride, padding);
                values[i] = minus;
                double lossMinus = loss(x, wt, b, r, stride, padding);
                values[i] = original;
                double numeric = (lossPlus - lossMinus) / ((double) plus - minus);
                double tolerance = 1e-3 + 1e-3 * Math.abs(numeric);
                if (Math.abs(analytic[i] - numeric) > tolerance) {
                    fail("∂L/∂" + (t == x ? "input" : t == wt ? "weight" : "bias") + "[" + i + "]: analytic "
                            + analytic[i] + " vs numeric " + numeric);
                }
            }
        }
    }

    /** Σ r⊙conv2d(x, w, b) in double, without recording a graph. */
    private static double loss(Tensor x, Tensor w, Tensor b, Tensor r, int stride, int padding) {
        try (Grad.Scope off = Grad.off()) {
            float[] y = Conv2d.apply(x, w, b, stride, padding).data();
            double sum = 0.0;
            for (int i = 0; i < y.length; i++) {
                sum += (double) r.data()[i] * y[i];
            }
            return sum;
        }
    }

    @Test
    void onlyTensorsThatRequireGradReceiveOne() {
        Tensor x = Tensor.randn(31, 1, 2, 5, 5);
        Tensor w = Tensor.randn(32, 3, 2, 3, 3).requiresGrad(true);
        Tensor b = Tensor.randn(33, 3);
        Conv2d.apply(x, w, b, 1, 1).sum().backward();
        assertNull(x.grad());
        assertNull(b.grad());
        // L = Σy, so ∂L/∂w[f,c,i,j] = Σ_{oh,ow} x[0, c, oh−1+i, ow−1+j] (zero outside), the same for every f
        float[] gw = w.grad().data();
        for (int f = 0; f < 3; f++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        double expected = 0.0;
                        for (int r = i - 1; r < i + 4; r++) {
                            for (int col = j - 1; col < j + 4; col++) {
                                expected += r >= 0 && r < 5 && col >= 0 && col < 5 ? x.get(0, c, r, col) : 0.0;
                            }
                        }
                        assertEquals(expected, gw[((f * 2 + c) * 3 + i) * 3 + j], 1e-4);
                    }
                }
            }
        }
    }

    @Test
    void biasGradientIsTheSumOfTheOutputGradientPerFilter() {
        Tensor x = Tensor.randn(41, 2, 1, 4, 4);
        Tensor w = Tensor.randn(42, 2, 1, 3, 3);
        Tensor b = Tensor.zeros(2).requiresGrad(true);
        Tensor y = Conv2d.apply(x, w, b, 1, 0); // [2, 2, 2, 2]
        y.backward(Tensor.ones(2, 2, 2, 2));
        assertArrayEquals(new float[] {8f, 8f}, b.grad().data());
    }

    @Test
    void sharedWeightUsedTwiceAccumulatesBothGradients() {
        Tensor x1 = Tensor.randn(51, 1, 2, 5, 5);
        Tensor x2 = Tensor.randn(52, 1, 2, 5, 5);
        Tensor w = Tensor.randn(53, 2, 2, 3, 3).requiresGrad(true);
        Conv2d.apply(x1, w, null, 1, 0).sum().backward();
        float[] g1 = w.grad().data().clone();
        w.zeroGrad();
        Conv2d.apply(x2, w, null, 1, 0).sum().backward();
        float[] g2 = w.grad().data().clone();
        w.zeroGrad();
        Conv2d.apply(x1, w, null, 1, 0).add(Conv2d.apply(x2, w, null, 1, 0)).sum().backward();
        for (int i = 0; i < g1.length; i++) {
            assertEquals(g1[i] + g2[i], w.grad().data()[i], 1e-4);
        }
    }

    @Test
    void tensorShortcutCallsTheOp() {
        Tensor x = Tensor.randn(new SeededRandom(61), 2, 3, 6, 6);
        Tensor w = Tensor.randn(62, 4, 3, 3, 3);
        Tensor b = Tensor.randn(63, 4);
        assertArrayEquals(Conv2d.apply(x, w, b, 2, 1).data(), x.conv2d(w, b, 2, 1).data());
    }

    @Test
    void channelMismatchNamesOpAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.apply(Tensor.zeros(2, 3, 8, 8), Tensor.zeros(4, 2, 3, 3), null, 1, 0));
        assertEquals("conv2d: input [2, 3, 8, 8] and weight [4, 2, 3, 3]: channels differ (3 != 2)", e.getMessage());
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        Tensor x = Tensor.zeros(2, 3, 8, 8);
        Tensor w = Tensor.zeros(4, 3, 3, 3);
        assertMessage("conv2d: input [3, 8, 8] must be 4-D [N, C, H, W], but has rank 3",
                () -> Conv2d.apply(Tensor.zeros(3, 8, 8), w, null, 1, 0));
        assertMessage("conv2d: weight [4, 3, 9] must be 4-D [F, C, KH, KW], but has rank 3",
                () -> Conv2d.apply(x, Tensor.zeros(4, 3, 9), null, 1, 0));
        assertMessage("conv2d: input [2, 3, 8, 8] and weight [4, 3, 3, 3]: bias [5] must be [F] = [4]",
                () -> Conv2d.apply(x, w, Tensor.zeros(5), 1, 0));
        assertMessage("conv2d: input [2, 3, 8, 8] and weight [4, 3, 3, 3]: bias [1, 4] must be [F] = [4]",
                () -> Conv2d.apply(x, w, Tensor.zeros(1, 4), 1, 0));
        assertMessage("conv2d: input [2, 3, 8, 8] and weight [4, 3, 3, 3]: stride must be >= 1, got 0",
                () -> Conv2d.apply(x, w, null, 0, 0));
        assertMessage("conv2d: input [2, 3, 8, 8] and weight [4, 3, 3, 3]: padding must be >= 0, got -1",
                () -> Conv2d.apply(x, w, null, 1, -1));
        assertMessage("conv2d: input [2, 3, 8, 8] and weight [4, 3, 11, 3]: kernel 11x3 does not fit the "
                + "10x10 image (padding 1)", () -> Conv2d.apply(x, Tensor.zeros(4, 3, 11, 3), null, 1, 1));
        assertMessage("conv2d: input [2, 3, 8, 8] and weight [4, 3, 0, 3]: the kernel 0x3 is empty",
                () -> Conv2d.apply(x, Tensor.zeros(4, 3, 0, 3), null, 1, 0));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
