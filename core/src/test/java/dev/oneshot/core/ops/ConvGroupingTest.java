package dev.oneshot.core.ops;

import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batches whose images the conv kernel puts side by side in one GEMM (small outputs, a batch
 * that is not a multiple of the block or of the ∂W group): the same values as image by image,
 * and bitwise the same for 1, 2 and 3 threads.
 */
class ConvGroupingTest {
    private record Run(float[] y, float[] gx, float[] gw, float[] gb) {
    }

    private static Run run(Tensor x0, Tensor w0, Tensor b0, Tensor r, int threads) {
        int saved = Gemm.threads();
        Gemm.setThreads(threads);
        try {
            Tensor x = x0.copy().requiresGrad(true);
            Tensor w = w0.copy().requiresGrad(true);
            Tensor b = b0.copy().requiresGrad(true);
            Tensor y = x.conv2d(w, b, 1, 1);
            float[] ys = y.data().clone();
            y.backward(r);
            return new Run(ys, x.gradData().clone(), w.gradData().clone(), b.gradData().clone());
        } finally {
            Gemm.setThreads(saved);
        }
    }

    @Test
    void blocksOfImagesGiveWhatImagesOneByOneGiveAndDoNotDependOnTheThreadCount() {
        int n = 19;
        Tensor x = Tensor.randn(31, n, 3, 3, 3);   // 3×3 outputs: many images per GEMM
        Tensor w = Tensor.randn(32, 5, 3, 3, 3);
        Tensor b = Tensor.randn(33, 5);
        Tensor r = Tensor.randn(34, n, 5, 3, 3);
        Run one = run(x, w, b, r, 1);
        for (int threads : new int[] {2, 3}) {
            Run many = run(x, w, b, r, threads);
            assertArrayEquals(one.y(), many.y(), "y, " + threads + " threads");
            assertArrayEquals(one.gx(), many.gx(), "∂x, " + threads + " threads");
            assertArrayEquals(one.gw(), many.gw(), "∂W, " + threads + " threads");
            assertArrayEquals(one.gb(), many.gb(), "∂b, " + threads + " threads");
        }
        // image by image (batch 1 each): y and ∂x per image, ∂W and ∂b summed
        float[] gw = new float[w.numel()];
        float[] gb = new float[b.numel()];
        int per = x.numel() / n;
        int perOut = r.numel() / n;
        for (int i = 0; i < n; i++) {
            Run single = run(x.sliceRows(i, i + 1), w, b, r.sliceRows(i, i + 1), 1);
            for (int k = 0; k < perOut; k++) {
                assertEquals(single.y()[k], one.y()[i * perOut + k], 1e-5f, "y of image " + i);
            }
            for (int k = 0; k < per; k++) {
                assertEquals(single.gx()[k], one.gx()[i * per + k], 1e-4f, "∂x of image " + i);
            }
            for (int k = 0; k < gw.length; k++) {
                gw[k] += single.gw()[k];
            }
            for (int k = 0; k < gb.length; k++) {
                gb[k] += single.gb()[k];
            }
        }
        for (int k = 0; k < gw.length; k++) {
            assertEquals(gw[k], one.gw()[k], 1e-3f * (1 + Math.abs(gw[k])), "∂W[" + k + "]");
        }
        for (int k = 0; k < gb.length; k++) {
            assertEquals(gb[k], one.gb()[k], 1e-3f * (1 + Math.abs(gb[k])), "∂b[" + k + "]");
        }
    }
}
