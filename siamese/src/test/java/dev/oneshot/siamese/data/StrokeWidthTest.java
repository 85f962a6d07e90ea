package dev.oneshot.siamese.data;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrokeWidthTest {
    private static final int H = 30;
    private static final int W = 50;

    /** Light strokes (1) on dark paper (0): a horizontal bar {@code thick} rows high centred on row 14, columns 5–44. */
    private static float[] bar(int thick) {
        float[] g = new float[H * W];
        for (int y = 14 - thick / 2; y <= 14 + thick / 2; y++) {
            for (int x = 5; x < 45; x++) {
                g[y * W + x] = 1f;
            }
        }
        return g;
    }

    private static float column(float[] g, int x) {
        float s = 0;
        for (int y = 0; y < H; y++) {
            s += g[y * W + x];
        }
        return s;
    }

    @Test
    void thinningLeavesTheCentreLineOfABar() {
        float[] g = bar(7);
        boolean[] b = new boolean[g.length];
        for (int i = 0; i < g.length; i++) {
            b[i] = g[i] > 0.5f;
        }
        StrokeWidth.thin(b, H, W);
        for (int x = 12; x < 38; x++) {
            for (int y = 0; y < H; y++) {
                assertEquals(y == 14, b[y * W + x], "column " + x + ", row " + y);
            }
        }
    }

    @Test
    void aFinePenAndAMarkerComeOutTheSame() {
        float[] fine = StrokeWidth.redraw(bar(3), H, W, false, 4, 1);
        float[] marker = StrokeWidth.redraw(bar(11), H, W, false, 4, 1);
        for (int x = 14; x < 36; x++) {
            // r = 2: rows 12–16 are covered 0.5, 1, 1, 1, 0.5 — strokes 4 pixels wide whatever the pen
            assertEquals(4f, column(fine, x), 1e-6, "column " + x);
            for (int y = 0; y < H; y++) {
                assertEquals(fine[y * W + x], marker[y * W + x], 0f, "column " + x + ", row " + y);
            }
        }
        assertEquals(0.5f, fine[12 * W + 20]);
        assertEquals(1f, fine[13 * W + 20]);
        assertEquals(0f, fine[11 * W + 20]);
        assertTrue(column(bar(11), 20) - column(bar(3), 20) == 8, "as drawn the two differ by 8 pixels a column");
    }

    @Test
    void theWidthScalesWithTheResizeThatFollows() {
        // k = 2 input pixels per output pixel: 3 output pixels are 6 input pixels.
        float[] g = StrokeWidth.redraw(bar(3), H, W, false, 3, 2);
        assertEquals(6f, column(g, 25), 1e-6);
        ImageOptions halve = new ImageOptions(15, 25, Resize.Method.AREA, false).withStrokeWidth(3);
        assertEquals(2.0, StrokeWidth.inputPerOutput(bar(3), H, W, halve, false), 1e-12);
        ImageOptions fit = ImageOptions.square(28).inkFitted(true).withStrokeWidth(3);
        // the ink box is 40 columns wide: 40 / 28 / (20 / 28) = 2 input pixels per output pixel
        assertEquals(2.0, StrokeWidth.inputPerOutput(bar(3), H, W, fit, false), 1e-12);
        assertEquals(1.0, StrokeWidth.inputPerOutput(bar(3), H, W, ImageOptions.nativeSize().withStrokeWidth(3), false));
    }

    @Test
    void paperStaysPaperOnEitherPolarity() {
        float[] dark = bar(5);
        float[] light = new float[dark.length];
        for (int i = 0; i < dark.length; i++) {
            light[i] = 1f - dark[i];
        }
        float[] a = StrokeWidth.redraw(dark, H, W, false, 2.5, 1);
        float[] b = StrokeWidth.redraw(light, H, W, true, 2.5, 1);
        for (int i = 0; i < a.length; i++) {
            assertEquals(1f - a[i], b[i], 1e-6f, "pixel " + i);
        }
        assertEquals(1f, b[0], "the corner is paper");
    }

    @Test
    void convertRedrawsBeforeItFitsAndResizes() {
        ImageOptions plain = ImageOptions.square(28).inkFitted(true);
        float[] fine = GrayImages.convert(bar(3), H, W, plain.withStrokeWidth(2)).pixels();
        float[] marker = GrayImages.convert(bar(9), H, W, plain.withStrokeWidth(2)).pixels();
        float[] fineAsDrawn = GrayImages.convert(bar(3), H, W, plain).pixels();
        float[] markerAsDrawn = GrayImages.convert(bar(9), H, W, plain).pixels();
        // what is left: thinning shortens a bar by about half its width at each end, so the fit's window differs a little
        assertTrue(diff(fine, marker) < 0.15 * diff(fineAsDrawn, markerAsDrawn),
                "redrawn " + diff(fine, marker) + " against as drawn " + diff(fineAsDrawn, markerAsDrawn));
    }

    private static double diff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s;
    }

    @Test
    void aBlankPageIsLeftAloneAndABadWidthIsNamed() {
        float[] blank = new float[H * W];
        assertSame(blank, StrokeWidth.redraw(blank, H, W, false, 2, 1));
        float[] g = bar(3);
        assertSame(g, StrokeWidth.apply(g, H, W, ImageOptions.square(28), false), "off: the image as it was");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputSpec.square(28).withStrokeWidth(-1));
        assertTrue(e.getMessage().contains("stroke_width must be 0 (strokes as drawn) or in (0, 8.0]")
                && e.getMessage().contains("got -1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.square(28).withStrokeWidth(Double.NaN));
    }

    @Test
    void theCardKeepsTheWidthAndOlderCardsReadWithout() {
        InputSpec pen = InputSpec.square(28).inverted().inkFitted().withStrokeWidth(2);
        assertEquals(2.0, pen.imageOptions().strokeWidth());
        InputSpec back = InputSpec.fromJson(JsonObject.parse(Json.write(pen.toJson()), "card.json"));
        assertEquals(pen, back);
        assertFalse(InputSpec.square(28).toJson().containsKey("stroke_width"), "absent when off");
        assertEquals(0.0, InputSpec.fromJson(JsonObject.parse(Json.write(InputSpec.square(28).toJson()), "c.json"))
                .strokeWidth());
        String bad = Json.write(pen.toJson()).replace("\"stroke_width\":2.0", "\"stroke_width\":9");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputSpec.fromJson(JsonObject.parse(bad, "card.json")));
        assertTrue(e.getMessage().contains("stroke_width"), e.getMessage());
        assertArrayEquals(new int[] {1, 28, 28}, back.imageShape());
    }
}
