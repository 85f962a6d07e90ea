package dev.oneshot.siamese.experiments;

import dev.oneshot.siamese.eval.OpenSetEvaluation;
import dev.oneshot.siamese.train.FaceDefaults;
import dev.oneshot.siamese.train.TrainerConfig;
import dev.oneshot.siamese.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The face scenario on the real ORL photos: {@link FaceDefaults} trained for a fixed number of
 * steps on people 1–30 (deterministic: the same seed gives the same weights), then on people
 * 31–40, never seen: 10-way one-shot accuracy must beat the raw-pixel nearest neighbour on the
 * very same episodes by {@link #MARGIN}, and in the gallery scenario (5 enrolled from one photo,
 * 5 strangers, 200 draws) the detection-and-identification rate at FAR 10 % must beat raw pixels
 * by {@link #DIR10_MARGIN}; at FAR 1 % it only has to stay above {@link #DIR1_FLOOR} (it is level
 * with raw pixels there, above or below depending on the run — see the README).
 *
 * <p>Runs with the Vector API kernels, as {@code ./oneshot} does. Float sums in another order
 * (the scalar kernels) give another, equally valid run: the same configuration measured 0.904 /
 * DIR 0.629 @ 1 % / 0.861 @ 10 % there, and 0.884 / 0.566 / 0.733 here — the spread between two
 * such runs is what the margins below allow for.
 */
class OrlFacesTest {
    static final int STEPS = 400;

    @Test
    void learnedFacesBeatRawPixelsOnNeverSeenPeople() throws Exception {
        Path zip = OrlFacesExperiment.orlZip();
        assumeTrue(Files.isRegularFile(zip), "ORL faces not found at " + zip
                + " (expected ../shared/data/orl-faces/orl_faces_png.zip beside the repository)");
        TrainerConfig cfg = FaceDefaults.config()
                .withEpochs(STEPS / FaceDefaults.STEPS_PER_EPOCH, FaceDefaults.STEPS_PER_EPOCH).withValidation(5, 0, 1);
        OrlFacesExperiment.Outcome o = OrlFacesExperiment.run(zip, FaceDefaults.twin(cfg.seed()), cfg,
                TrainingListener.NONE);
        System.err.println("OrlFacesTest: " + o);
        assertEquals(STEPS, o.training().steps());
        assertEquals(300 * 10 * 9, o.model().queries());
        assertTrue(o.model().accuracy() > o.pixels().accuracy() + MARGIN, "10-way one-shot: " + o);
        assertTrue(o.model().accuracy() >= FLOOR, "10-way one-shot floor " + FLOOR + ": " + o);
        OpenSetEvaluation.OperatingPoint model10 = o.openSet().points().get(1);
        OpenSetEvaluation.OperatingPoint pixels10 = o.openSetPixels().points().get(1);
        assertEquals(0.10, model10.targetFar());
        assertTrue(model10.far() <= 0.10 && model10.far() > 0.09, "the operating point respects FAR 10 %: " + model10);
        assertTrue(model10.dir() > pixels10.dir() + DIR10_MARGIN, "DIR @ FAR 10 %: model " + model10 + " vs pixels " + pixels10);
        assertTrue(model10.dir() >= DIR10_FLOOR, "DIR @ FAR 10 % floor: " + model10);
        OpenSetEvaluation.OperatingPoint model1 = o.openSet().points().get(0);
        OpenSetEvaluation.OperatingPoint pixels1 = o.openSetPixels().points().get(0);
        assertTrue(model1.far() <= 0.01 && model1.dir() >= DIR1_FLOOR,
                "DIR @ FAR 1 %: model " + model1 + " (raw pixels " + pixels1 + ")");
    }

    /** Measured (seed 42): 0.884 (vector kernels), 0.904 (scalar) beside raw pixels 0.838 on the same 300 episodes. */
    static final double MARGIN = 0.03;
    static final double FLOOR = 0.87;
    /** Measured: DIR @ FAR 10 % 0.733 / 0.861 (raw pixels 0.693); DIR @ FAR 1 % 0.566 / 0.629 (raw pixels 0.601). */
    static final double DIR10_FLOOR = 0.72;
    static final double DIR10_MARGIN = 0.03;
    static final double DIR1_FLOOR = 0.50;
}
