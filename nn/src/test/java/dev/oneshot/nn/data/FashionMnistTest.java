package dev.oneshot.nn.data;

import dev.oneshot.core.testing.RequiredData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the real Fashion-MNIST files; skipped when the Debian package is not installed. */
class FashionMnistTest {

    private static void assumeInstalled() {
        RequiredData.require(Files.isDirectory(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist");
    }

    private static void checkSplit(IdxDataset d, int n, int[] firstLabels) {
        assertEquals(n, d.size());
        assertArrayEquals(new int[] {n, 1, 28, 28}, d.images().shape());
        int[] counts = new int[10];
        for (int y : d.labels()) {
            assertTrue(y >= 0 && y <= 9, "label " + y + " outside 0..9");
            counts[y]++;
        }
        for (int c = 0; c < 10; c++) { // both splits are balanced: n / 10 images per class
            assertEquals(n / 10, counts[c], "images of class " + c + " (" + FashionMnist.className(c) + ")");
        }
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : d.images().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        for (int i = 0; i < firstLabels.length; i++) {
            assertEquals(firstLabels[i], d.labels()[i], "label " + i);
        }
    }

    @Test
    void testSet() throws IOException {
        assumeInstalled();
        IdxDataset d = FashionMnist.test();
        checkSplit(d, 10_000, new int[] {9, 2, 1, 1, 6}); // Ankle boot, Pullover, Trouser, Trouser, Shirt
        assertEquals("Ankle boot", FashionMnist.className(d.labels()[0]));
    }

    @Test
    void trainingSet() throws IOException {
        assumeInstalled();
        checkSplit(FashionMnist.train(), 60_000, new int[] {9, 0, 0, 3, 0});
    }
}
