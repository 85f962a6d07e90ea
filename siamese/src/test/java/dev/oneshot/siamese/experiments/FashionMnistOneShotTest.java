package dev.oneshot.siamese.experiments;

import dev.oneshot.core.testing.RequiredData;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.RunOptions;
import dev.oneshot.siamese.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The siamese issue's real-data check: the {@code fashion} recipe (two networks, each a normalised
 * softmax on L2-normalised embeddings) over a fixed 400 steps each on Fashion-MNIST classes 0–6 must beat the
 * raw-pixel nearest-neighbour baseline on the same one-shot episodes: on the never-seen classes
 * 7–9 (3-way) and by at least 10 points on all ten classes (10-way) — bounds below every margin
 * measured over five seeds. A fixed step count (not a
 * time budget) keeps the result deterministic: the same seed gives the same weights. Then the
 * gallery answers the same unseen episodes (enroll the support images, identify the queries)
 * and must score exactly what the episode evaluator scored.
 */
class FashionMnistOneShotTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void theFashionRecipeBeatsRawPixelsOnUnseenAndAllClasses() throws Exception {
        RequiredData.require(Files.isDirectory(DIR), "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist");
        FashionMnistOneShot.Outcome o = FashionMnistOneShot.run(DIR, Recipes.fashion(), RunOptions.seed(42)
                .withSteps(400), 500, TrainingListener.NONE);
        System.err.println("FashionMnistOneShotTest: " + o);
        // Margins over raw pixels with the recipe's two networks (normalised softmax), seeds 42, 1-4
        // (docs/experiments.md, session 14): unseen 3-way +0.014 to +0.068 (3 classes only: the
        // seed moves it most), all 10-way +0.128 to +0.152 (mean +0.138). Seed 42: +0.047, +0.136.
        assertTrue(o.unseenAccuracy() > o.unseenBaseline(), "unseen 3-way: " + o);
        assertTrue(o.allAccuracy() >= o.allBaseline() + 0.10, "all 10-way: " + o);
        assertEquals(o.unseenAccuracy(), galleryAccuracy(o), 1e-12,
                "enrolling each episode's support images and identifying its queries must agree with the episode evaluator");
    }

    /** The same unseen episodes answered by a gallery: enroll the support images, identify the queries. */
    private static double galleryAccuracy(FashionMnistOneShot.Outcome o) {
        int correct = 0;
        int total = 0;
        for (OneShotEpisodes.Episode ep : o.unseen().episodes()) {
            Gallery gallery = Gallery.of(o.model(), GalleryOptions.squaredL2(Double.MAX_VALUE));
            for (int c = 0; c < ep.support().length; c++) {
                gallery.enroll("class-slot-" + c, o.unseenTest().gather(ep.support()[c]));
            }
            for (int c = 0; c < ep.query().length; c++) {
                for (Match m : gallery.identifyAll(o.unseenTest().gather(ep.query()[c]))) {
                    correct += m.identity().equals("class-slot-" + c) ? 1 : 0;
                    total++;
                }
            }
        }
        return (double) correct / total;
    }
}
