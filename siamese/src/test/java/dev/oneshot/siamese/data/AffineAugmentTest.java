package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffineAugmentTest {
    private static float[] randomImage(int n, long seed) {
        float[] a = new float[n];
        new SeededRandom(seed).fillUniform(a, 0, 1);
        return a;
    }

    @Test
    void identityLeavesTheImageUnchanged() {
        float[] img = randomImage(2 * 9 * 7, 1);
        assertArrayEquals(img, AffineAugment.apply(img, 2, 9, 7, AffineAugment.Params.IDENTITY, 0f));
        AffineAugment off = new AffineAugment(AffineAugment.Config.KOCH.withProbability(0));
        SeededRandom rng = new SeededRandom(3);
        for (int i = 0; i < 5; i++) {
            assertTrue(off.sample(rng).isIdentity());
            assertArrayEquals(img, off.augment(img, 2, 9, 7, rng));
        }
    }

    @Test
    void translationMovesABrightPixel() {
        int h = 10, w = 12;
        float[] img = new float[h * w];
        img[4 * w + 5] = 1f; // row 4, column 5
        float[] out = AffineAugment.apply(img, 1, h, w, AffineAugment.Params.translation(2, -1), 0f);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(y == 3 && x == 7 ? 1f : 0f, out[y * w + x], "pixel (" + y + ", " + x + ")");
            }
        }
        // A half-pixel shift splits the pixel between two neighbours.
        float[] half = AffineAugment.apply(img, 1, h, w, AffineAugment.Params.translation(0.5, 0), 0f);
        assertEquals(0.5f, half[4 * w + 5], 1e-6f);
        assertEquals(0.5f, half[4 * w + 6], 1e-6f);
    }

    @Test
    void pixelsMovedInFromOutsideReadTheFill() {
        float[] img = new float[5 * 5];
        float[] out = AffineAugment.apply(img, 1, 5, 5, AffineAugment.Params.translation(-2, 0), 1f);
        for (int y = 0; y < 5; y++) {
            assertEquals(0f, out[y * 5 + 2]);
            assertEquals(1f, out[y * 5 + 3]);
            assertEquals(1f, out[y * 5 + 4]);
        }
    }

    @Test
    void rotationAboutTheCentreKeepsTheCentre() {
        float[] img = new float[9 * 9];
        img[4 * 9 + 4] = 1f;
        var p = new AffineAugment.Params(10, 0.3, -0.2, 1.1, 0.9, 0, 0);
        assertEquals(1f, AffineAugment.apply(img, 1, 9, 9, p, 0f)[4 * 9 + 4], 1e-6f);
        var quarter = new AffineAugment.Params(90, 0, 0, 1, 1, 0, 0);
        float[] bar = new float[9 * 9];
        bar[4 * 9 + 6] = 1f; // right of centre → below it (clockwise on screen, y down)
        assertEquals(1f, AffineAugment.apply(bar, 1, 9, 9, quarter, 0f)[6 * 9 + 4], 1e-6f);
    }

    @Test
    void sameSeedSameOutput() {
        float[] img = randomImage(28 * 28, 2);
        AffineAugment aug = new AffineAugment(AffineAugment.Config.KOCH);
        float[] a = aug.augment(img, 1, 28, 28, new SeededRandom(11));
        float[] b = aug.augment(img, 1, 28, 28, new SeededRandom(11));
        assertArrayEquals(a, b);
        Tensor batch = Tensor.wrap(randomImage(4 * 28 * 28, 5), 4, 1, 28, 28);
        assertArrayEquals(aug.augment(batch, new SeededRandom(1)).data(), aug.augment(batch, new SeededRandom(1)).data());
        assertNotEquals(java.util.Arrays.toString(a),
                java.util.Arrays.toString(aug.augment(img, 1, 28, 28, new SeededRandom(12))));
    }

    @Test
    void sampledParametersStayInKochRanges() {
        AffineAugment aug = new AffineAugment(AffineAugment.Config.KOCH);
        SeededRandom rng = new SeededRandom(4);
        int rotated = 0;
        for (int i = 0; i < 2000; i++) {
            var p = aug.sample(rng);
            assertTrue(Math.abs(p.rotationDeg()) <= 10 && Math.abs(p.shearX()) <= 0.3 && Math.abs(p.shearY()) <= 0.3);
            assertTrue(p.scaleX() >= 0.8 && p.scaleX() <= 1.2 && p.scaleY() >= 0.8 && p.scaleY() <= 1.2);
            assertTrue(Math.abs(p.tx()) <= 2 && Math.abs(p.ty()) <= 2);
            rotated += p.rotationDeg() != 0 ? 1 : 0;
        }
        assertTrue(rotated > 900 && rotated < 1100, "rotation on in " + rotated + " of 2000 draws");
    }

    @Test
    void aThickerPenWidensEachStrokeByARimOfStrengthAlpha() {
        float[] dot = new float[25];
        dot[12] = 1f; // one bright pixel in the middle of 5 × 5
        float[] out = AffineAugment.thicken(dot, 1, 5, 5, 0.5f, false);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                float expected = y == 2 && x == 2 ? 1f : Math.abs(y - 2) <= 1 && Math.abs(x - 2) <= 1 ? 0.5f : 0f;
                assertEquals(expected, out[y * 5 + x], "pixel " + y + "," + x);
            }
        }
        float[] darkDot = new float[25];
        java.util.Arrays.fill(darkDot, 1f);
        darkDot[12] = 0f;
        float[] darkOut = AffineAugment.thicken(darkDot, 1, 5, 5, 0.5f, true);
        for (int i = 0; i < 25; i++) {
            assertEquals(1f - out[i], darkOut[i], 1e-7f, "dark ink on light paper, pixel " + i);
        }
    }

    @Test
    void withoutThickeningTheDrawsAreThoseOfBeforeAndWithItSomeImagesGainInk() {
        float[] img = new float[28 * 28];
        for (int x = 6; x < 22; x++) {
            img[14 * 28 + x] = 1f; // a horizontal stroke one pixel wide
        }
        AffineAugment plain = new AffineAugment(AffineAugment.Config.KOCH);
        SeededRandom a = new SeededRandom(5);
        SeededRandom b = new SeededRandom(5);
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(AffineAugment.apply(img, 1, 28, 28, plain.sample(a), 0f), plain.augment(img, 1, 28, 28, b),
                    "draw " + k);
        }
        AffineAugment pen = new AffineAugment(AffineAugment.Config.KOCH.withProbability(0).withThickening(1));
        assertEquals(sum(img), sum(pen.augment(img, 1, 28, 28, new SeededRandom(1))), 0, "probability 0: no change");
        AffineAugment always = new AffineAugment(AffineAugment.Config.KOCH.withProbability(1).withThickening(1));
        SeededRandom rng = new SeededRandom(2);
        for (int k = 0; k < 5; k++) {
            float[] warped = AffineAugment.apply(img, 1, 28, 28, always.sample(new SeededRandom(99)), 0f);
            assertTrue(sum(always.augment(img, 1, 28, 28, rng)) > 0, "some ink survives draw " + k);
            assertTrue(sum(AffineAugment.thicken(warped, 1, 28, 28, 0.8f, false)) > sum(warped), "a rim adds ink");
        }
    }

    @Test
    void theElasticFieldIsAlphaTimesTheUniformDrawsBlurredByTheGaussian() {
        int h = 9, w = 11;
        double alpha = 6, sigma = 1.3;
        float[][] field = AffineAugment.elasticField(h, w, alpha, sigma, new SeededRandom(4));
        SeededRandom again = new SeededRandom(4);
        double[][] u = new double[2][h * w];
        for (double[] comp : u) {
            for (int i = 0; i < comp.length; i++) {
                comp[i] = 2 * again.nextDouble() - 1;
            }
        }
        int r = 4; // ⌈3σ⌉
        double norm = 0;
        for (int k = -r; k <= r; k++) {
            norm += Math.exp(-k * k / (2 * sigma * sigma));
        }
        double maxAbs = 0;
        for (int comp = 0; comp < 2; comp++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0; // the 2-D sum, brute force, zero outside
                    for (int j = -r; j <= r; j++) {
                        for (int k = -r; k <= r; k++) {
                            if (y + j >= 0 && y + j < h && x + k >= 0 && x + k < w) {
                                acc += Math.exp(-(j * j + k * k) / (2 * sigma * sigma)) / (norm * norm)
                                        * u[comp][(y + j) * w + x + k];
                            }
                        }
                    }
                    assertEquals(alpha * acc, field[comp][y * w + x], 1e-5, "component " + comp + " at " + y + "," + x);
                    maxAbs = Math.max(maxAbs, Math.abs(field[comp][y * w + x]));
                }
            }
        }
        assertTrue(maxAbs > 0.3 && maxAbs < alpha, "displacements of a pixel or so, not " + maxAbs);
    }

    @Test
    void aConstantDisplacementFieldReadsTheImageThatFarAway() {
        int h = 10, w = 12;
        float[] img = randomImage(h * w, 8);
        float[] dx = new float[h * w], dy = new float[h * w];
        java.util.Arrays.fill(dx, 2f);
        java.util.Arrays.fill(dy, -1f);
        float[] moved = AffineAugment.apply(img, 1, h, w, AffineAugment.Params.IDENTITY, 0f, dx, dy);
        assertArrayEquals(AffineAugment.apply(img, 1, h, w, AffineAugment.Params.translation(-2, 1), 0f), moved);
        float[] rotated = AffineAugment.apply(img, 1, h, w, new AffineAugment.Params(7, 0, 0, 1, 1, 0, 0), 0f,
                new float[h * w], new float[h * w]);
        assertArrayEquals(AffineAugment.apply(img, 1, h, w, new AffineAugment.Params(7, 0, 0, 1, 1, 0, 0), 0f), rotated,
                "a zero field changes nothing");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AffineAugment.apply(img, 1, h, w, AffineAugment.Params.IDENTITY, 0f, dx, new float[5]));
        assertTrue(e.getMessage().contains("120") && e.getMessage().contains("5"), e.getMessage());
    }

    @Test
    void anElasticRecipeBendsStrokesWithTheAugmentationsProbabilityAndOthersDrawAsBefore() {
        float[] img = new float[28 * 28];
        for (int x = 6; x < 22; x++) {
            img[14 * 28 + x] = 1f; // a horizontal stroke one pixel wide
        }
        AffineAugment off = new AffineAugment(AffineAugment.Config.KOCH.withProbability(0).withElastic(8, 3));
        assertArrayEquals(img, off.augment(img, 1, 28, 28, new SeededRandom(1)), "probability 0: no change");
        AffineAugment elastic = new AffineAugment(new AffineAugment.Config(0, 0, 1, 1, 0, 1, 0f).withElastic(8, 3));
        float[] bent = elastic.augment(img, 1, 28, 28, new SeededRandom(1));
        int rowsWithInk = 0;
        for (int y = 0; y < 28; y++) {
            double ink = 0;
            for (int x = 0; x < 28; x++) {
                ink += bent[y * 28 + x];
            }
            rowsWithInk += ink > 0.05 ? 1 : 0;
        }
        assertTrue(rowsWithInk >= 2, "the straight stroke now crosses " + rowsWithInk + " rows");
        SeededRandom a = new SeededRandom(5);
        SeededRandom b = new SeededRandom(5);
        AffineAugment koch = new AffineAugment(AffineAugment.Config.KOCH);
        AffineAugment kochElastic = new AffineAugment(AffineAugment.Config.KOCH.withElastic(8, 3));
        assertArrayEquals(AffineAugment.apply(img, 1, 28, 28, koch.sample(a), 0f), koch.augment(img, 1, 28, 28, b),
                "without the field, the draws of before");
        assertNotEquals(java.util.Arrays.toString(koch.augment(img, 1, 28, 28, new SeededRandom(6))),
                java.util.Arrays.toString(kochElastic.augment(img, 1, 28, 28, new SeededRandom(6))));
    }

    @Test
    void theElasticFieldsRoundTripThroughJsonAndASigmalessAlphaIsRefused() {
        AffineAugment a = new AffineAugment(AffineAugment.Config.KOCH.withElastic(8, 3));
        Augmentation back = Augmentation.fromJson(dev.oneshot.core.json.JsonObject.parse(
                dev.oneshot.core.json.Json.write(Augmentation.toJson(a)), "aug"));
        assertEquals(a, back);
        assertTrue(!Augmentation.toJson(new AffineAugment(AffineAugment.Config.KOCH)).containsKey("elastic_alpha"),
                "off: absent, as older recipes wrote it");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Augmentation.fromJson(dev.oneshot.core.json.JsonObject.parse(
                        "{\"kind\":\"affine\",\"max_rotation_deg\":10,\"max_shear\":0.3,\"min_scale\":0.8,"
                                + "\"max_scale\":1.2,\"max_translation\":2,\"probability\":0.5,\"elastic_alpha\":8}",
                        "recipe.augmentation")));
        assertTrue(e.getMessage().contains("elastic_sigma"), e.getMessage());
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }

    /**
     * A batch draws every image's distortion first, in order, and warps the images on the kernels'
     * threads: the images one-by-one augmentation gives from the same seed, for 1 and 3 threads, with
     * the elastic field and the pen too.
     */
    @Test
    void aBatchGivesTheImagesOfOneByOneForAnyThreadCount() {
        int b = 9;
        int h = 20;
        int w = 17;
        float[] data = new float[b * 2 * h * w];
        SeededRandom fill = new SeededRandom(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) fill.nextDouble();
        }
        Tensor batch = Tensor.wrap(data.clone(), b, 2, h, w);
        AffineAugment.Config[] configs = {AffineAugment.Config.KOCH, AffineAugment.Config.KOCH.withElastic(8, 3),
            AffineAugment.Config.KOCH.withThickening(1).withElastic(20, 4)};
        int saved = dev.oneshot.core.kernels.Gemm.threads();
        try {
            for (AffineAugment.Config config : configs) {
                AffineAugment augment = new AffineAugment(config);
                SeededRandom one = new SeededRandom(11);
                float[] expected = new float[data.length];
                int n = 2 * h * w;
                for (int k = 0; k < b; k++) {
                    float[] image = java.util.Arrays.copyOfRange(data, k * n, (k + 1) * n);
                    System.arraycopy(augment.augment(image, 2, h, w, one), 0, expected, k * n, n);
                }
                double next = one.nextDouble(); // what follows the batch's draws
                for (int threads : new int[] {1, 3}) {
                    dev.oneshot.core.kernels.Gemm.setThreads(threads);
                    SeededRandom rng = new SeededRandom(11);
                    Tensor out = augment.augment(batch, rng);
                    assertArrayEquals(expected, out.data(), config + ", " + threads + " threads");
                    assertEquals(next, rng.nextDouble(), "the same draws, in the same number");
                    assertArrayEquals(data, batch.data(), "the input is not modified");
                }
            }
        } finally {
            dev.oneshot.core.kernels.Gemm.setThreads(saved);
        }
    }
}
