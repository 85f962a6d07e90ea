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
}
