package dev.oneshot.siamese.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubClassesTest {
    /**
     * Two classes of 4×4 images, each of three kinds (ink in the top rows, the bottom rows or the
     * left columns) with a little noise: image i of a class is kind i mod 3.
     */
    private static InMemoryImages threeKindsPerClass(int perClass) {
        java.util.Random noise = new java.util.Random(5);
        int n = 2 * perClass;
        float[] px = new float[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / perClass;
            int kind = (i % perClass) % 3;
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    boolean ink = kind == 0 ? y < 2 : kind == 1 ? y >= 2 : x < 2;
                    px[i * 16 + y * 4 + x] = (ink ? 1 : 0) + labels[i] * 0.5f + 0.05f * (float) noise.nextGaussian();
                }
            }
        }
        return new InMemoryImages(px, new int[] {1, 4, 4}, labels, List.of("a", "b"), null);
    }

    @Test
    void eachClassSplitsAlongItsKindsOfImage() {
        int perClass = 30;
        InMemoryImages data = threeKindsPerClass(perClass);
        SubClasses sub = new SubClasses(data, 3, 42);
        assertEquals(6, sub.classCount());
        assertEquals(data.size(), sub.size());
        assertEquals("b/2", sub.className(5));
        for (int c = 0; c < 2; c++) {
            int[] subOfKind = {-1, -1, -1};
            for (int j = 0; j < perClass; j++) {
                int i = c * perClass + j;
                int label = sub.label(i);
                assertEquals(c, label / 3, "image " + i + " stays in its class");
                int kind = j % 3;
                if (subOfKind[kind] < 0) {
                    subOfKind[kind] = label;
                }
                assertEquals(subOfKind[kind], label, "image " + i + ": one sub-class per kind");
            }
            assertTrue(subOfKind[0] != subOfKind[1] && subOfKind[1] != subOfKind[2] && subOfKind[0] != subOfKind[2],
                    "three kinds, three sub-classes: " + java.util.Arrays.toString(subOfKind));
        }
        float[] a = new float[16];
        float[] b = new float[16];
        sub.copyImage(7, a, 0);
        data.copyImage(7, b, 0);
        assertArrayEquals(b, a, "the images are the source's");
    }

    @Test
    void theSameSeedSplitsTheSameWayAndKOneKeepsTheLabels() {
        InMemoryImages data = threeKindsPerClass(30);
        SubClasses x = new SubClasses(data, 2, 7);
        SubClasses y = new SubClasses(data, 2, 7);
        int[] lx = new int[data.size()];
        int[] ly = new int[data.size()];
        int[] one = new int[data.size()];
        SubClasses k1 = new SubClasses(data, 1, 7);
        for (int i = 0; i < data.size(); i++) {
            lx[i] = x.label(i);
            ly[i] = y.label(i);
            one[i] = k1.label(i);
            assertEquals(data.label(i), one[i]);
        }
        assertArrayEquals(lx, ly);
        assertEquals(2, k1.classCount());
    }

    @Test
    void aClassSmallerThanKGivesEachImageItsOwnSubClass() {
        InMemoryImages data = threeKindsPerClass(2);
        SubClasses sub = new SubClasses(data, 4, 1);
        assertEquals(List.of(0, 1, 4, 5), java.util.stream.IntStream.range(0, 4).map(sub::label).boxed().toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SubClasses(data, 0, 1));
        assertTrue(e.getMessage().contains("k must be ≥ 1, got 0"), e.getMessage());
        assertEquals(8, sub.classCount());
    }
}
