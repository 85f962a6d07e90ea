package dev.oneshot.siamese.experiments;

import dev.oneshot.core.testing.RequiredData;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.eval.OpenSetEvaluation;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.CrossValidation;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The face scenario on the real ORL photos, as {@code oneshot crossval --data orl:… --recipe faces
 * --folds 4 --way 10 --shot 1 --queries 9 --episodes 300 --trials 200 --seed 42} measures it: four
 * groups of ten people, each held out in turn while the {@code faces} recipe trains its 1000 steps
 * on the other thirty. Asserted: 10-way one-shot accuracy above raw pixels on <em>every</em> fold
 * and on the mean by {@link #MEAN_MARGIN} (issue 14's targets: every fold, and + 0.05); in the gallery scenario (5 of the
 * 10 enrolled from one photo, 5 strangers, 200 draws) the detection-and-identification rate, mean
 * over folds, above raw pixels' by {@link #DIR10_MARGIN} at FAR 10 % and {@link #DIR1_MARGIN} at
 * FAR 1 %, each at a measured FAR within its target.
 *
 * <p>Measured with the recipe's two networks (2026-12-04, Vector API kernels, 2 cores, ≈ 4.5 min
 * each), fold seeds 42 / 7 / 99: one-shot mean 0.937 / 0.926 / 0.918 against raw pixels 0.853 /
 * 0.854 / 0.854 (+0.084 / +0.072 / +0.064), smallest fold margin 0.048 / 0.043 / 0.035; DIR at
 * FAR 10 % mean 0.876 / 0.848 / 0.872 against 0.706; at FAR 1 % 0.719 / 0.708 / 0.692 against
 * 0.542. (One network gave 0.919 / 0.917 / 0.908, margins down to 0.010.) A single fold's open-set figures
 * move by up to 0.08 with the summation order alone (people 31–40 at FAR 10 %: 0.767 → 0.690 when
 * the first layer's weight gradient changed its order), which is why this test asserts means over
 * folds and not one fold (docs/experiments.md, "ORL faces").
 */
class OrlFacesTest {
    static final int STEPS = 1000;
    static final int FOLDS = 4;

    @Test
    void learnedFacesBeatRawPixelsOnEveryFoldOfNeverSeenPeople() throws Exception {
        Path zip = OrlFacesExperiment.orlZip();
        RequiredData.require(Files.isRegularFile(zip), "ORL faces not found at " + zip
                + " (expected ../shared/data/orl-faces/orl_faces_png.zip beside the repository)");
        assertEquals(STEPS, Recipes.faces().steps());
        CrossValidation.Result r = CrossValidation.of(Recipes.faces(), DataSource.parse("orl:" + zip))
                .folds(FOLDS).episodes(300, 10, 1, 9).openSetTrials(200).seed(42).log(s -> { }).run();
        assertEquals(FOLDS, r.folds().size());
        double[] dir = new double[4]; // model @1 %, pixels @1 %, model @10 %, pixels @10 %: sums over folds
        for (CrossValidation.Fold f : r.folds()) {
            OpenSetEvaluation.OperatingPoint m1 = f.openSet().points().get(0);
            OpenSetEvaluation.OperatingPoint p1 = f.baselineOpenSet().points().get(0);
            OpenSetEvaluation.OperatingPoint m10 = f.openSet().points().get(1);
            OpenSetEvaluation.OperatingPoint p10 = f.baselineOpenSet().points().get(1);
            String line = String.format(Locale.ROOT, "OrlFacesTest fold %d (%s): one-shot %.3f (pixels %.3f), DIR @ FAR 1 %% %.3f (%.3f), @ FAR 10 %% %.3f (%.3f)",
                    f.index(), f.heldOut(), f.accuracy(), f.baselineAccuracy(), m1.dir(), p1.dir(), m10.dir(), p10.dir());
            System.err.println(line);
            assertEquals(10, f.classes(), line);
            assertEquals(STEPS * Recipes.faces().members(), f.training().steps(), line + " (the steps of every network)");
            assertTrue(f.accuracy() > f.baselineAccuracy(), "every fold above raw pixels: " + line);
            assertEquals(0.01, m1.targetFar());
            assertEquals(0.10, m10.targetFar());
            assertTrue(m1.far() <= 0.01 && m10.far() <= 0.10 && m10.far() > 0.09, "operating points respect their FAR: " + line);
            dir[0] += m1.dir() / FOLDS;
            dir[1] += p1.dir() / FOLDS;
            dir[2] += m10.dir() / FOLDS;
            dir[3] += p10.dir() / FOLDS;
        }
        String summary = String.format(Locale.ROOT, "OrlFacesTest: one-shot %.3f ± %.3f over folds (pixels %.3f), DIR @ FAR 1 %% %.3f (%.3f), @ FAR 10 %% %.3f (%.3f)",
                r.mean(), r.sd(), r.baselineMean(), dir[0], dir[1], dir[2], dir[3]);
        System.err.println(summary);
        assertTrue(r.mean() >= r.baselineMean() + MEAN_MARGIN, "mean one-shot margin " + MEAN_MARGIN + ": " + summary);
        assertTrue(dir[2] > dir[3] + DIR10_MARGIN, "mean DIR @ FAR 10 %: " + summary);
        assertTrue(dir[0] > dir[1] + DIR1_MARGIN, "mean DIR @ FAR 1 %: " + summary);
    }

    /**
     * Mean one-shot accuracy above raw pixels' by this much. Issue 14's target is + 0.05, met by all
     * three seeds (+0.064 to +0.084 with two networks; one network gave +0.054 to +0.066); the test
     * leaves room below the lowest of them for the next change of summation order.
     */
    static final double MEAN_MARGIN = 0.04;
    /** Mean DIR over folds above raw pixels' (measured +0.142 to +0.170 at FAR 10 %, +0.151 to +0.177 at FAR 1 %). */
    static final double DIR10_MARGIN = 0.06;
    static final double DIR1_MARGIN = 0.05;
}
