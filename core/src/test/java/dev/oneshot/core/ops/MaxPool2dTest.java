package dev.oneshot.core.ops;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaxPool2dTest {
    /** A 4×4 image as [1, 1, 4, 4]; flat indices 0..15 row by row. */
    private static Tensor image() {
        return Tensor.fromArray(new float[] {
            1, 3, 2, 0,
            4, 2, 1, 5,
            0, 6, 7, 1,
            2, 1, 3, 8,
        }, 1, 1, 4, 4);
    }

    @Test
    void forwardTwoByTwoStrideTwoOnHandExample() {
        Tensor y = MaxPool2d.apply(image(), 2, 2);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {4, 5, 6, 8}, y.data());
    }

    @Test
    void backwardRoutesEachGradientToItsArgMax() {
        Tensor x = image().requiresGrad(true);
        MaxPool2d.apply(x, 2, 2).backward(Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        float[] expected = new float[16];
        expected[4] = 1;  // 4 at (1, 0)
        expected[7] = 2;  // 5 at (1, 3)
        expected[9] = 3;  // 6 at (2, 1)
        expected[15] = 4; // 8 at (3, 3)
        assertArrayEquals(expected, x.grad().data());
    }

    @Test
    void overlappingWindowsSumAtASharedWinner() {
        Tensor x = image().requiresGrad(true);
        Tensor y = MaxPool2d.apply(x, 3, 1);
        assertArrayEquals(new float[] {7, 7, 7, 8}, y.data()); // 7 at (2, 2) wins three windows
        y.backward(Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        float[] expected = new float[16];
        expected[10] = 1 + 2 + 3;
        expected[15] = 4;
        assertArrayEquals(expected, x.grad().data());
    }

    @Test
    void tieGoesToTheFirstMaximumInRowOrder() {
        Tensor x = Tensor.fromArray(new float[] {0, 5, 5, 1}, 1, 1, 2, 2).requiresGrad(true);
        MaxPool2d.apply(x, 2, 2).sum().backward();
        assertArrayEquals(new float[] {0, 1, 0, 0}, x.grad().data());
    }

    @Test
    void rowsAndColumnsTheLastWindowMissesAreIgnored() {
        float[] v = new float[25];
        for (int i = 0; i < 5; i++) {
            v[4 * 5 + i] = 100; // last row
            v[i * 5 + 4] = 100; // last column
        }
        v[0] = 1;
        Tensor y = MaxPool2d.apply(Tensor.wrap(v, 1, 1, 5, 5), 2, 2);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {1, 0, 0, 0}, y.data());
    }

    @Test
    void nanPropagates() {
        Tensor x = Tensor.fromArray(new float[] {1, Float.NaN, 3, 2}, 1, 1, 2, 2);
        assertTrue(Float.isNaN(MaxPool2d.apply(x, 2, 2).item()));
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] k={4} s={5}")
    @CsvSource({"2, 3, 6, 6, 2, 2", "1, 2, 7, 5, 3, 2", "3, 1, 5, 8, 2, 1", "2, 2, 4, 4, 4, 3"})
    void batchedChannelsMatchADirectLoop(int n, int c, int h, int w, int k, int s) {
        Tensor x = Tensor.randn(71, n, c, h, w).requiresGrad(true);
        Tensor y = MaxPool2d.apply(x, k, s);
        int oh = (h - k) / s + 1, ow = (w - k) / s + 1;
        assertArrayEquals(new int[] {n, c, oh, ow}, y.shape());
        Tensor seed = Tensor.randn(72, n, c, oh, ow);
        y.backward(seed);
        float[] xs = x.data();
        float[] expectedGrad = new float[xs.length];
        int o = 0;
        for (int plane = 0; plane < n * c; plane++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int best = -1;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int idx = (plane * h + r * s + i) * w + q * s + j;
                            if (best < 0 || xs[idx] > xs[best]) {
                                best = idx;
                            }
                        }
                    }
                    assertEquals(xs[best], y.data()[o], 0f);
                    expectedGrad[best] += seed.data()[o];
                    o++;
                }
            }
        }
        assertArrayEquals(expectedGrad, x.grad().data());
    }

    @Test
    void usingTheOutputTwiceDoublesTheGradient() {
        Tensor once = Tensor.randn(81, 2, 2, 6, 6).requiresGrad(true);
        MaxPool2d.apply(once, 2, 2).sum().backward();
        Tensor twice = once.copy().requiresGrad(true);
        MaxPool2d.apply(twice, 2, 2).add(MaxPool2d.apply(twice, 2, 2)).sum().backward();
        float[] expected = once.grad().data().clone();
        for (int i = 0; i < expected.length; i++) {
            expected[i] *= 2f;
        }
        assertArrayEquals(expected, twice.grad().data());
    }

    @Test
    void tensorShortcutCallsTheOp() {
        Tensor x = Tensor.randn(91, 2, 3, 6, 6);
        assertArrayEquals(MaxPool2d.apply(x, 3, 2).data(), x.maxPool2d(3, 2).data());
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertMessage("maxPool2d: input [3, 4, 5] must be 4-D [N, C, H, W], but has rank 3",
                () -> MaxPool2d.apply(Tensor.zeros(3, 4, 5), 2, 2));
        assertMessage("maxPool2d: input [2, 3, 4, 5]: kernel must be >= 1, got 0", () -> MaxPool2d.apply(x, 0, 1));
        assertMessage("maxPool2d: input [2, 3, 4, 5]: stride must be >= 1, got 0", () -> MaxPool2d.apply(x, 2, 0));
        assertMessage("maxPool2d: input [2, 3, 4, 5]: kernel 5x5 does not fit the 4x5 image",
                () -> MaxPool2d.apply(x, 5, 1));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
