package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward values against hand computation, and train/eval behaviour. */
class LayerForwardTest {
    private static void set(Tensor t, float... values) {
        System.arraycopy(values, 0, t.data(), 0, values.length);
    }

    @Test
    void linearIsXTimesWTransposedPlusB() {
        Linear l = new Linear(2, 3, true, new SeededRandom(1));
        set(l.weight(), 1, 2, 3, 4, 5, 6);      // W = [[1,2],[3,4],[5,6]]
        set(l.bias(), 0.5f, -1, 2);
        Tensor y = l.forward(Tensor.fromArray(new float[] {1, -1, 2, 0.5f}, 2, 2));
        assertArrayEquals(new int[] {2, 3}, y.shape());
        assertArrayEquals(new float[] {-0.5f, -2, 1, 3.5f, 7, 15}, y.data());
        assertArrayEquals(new int[] {3}, l.forward(Tensor.fromArray(new float[] {1, -1}, 2)).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(2, 3)));
        assertEquals("Linear(2, 3): input [2, 3] must end in 2 features", e.getMessage());
    }

    @Test
    void conv2dByHand() {
        Conv2d c = new Conv2d(1, 1, 2, new SeededRandom(1));
        set(c.weight(), 1, 2, 3, 4);
        set(c.bias(), 0.5f);
        Tensor x = Tensor.arange(1, 10, 1).reshape(1, 1, 3, 3); // [[1,2,3],[4,5,6],[7,8,9]]
        // y00 = 1·1 + 2·2 + 4·3 + 5·4 = 37, y01 = 47, y10 = 67, y11 = 77, plus 0.5
        assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, c.forward(x).data());

        Conv2d p = new Conv2d(1, 1, 2, 2, 1, false, new SeededRandom(1));
        set(p.weight(), 1, 2, 3, 4);
        // padded 5×5 input, windows at rows/cols 0 and 2: y00 = 4·x00, y01 = 3·x01 + 4·x02, ...
        assertArrayEquals(new float[] {4, 3 * 2 + 4 * 3, 2 * 4 + 4 * 7, 1 * 5 + 2 * 6 + 3 * 8 + 4 * 9},
                p.forward(x).data());
    }

    @Test
    void flattenKeepsTheBatchAxis() {
        assertArrayEquals(new int[] {2, 12}, new Flatten().forward(Tensor.zeros(2, 3, 2, 2)).shape());
    }

    @Test
    void dropoutIsIdentityInEvalAndScalesInTrain() {
        Dropout d = new Dropout(0.5, new SeededRandom(3));
        Tensor x = Tensor.ones(10_000);
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        float[] y = d.forward(x).data();
        int kept = 0;
        for (float v : y) {
            assertTrue(v == 0f || v == 2f, "values are 0 or 1/(1-p)");
            kept += v > 0 ? 1 : 0;
        }
        assertEquals(5000, kept, 200);
        assertArrayEquals(y, new Dropout(0.5, new SeededRandom(3)).forward(x).data(), "same seed, same mask");
        assertSame(x, new Dropout(0, new SeededRandom(3)).forward(x));
        assertEquals(0f, new Dropout(1, new SeededRandom(3)).forward(x).sum().item());
    }

    @Test
    void batchNormTrainStepUpdatesRunningStatsAsPyTorch() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 6, 5, 10}, 3, 2);
        float[] y = bn.forward(x).data();
        // channel 0: mean 3, biased var 8/3, unbiased var 4; channel 1: mean 6, var 32/3, unbiased 16
        double s0 = Math.sqrt(8.0 / 3 + 1e-5);
        double s1 = Math.sqrt(32.0 / 3 + 1e-5);
        float[] expected = {(float) (-2 / s0), (float) (-4 / s1), 0, 0, (float) (2 / s0), (float) (4 / s1)};
        assertArrayEquals(expected, y, 1e-5f);
        assertArrayEquals(new float[] {0.3f, 0.6f}, bn.runningMean().data(), 1e-6f);   // 0.9·0 + 0.1·mean
        assertArrayEquals(new float[] {1.3f, 2.5f}, bn.runningVar().data(), 1e-6f);    // 0.9·1 + 0.1·unbiased
        assertEquals(1f, bn.stateDict().get("num_batches_tracked").item());

        bn.eval();
        float[] z = bn.forward(x).data();
        assertEquals((1 - 0.3) / Math.sqrt(1.3 + 1e-5), z[0], 1e-5);
        assertEquals((10 - 0.6) / Math.sqrt(2.5 + 1e-5), z[5], 1e-5);
        assertArrayEquals(new float[] {0.3f, 0.6f}, bn.runningMean().data(), 1e-6f, "eval leaves stats alone");
    }

    @Test
    void batchNorm2dNormalisesEachChannelOverBatchAndSpace() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor y = bn.forward(Tensor.randn(4, 5, 3, 4, 4));
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            for (int n = 0; n < 5; n++) {
                for (int i = 0; i < 16; i++) {
                    float v = y.get(n, c, i / 4, i % 4);
                    sum += v;
                    sq += v * v;
                }
            }
            assertEquals(0, sum / 80, 1e-5);
            assertEquals(1, sq / 80, 1e-3);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("more than one value per channel"), e.getMessage());
    }
}
