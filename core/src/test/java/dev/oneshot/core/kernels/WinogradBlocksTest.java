package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How {@link WinogradConv}'s backward splits a ∂W group into blocks of images: the rule
 * ({@link WinogradConv#imagesPerBlock}) on the layers it is tuned for, and that the split changes
 * no bit of ∂W, ∂x or ∂b — the groups alone set the order of the sums.
 */
class WinogradBlocksTest {
    @Test
    void blocksAreWholeImagesOfAboutOneToTwoHundredTilesWithTheFullestLastStrip() {
        assertEquals(5, WinogradConv.imagesPerBlock(49, 5));   // 14×14: 245 tiles (3 images leave 13 of 160)
        assertEquals(8, WinogradConv.imagesPerBlock(16, 16));  // 7×7: 128 tiles, whole strips
        assertEquals(1, WinogradConv.imagesPerBlock(196, 8));  // 28×28: one image is already 196
        assertEquals(1, WinogradConv.imagesPerBlock(1024, 8)); // an image above 256 tiles: one
        assertEquals(2, WinogradConv.imagesPerBlock(64, 4));   // 16×16: 128 tiles
        assertEquals(3, WinogradConv.imagesPerBlock(16, 3));   // a group below the minimum: the whole group
        assertEquals(32, WinogradConv.imagesPerBlock(4, 64));  // 4×4 images: 128 tiles
    }

    @Test
    void theSplitIntoBlocksChangesNoBit() {
        Random rnd = new Random(9);
        int[][] shapes = {{7, 7, 16, 8, 21}, {14, 14, 8, 6, 7}, {5, 6, 3, 4, 40}}; // H, W, C, F, batch
        int saved = Parallel.threads();
        try {
            for (int[] s : shapes) {
                Im2Col.Geometry g = new Im2Col.Geometry(s[2], s[0], s[1], 3, 3, 1, 1);
                int batch = s[4];
                float[] x = gaussian(rnd, batch * s[2] * s[0] * s[1]);
                float[] w = gaussian(rnd, s[3] * s[2] * 9);
                float[] gy = gaussian(rnd, batch * s[3] * s[0] * s[1]);
                float[][] reference = null;
                for (int threads : new int[] {1, 2}) {
                    Parallel.setThreads(threads);
                    for (int images : new int[] {0, 1, 2, 3, 100}) { // 0: the rule's blocks
                        float[] gw = new float[w.length];
                        float[] gx = new float[x.length];
                        float[] gb = new float[s[3]];
                        if (images == 0) {
                            WinogradConv.backward(g, batch, s[3], x, w, gy, gw, gx, true, gb);
                        } else {
                            WinogradConv.backwardInBlocksOf(images, g, batch, s[3], x, w, gy, gw, gx, true, gb);
                        }
                        if (reference == null) {
                            reference = new float[][] {gw, gx, gb};
                        } else {
                            String at = java.util.Arrays.toString(s) + " blocks of " + images + ", threads " + threads;
                            assertArrayEquals(reference[0], gw, "∂w " + at);
                            assertArrayEquals(reference[1], gx, "∂x " + at);
                            assertArrayEquals(reference[2], gb, "∂b " + at);
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
