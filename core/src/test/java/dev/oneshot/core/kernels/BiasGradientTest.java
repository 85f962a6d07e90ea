package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The conv bias gradient ({@link ConvKernel#biasBackward}, whose per-image plane sums run four
 * planes side by side on batch norm's plane-sum loops) gives bit for bit the one-plane
 * {@link ConvKernel#rowSum} added in image order — plane lengths with and without a vector
 * step and a tail, batches not a multiple of four, 1 and 2 threads.
 */
class BiasGradientTest {
    @Test
    void equalsTheRowSumsAddedInImageOrder() {
        int saved = Gemm.threads();
        Random r = new Random(5);
        try {
            for (int[] s : new int[][] {{5, 3, 17}, {128, 64, 49}, {9, 4, 784}, {3, 2, 9}, {130, 8, 196}}) {
                int batch = s[0];
                int filters = s[1];
                int p = s[2];
                float[] gy = new float[batch * filters * p];
                for (int i = 0; i < gy.length; i++) {
                    gy[i] = (float) (r.nextGaussian() * Math.exp(2 * r.nextGaussian()));
                }
                float[] expected = new float[filters];
                for (int f = 0; f < filters; f++) {
                    expected[f] = 0.25f * f;
                }
                float[] start = expected.clone();
                for (int n = 0; n < batch; n++) {
                    for (int f = 0; f < filters; f++) {
                        expected[f] += ConvKernel.rowSum(gy, (n * filters + f) * p, p);
                    }
                }
                for (int threads = 1; threads <= 2; threads++) {
                    Gemm.setThreads(threads);
                    float[] gb = start.clone();
                    ConvKernel.biasBackward(gy, batch, filters, p, gb);
                    assertArrayEquals(expected, gb, batch + "x" + filters + "x" + p + ", threads " + threads);
                }
            }
        } finally {
            Gemm.setThreads(saved);
        }
    }
}
