package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaceAugmentTest {
    private static final float TEST_F32 = 1e-6f;

    private static FaceAugment.Params only(boolean flip, double rot, double scale, double tx, double ty, double c,
                                           double b) {
        return new FaceAugment.Params(flip, rot, scale, tx, ty, c, b);
    }

    private static final FaceAugment.Params IDENTITY = only(false, 0, 1, 0, 0, 1, 0);

    @Test
    void identityParametersReturnAnExactCopy() {
        float[] img = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        float[] out = FaceAugment.apply(img, 1, 2, 3, IDENTITY);
        assertArrayEquals(img, out);
        out[0] = 9;
        assertEquals(0.1f, img[0], "the input is not modified");
        FaceAugment none = new FaceAugment(FaceAugment.Config.NONE);
        Tensor batch = Tensor.wrap(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f}, 2, 1, 2, 2);
        assertArrayEquals(batch.data(), none.augment(batch, new SeededRandom(1)).data());
    }

    /** v'(x, y) = v(W − 1 − x, y); twice is the identity. */
    @Test
    void mirrorReversesEachRow() {
        float[] img = {1, 2, 3, 4, 5, 6};
        float[] m = FaceAugment.apply(img, 1, 2, 3, only(true, 0, 1, 0, 0, 1, 0));
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, m);
        assertArrayEquals(img, FaceAugment.apply(m, 1, 2, 3, only(true, 0, 1, 0, 0, 1, 0)));
    }

    /** v' = clamp(μ + c(v − μ) + b, 0, 1): brightness +0.1 on μ-centred values, and contrast 2 about μ = 0.4. */
    @Test
    void brightnessAndContrastFollowTheFormula() {
        float[] img = {0.2f, 0.4f, 0.95f};
        assertArrayEquals(new float[] {0.3f, 0.5f, 1f}, FaceAugment.apply(img, 1, 1, 3, only(false, 0, 1, 0, 0, 1, 0.1)),
                TEST_F32);
        float[] flat = {0.2f, 0.4f, 0.6f};
        assertArrayEquals(new float[] {0f, 0.4f, 0.8f}, FaceAugment.apply(flat, 1, 1, 3, only(false, 0, 1, 0, 0, 2, 0)),
                TEST_F32);
        assertArrayEquals(new float[] {0.35f, 0.4f, 0.45f},
                FaceAugment.apply(flat, 1, 1, 3, only(false, 0, 1, 0, 0, 0.25, 0)), TEST_F32);
    }

    /** An integer shift moves pixels exactly; the column that enters reads the image mean. */
    @Test
    void shiftFillsWithTheMean() {
        float[] img = {0, 0.3f, 0.6f, 0.3f, 0.6f, 0.0f};
        float[] out = FaceAugment.apply(img, 1, 2, 3, only(false, 0, 1, 1, 0, 1, 0));
        assertArrayEquals(new float[] {0.3f, 0f, 0.3f, 0.3f, 0.3f, 0.6f}, out, TEST_F32);
    }

    /** θ = 90° turns clockwise on screen: the pixel right of the centre goes below it. */
    @Test
    void rotationTurnsClockwise() {
        float[] img = new float[9];
        img[1 * 3 + 2] = 1;
        float[] out = FaceAugment.apply(img, 1, 3, 3, only(false, 90, 1, 0, 0, 1, 0));
        assertEquals(1f, out[2 * 3 + 1], 1e-5f);
        assertEquals(0f, out[1 * 3 + 2], 1e-5f);
    }

    @Test
    void drawsStayInRangeAndFollowTheSeed() {
        FaceAugment aug = new FaceAugment(FaceAugment.Config.FACES);
        SeededRandom rng = new SeededRandom(5);
        int flips = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            FaceAugment.Params p = aug.sample(rng);
            flips += p.flip() ? 1 : 0;
            assertTrue(Math.abs(p.rotationDeg()) <= 10 && Math.abs(p.scale() - 1) <= 0.05, p.toString());
            assertTrue(Math.abs(p.tx()) <= 3 && Math.abs(p.ty()) <= 3, p.toString());
            assertTrue(Math.abs(p.contrast() - 1) <= 0.2 && Math.abs(p.brightness()) <= 0.1, p.toString());
        }
        assertEquals(0.5, flips / (double) n, 0.03, "flip probability");
        assertEquals(aug.sample(new SeededRandom(9)), aug.sample(new SeededRandom(9)));

        float[] px = new float[2 * 56 * 46];
        new SeededRandom(3).fillUniform(px, 0f, 1f);
        Tensor batch = Tensor.wrap(px, 2, 1, 56, 46);
        float[] a = aug.augment(batch, new SeededRandom(11)).data();
        assertArrayEquals(a, aug.augment(batch, new SeededRandom(11)).data(), "same seed, same batch");
        assertFalse(java.util.Arrays.equals(a, aug.augment(batch, new SeededRandom(12)).data()));
        for (float v : a) {
            assertTrue(v >= 0 && v <= 1, "values stay in [0, 1]: " + v);
        }
    }

    @Test
    void badConfigIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FaceAugment.Config(1.5, 0, 0, 0, 0, 0));
        assertEquals("FaceAugment.Config: flipProbability must be in [0, 1.0], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FaceAugment.apply(new float[5], 1, 2, 3, IDENTITY));
        assertEquals("FaceAugment: 5 values for 1×2×3", e.getMessage());
    }

    @Test
    void erasingFillsOneRectangleWithNoiseAndLeavesTheRestAlone() {
        int c = 2, h = 28, w = 20;
        float[] v = new float[c * h * w];
        java.util.Arrays.fill(v, 5f); // outside [0, 1]: every erased value shows
        FaceAugment.erase(v, c, h, w, new SeededRandom(3));
        int top = h, bottom = -1, left = w, right = -1, erased = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean e0 = v[y * w + x] != 5f;
                assertEquals(e0, v[(h + y) * w + x] != 5f, "both channels erased alike at " + y + "," + x);
                if (e0) {
                    assertTrue(v[y * w + x] >= 0 && v[y * w + x] < 1, "noise in [0, 1)");
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    erased++;
                }
            }
        }
        int area = (bottom - top + 1) * (right - left + 1);
        assertEquals(area, erased, "one full rectangle");
        assertTrue(area >= 0.02 * h * w * 0.7 && area <= 0.4 * h * w * 1.3, "area " + area + " of " + h * w);
        // the same draws by hand: area fraction, ratio, row, column
        SeededRandom rng = new SeededRandom(3);
        double a = (0.02 + 0.38 * rng.nextDouble()) * h * w;
        double r = 0.3 + (1 / 0.3 - 0.3) * rng.nextDouble();
        long he = Math.min(h, Math.round(Math.sqrt(a * r)));
        long we = Math.min(w, Math.round(Math.sqrt(a / r)));
        assertEquals(he, bottom - top + 1);
        assertEquals(we, right - left + 1);
        assertEquals((int) (rng.nextDouble() * (h - he + 1)), top);
        assertEquals((int) (rng.nextDouble() * (w - we + 1)), left);
    }

    @Test
    void withoutErasingTheBatchesAreThoseOfBeforeAndWithItSomeImagesCarryNoise() {
        Tensor batch = Tensor.wrap(new float[64 * 28 * 28], new int[] {64, 1, 28, 28});
        FaceAugment plain = new FaceAugment(new FaceAugment.Config(0.5, 0, 0, 2, 0, 0));
        FaceAugment off = new FaceAugment(new FaceAugment.Config(0.5, 0, 0, 2, 0, 0, 0));
        assertArrayEquals(plain.augment(batch, new SeededRandom(9)).data(), off.augment(batch, new SeededRandom(9)).data());
        float[] out = new FaceAugment(new FaceAugment.Config(0.5, 0, 0, 2, 0, 0).withErasing(0.5))
                .augment(batch, new SeededRandom(9)).data();
        int noisy = 0;
        for (int b = 0; b < 64; b++) {
            boolean any = false;
            for (int i = 0; i < 784; i++) {
                any |= out[b * 784 + i] != 0f;
            }
            noisy += any ? 1 : 0;
        }
        assertTrue(noisy > 16 && noisy < 48, noisy + " of 64 images erased at probability 0.5");
        Augmentation back = Augmentation.fromJson(dev.oneshot.core.json.JsonObject.parse(dev.oneshot.core.json.Json.write(
                Augmentation.toJson(new FaceAugment(FaceAugment.Config.FACES.withErasing(0.5)))), "aug"));
        assertEquals(new FaceAugment(FaceAugment.Config.FACES.withErasing(0.5)), back);
        assertFalse(Augmentation.toJson(new FaceAugment(FaceAugment.Config.FACES)).containsKey("erase_probability"),
                "off: absent, as older recipes wrote it");
    }
}
