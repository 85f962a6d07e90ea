package dev.oneshot.siamese.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RotatedClassesTest {
    /** Two 1×3×3 images of two classes: pixel values 1..9 and 11..19, row-major. */
    private static InMemoryImages twoImages() {
        float[] px = new float[18];
        for (int i = 0; i < 9; i++) {
            px[i] = (i + 1) / 100f;
            px[9 + i] = (i + 11) / 100f;
        }
        return new InMemoryImages(px, new int[] {1, 3, 3}, new int[] {0, 1}, List.of("a", "b"),
                List.of(Map.of("alphabet", "A"), Map.of("alphabet", "B")));
    }

    private static float[] times100(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i] * 100);
        }
        return out;
    }

    @Test
    void fourTurnsMakeFourTimesTheClassesWithTheirOwnLabelsAndNames() {
        RotatedClasses r = new RotatedClasses(twoImages(), 4);
        assertEquals(8, r.size());
        assertEquals(8, r.classCount());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, r.labels(0, 1, 2, 3, 4, 5, 6, 7));
        assertEquals("a", r.className(0));
        assertEquals("b@90", r.className(3));
        assertEquals("a@180", r.className(4));
        assertEquals("b@270", r.className(7));
        assertEquals("B", r.metadata(5).get("alphabet"));
        int[][] byClass = r.indicesByClass();
        for (int c = 0; c < 8; c++) {
            assertArrayEquals(new int[] {c}, byClass[c]);
        }
    }

    @Test
    void pixelsTurnCounterClockwise() {
        RotatedClasses r = new RotatedClasses(twoImages(), 4);
        // 1 2 3 / 4 5 6 / 7 8 9 turned 90° counter-clockwise: 3 6 9 / 2 5 8 / 1 4 7
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, times100(r.image(0)));
        assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, times100(r.image(2)));
        assertArrayEquals(new float[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, times100(r.image(4)));
        assertArrayEquals(new float[] {7, 4, 1, 8, 5, 2, 9, 6, 3}, times100(r.image(6)));
        assertArrayEquals(new float[] {19, 18, 17, 16, 15, 14, 13, 12, 11}, times100(r.image(5)));
    }

    @Test
    void twoTurnsAddOnlyTheUpsideDownClasses() {
        RotatedClasses r = new RotatedClasses(twoImages(), 2);
        assertEquals(4, r.classCount());
        assertEquals("a@180", r.className(2));
        assertArrayEquals(new float[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, times100(r.image(2)));
    }

    @Test
    void eightViewsAddTheMirrorImageInEachTurn() {
        RotatedClasses r = new RotatedClasses(twoImages(), 8);
        assertEquals(16, r.classCount());
        assertEquals("a@m", r.className(8));
        assertEquals("b@m90", r.className(11));
        assertEquals("a@180", r.className(4));
        assertEquals("b@m270", r.className(15));
        // 1 2 3 / 4 5 6 / 7 8 9 mirrored: 3 2 1 / 6 5 4 / 9 8 7; then turned 90° counter-clockwise: 1 4 7 / 2 5 8 / 3 6 9
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, times100(r.image(8)));
        assertArrayEquals(new float[] {1, 4, 7, 2, 5, 8, 3, 6, 9}, times100(r.image(10)));
        assertArrayEquals(new float[] {7, 8, 9, 4, 5, 6, 1, 2, 3}, times100(r.image(12)));
        assertArrayEquals(new float[] {9, 6, 3, 8, 5, 2, 7, 4, 1}, times100(r.image(14)));
        assertArrayEquals(new float[] {13, 16, 19, 12, 15, 18, 11, 14, 17}, times100(r.image(3)), "unmirrored turns unchanged");
    }

    @Test
    void upsideDownNeedsNoSquare() {
        InMemoryImages wide = new InMemoryImages(new float[] {.01f, .02f, .03f, .04f, .05f, .06f}, new int[] {1, 2, 3},
                new int[] {0}, List.of("a"), null);
        RotatedClasses r = new RotatedClasses(wide, 2);
        // 1 2 3 / 4 5 6 upside down: 6 5 4 / 3 2 1
        assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, times100(r.image(1)));
        assertEquals("a@180", r.className(1));
    }

    @Test
    void gatherWritesTurnedImagesAtTheirOffsets() {
        RotatedClasses r = new RotatedClasses(twoImages(), 4);
        float[] batch = r.gather(6, 0).data();
        assertArrayEquals(new float[] {7, 4, 1, 8, 5, 2, 9, 6, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9}, times100(batch));
    }

    @Test
    void refusesNonSquareImagesAndOtherTurnCounts() {
        InMemoryImages wide = new InMemoryImages(new float[6], new int[] {1, 2, 3}, new int[] {0}, List.of("a"), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RotatedClasses(wide, 4));
        assertTrue(e.getMessage().contains("2×3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RotatedClasses(twoImages(), 3));
        assertTrue(e.getMessage().contains("got 3"), e.getMessage());
    }
}
