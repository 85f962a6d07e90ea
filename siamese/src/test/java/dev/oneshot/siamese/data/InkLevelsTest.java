package dev.oneshot.siamese.data;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import dev.oneshot.siamese.recipe.Recipes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InkLevelsTest {
    private static final int SIDE = 40;

    /** A pen on paper: 0 (ink) on 1 (paper), an "L" and a ring, about 10 % ink. */
    private static float[] drawing() {
        float[] g = new float[SIDE * SIDE];
        java.util.Arrays.fill(g, 1f);
        for (int y = 5; y < 35; y++) {
            g[y * SIDE + 8] = 0f;
            g[y * SIDE + 9] = 0f;
        }
        for (int x = 8; x < 25; x++) {
            g[34 * SIDE + x] = 0f;
        }
        for (int y = 10; y < 20; y++) {
            for (int x = 20; x < 30; x++) {
                double r = Math.hypot(y - 14.5, x - 24.5);
                if (r > 3.5 && r < 5) {
                    g[y * SIDE + x] = 0f;
                }
            }
        }
        return g;
    }

    /** {@code g} as a scan would read it: ink at {@code ink}, paper at {@code paper}. */
    private static float[] scanned(float[] g, float ink, float paper) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = ink + (paper - ink) * g[i];
        }
        return out;
    }

    @Test
    void pureInkAndPaperAreLeftAsTheyAreEitherWayRound() {
        float[] pen = drawing();
        assertArrayEquals(pen, InkLevels.stretch(pen, SIDE, SIDE), 0f);
        float[] chalk = scanned(pen, 1f, 0f); // light strokes on dark paper
        assertArrayEquals(chalk, InkLevels.stretch(chalk, SIDE, SIDE), 0f);
        float[] bold = new float[SIDE * SIDE]; // more ink than paper: the median is ink
        for (int i = 0; i < bold.length; i++) {
            bold[i] = i % 3 == 0 ? 1f : 0f;
        }
        assertArrayEquals(bold, InkLevels.stretch(bold, SIDE, SIDE), 0f);
    }

    @Test
    void greyPaperAndAFaintPencilReadAsAPenOnWhite() {
        float[] pen = drawing();
        assertArrayEquals(pen, InkLevels.stretch(scanned(pen, 0.2f, 0.8f), SIDE, SIDE), 1e-6f);
        assertArrayEquals(pen, InkLevels.stretch(scanned(pen, 0.55f, 0.9f), SIDE, SIDE), 1e-6f);
        float[] chalk = scanned(pen, 1f, 0f);
        assertArrayEquals(chalk, InkLevels.stretch(scanned(pen, 0.6f, 0.1f), SIDE, SIDE), 1e-6f, "grey chalk on a dark board");
    }

    @Test
    void lightFallingOffAcrossThePageDividesOut() {
        float[] pen = drawing();
        float[] photo = new float[pen.length];
        for (int i = 0; i < pen.length; i++) { // paper from 0.55 at the left edge to 1 at the right; ink a third of it
            float paper = 0.55f + 0.45f * (i % SIDE) / (SIDE - 1);
            photo[i] = paper * (pen[i] + (1 - pen[i]) / 3f);
        }
        float[] out = InkLevels.stretch(photo, SIDE, SIDE);
        double worst = 0;
        for (int i = 0; i < pen.length; i++) {
            worst = Math.max(worst, Math.abs(out[i] - pen[i]));
        }
        // the local paper is the brightest within 3 pixels: up to 4 % above the paper under the ink, so not exact
        assertTrue(worst < 0.1, "worst pixel off by " + worst);
        float left = photo[20 * SIDE + 1];
        assertTrue(left < 0.6f && out[20 * SIDE + 1] > 0.9f, "the dim left edge reads as paper: " + left + " -> "
                + out[20 * SIDE + 1]);
    }

    @Test
    void theLocalPaperIsTheBrightestValueNearby() {
        float[] u = new float[5 * 4];
        u[2 * 4 + 1] = 1f;
        float[] m = InkLevels.localMax(u, 5, 4, 1);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(Math.abs(y - 2) <= 1 && Math.abs(x - 1) <= 1 ? 1f : 0f, m[y * 4 + x], "(" + y + ", " + x + ")");
            }
        }
    }

    @Test
    void theRunningMaximumIsTheWindowsMaximumForEveryRadius() {
        java.util.Random rng = new java.util.Random(7);
        for (int[] hw : new int[][] {{1, 1}, {5, 4}, {13, 29}, {40, 7}, {70, 45}}) {
            int h = hw[0];
            int w = hw[1];
            float[] u = new float[h * w];
            for (int i = 0; i < u.length; i++) {
                u[i] = rng.nextFloat();
            }
            for (int r = 0; r <= 31; r += (r < 4 ? 1 : 9)) {
                float[] fast = InkLevels.localMax(u, h, w, r);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float m = Float.NEGATIVE_INFINITY;
                        for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                            for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                                m = Math.max(m, u[yy * w + xx]);
                            }
                        }
                        assertEquals(m, fast[y * w + x], h + "×" + w + ", r = " + r + ", (" + y + ", " + x + ")");
                    }
                }
            }
        }
    }

    @Test
    void orderStatisticsAreTheValuesASortPlacesAtThoseRanks() {
        java.util.Random rng = new java.util.Random(11);
        for (int n : new int[] {1, 2, 17, 200, 5000, 100_003}) {
            float[][] inputs = new float[5][n];
            for (int i = 0; i < n; i++) {
                inputs[0][i] = rng.nextFloat();                      // all distinct, nearly
                inputs[1][i] = rng.nextInt(4) == 0 ? rng.nextInt(256) / 255f : 1f; // mostly paper
                inputs[2][i] = 0.5f;                                 // all equal
                inputs[3][i] = i;                                    // ascending
                inputs[4][i] = n - i;                                // descending
            }
            for (float[] v : inputs) {
                float[] sorted = v.clone();
                java.util.Arrays.sort(sorted);
                int q = n / 200;
                float[] got = InkLevels.orderStatistics(v, q, n / 2, n - 1 - q);
                assertArrayEquals(new float[] {sorted[q], sorted[n / 2], sorted[n - 1 - q]}, got, "n = " + n);
                assertArrayEquals(new float[] {sorted[0], sorted[n - 1]}, InkLevels.orderStatistics(v, 0, n - 1));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> InkLevels.orderStatistics(new float[] {1, 2, 3}, 2, 1));
    }

    @Test
    void aFewStrayPixelsDoNotSetTheLevels() {
        float[] faint = scanned(drawing(), 0.5f, 0.9f);
        faint[0] = 0f; // a speck of dust, darker than any ink
        faint[1] = 0f;
        float[] out = InkLevels.stretch(faint, SIDE, SIDE);
        assertEquals(0f, out[8 * SIDE + 8], 1e-6f, "the ink still reads as full ink");
        assertEquals(1f, out[2 * SIDE + 30], 1e-6f, "the paper as paper");
        assertEquals(0f, out[0], "the speck is clamped");
    }

    @Test
    void aPageWithoutContrastIsReturnedAsItWas() {
        float[] flat = new float[SIDE * SIDE];
        java.util.Arrays.fill(flat, 0.7f);
        flat[5] = 0.69f;
        assertSame(flat, InkLevels.stretch(flat, SIDE, SIDE));
        float[] empty = new float[0];
        assertSame(empty, InkLevels.stretch(empty, SIDE, SIDE));
    }

    @Test
    void aFaintScanIsFittedAndReadLikeThePenDrawing() {
        ImageOptions omniglot = Recipes.omniglot().input().imageOptions();
        assertTrue(omniglot.stretchLevels());
        float[] pen = GrayImages.convert(drawing(), SIDE, SIDE, omniglot).pixels();
        float[] pencil = GrayImages.convert(scanned(drawing(), 0.55f, 0.9f), SIDE, SIDE, omniglot).pixels();
        assertArrayEquals(pen, pencil, 1e-5f);
        float[] unstretched = GrayImages.convert(scanned(drawing(), 0.55f, 0.9f), SIDE, SIDE,
                omniglot.levelsStretched(false)).pixels();
        double worst = 0;
        for (int i = 0; i < pen.length; i++) {
            worst = Math.max(worst, Math.abs(pen[i] - unstretched[i]));
        }
        assertTrue(worst > 0.4, "without the stretch the pencil's ink is below ½ and nothing is fitted: " + worst);
    }

    @Test
    void theCardKeepsTheStretchAndOlderCardsReadWithout() {
        InputSpec in = InputSpec.square(28).inverted().levelsStretched();
        InputSpec back = InputSpec.fromJson(JsonObject.parse(Json.write(in.toJson()), "card.json"));
        assertEquals(in, back);
        assertTrue(back.imageOptions().stretchLevels());
        assertFalse(InputSpec.square(28).toJson().containsKey("stretch_levels"), "absent when off");
        assertFalse(InputSpec.fromJson(JsonObject.parse(Json.write(InputSpec.square(28).toJson()), "c.json"))
                .stretchLevels());
    }
}
