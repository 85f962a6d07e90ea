package dev.oneshot.siamese.data;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InkFitTest {
    private static final ImageOptions FIT = ImageOptions.square(28).inverted(true).inkFitted(true);

    /** A PGM of {@code h × w} white paper (255) with an "L" of dark ink (0): a bar of n rows down from (top, left), a foot of n/2 columns. */
    private static byte[] letterL(int h, int w, int top, int left, int n) {
        int[] samples = new int[h * w];
        java.util.Arrays.fill(samples, 255);
        int thick = Math.max(1, n / 5);
        for (int y = top; y < top + n; y++) {
            for (int x = left; x < left + thick; x++) {
                samples[y * w + x] = 0;
            }
        }
        for (int y = top + n - thick; y < top + n; y++) {
            for (int x = left; x < left + n / 2; x++) {
                samples[y * w + x] = 0;
            }
        }
        return NetpbmTest.binary('5', w, h, 255, samples);
    }

    /** Rows and columns {first, last} holding a value above ½ in a 28 × 28 plane. */
    private static int[] box(float[] p) {
        int[] b = {28, -1, 28, -1};
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (p[y * 28 + x] > 0.5f) {
                    b[0] = Math.min(b[0], y);
                    b[1] = Math.max(b[1], y);
                    b[2] = Math.min(b[2], x);
                    b[3] = Math.max(b[3], x);
                }
            }
        }
        return b;
    }

    @Test
    void theInkFillsFiveSeventhsOfTheFrameCentredWhereverAndHoweverLargeItWasDrawn() throws IOException {
        float[] small = GrayImages.decode(letterL(105, 105, 10, 60, 20), "small.pgm", FIT).pixels();
        float[] large = GrayImages.decode(letterL(105, 105, 30, 20, 60), "large.pgm", FIT).pixels();
        int[] b = box(large);
        assertEquals(20, b[1] - b[0] + 1, 1, "rows of ink: 5/7 of 28");
        assertEquals(14, (b[0] + b[1] + 1) / 2.0, 1, "centred vertically");
        assertEquals(14, (b[2] + b[3] + 1) / 2.0, 1, "centred horizontally");
        assertArrayEquals(b, box(small), "the same box whatever the size and place it was drawn at");
        double diff = 0;
        for (int i = 0; i < small.length; i++) {
            diff = Math.max(diff, Math.abs(small[i] - large[i]));
        }
        assertTrue(diff < 0.35, "the same letter at a third of the size differs by its pixel grid only: " + diff);
        float[] unfitted = GrayImages.decode(letterL(105, 105, 10, 60, 20), "small.pgm", FIT.inkFitted(false)).pixels();
        assertTrue(box(unfitted)[1] - box(unfitted)[0] + 1 <= 7, "without the fit the small letter stays small");
    }

    @Test
    void strokesComeOutAsOneOnZeroWhicheverPaperTheyWereDrawnOn() throws IOException {
        byte[] dark = letterL(105, 105, 30, 20, 60);
        int[] light = new int[105 * 105];
        float[] darkPixels = GrayImages.decode(dark, "d.pgm", ImageOptions.nativeSize()).pixels();
        for (int i = 0; i < light.length; i++) {
            light[i] = 255 - Math.round(darkPixels[i] * 255); // the same letter, light on dark paper
        }
        byte[] onDark = NetpbmTest.binary('5', 105, 105, 255, light);
        assertTrue(GrayImages.lightPaper(darkPixels));
        for (ImageOptions o : new ImageOptions[] {FIT, FIT.inkFitted(false)}) {
            float[] fromLight = GrayImages.decode(dark, "on-light.pgm", o).pixels();
            float[] fromDark = GrayImages.decode(onDark, "on-dark.pgm", o).pixels();
            assertArrayEquals(fromLight, fromDark, 1e-6f, "fit " + o.fitInk() + " (1 − v before or after resizing)");
            assertEquals(0f, fromLight[0], "the paper is 0");
        }
    }

    @Test
    void lightInkOnDarkPaperIsFittedWhenNotInverted() {
        float[] g = new float[40 * 40];
        for (int y = 5; y < 15; y++) {
            g[y * 40 + 30] = 1f; // a vertical stroke of 10 rows at column 30
        }
        GrayImages.Plane w = InkFit.crop(g, 40, 40, 28, 28, false);
        assertEquals(14, w.height(), "10 rows of ink are 5/7 of a 14-row window");
        assertEquals(14, w.width());
        float[] out = w.pixels();
        assertEquals(0f, out[0], "outside the stroke: the dark paper");
        // The box's centre (row 10, column 30.5) at the window's (7, 7): rows 5–14 at 2–11, column 30 at 6.
        assertEquals(1f, out[2 * 14 + 6], "the stroke runs down the window's middle");
        assertEquals(1f, out[11 * 14 + 6]);
        assertEquals(0f, out[1 * 14 + 6], "above the stroke");
        assertEquals(0f, out[12 * 14 + 6], "below the stroke");
    }

    @Test
    void aPageWithoutInkIsLeftAsItWasAndAFitNeedsASize() throws IOException {
        int[] blank = new int[30 * 30];
        java.util.Arrays.fill(blank, 255);
        byte[] pgm = NetpbmTest.binary('5', 30, 30, 255, blank);
        assertArrayEquals(GrayImages.decode(pgm, "blank.pgm", FIT.inkFitted(false)).pixels(),
                GrayImages.decode(pgm, "blank.pgm", FIT).pixels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageOptions.nativeSize().inkFitted(true));
        assertTrue(e.getMessage().contains("needs a size"), e.getMessage());
    }

    @Test
    void theCardKeepsTheFitAndOlderCardsReadWithoutIt() {
        InputSpec fitted = InputSpec.square(28).inverted().inkFitted();
        assertTrue(fitted.imageOptions().fitInk());
        InputSpec back = InputSpec.fromJson(JsonObject.parse(Json.write(fitted.toJson()), "card.json"));
        assertEquals(fitted, back);
        assertFalse(InputSpec.square(28).toJson().containsKey("fit_ink"), "absent when off: older cards read the same");
        assertFalse(InputSpec.fromJson(JsonObject.parse(Json.write(InputSpec.square(28).toJson()), "c.json")).fitInk());
    }
}
