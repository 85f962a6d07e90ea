package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.mining.BatchAllMiner;
import dev.oneshot.siamese.mining.TripletMiner;
import dev.oneshot.siamese.mining.Triplets;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.OptimizerSpec;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Schedule;
import dev.oneshot.siamese.recipe.Validation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.oneshot.siamese.train.TrainingListener.Step;
import dev.oneshot.siamese.train.TrainingListener.ValidationPass;

import static dev.oneshot.siamese.train.TinyRuns.DATA;
import static dev.oneshot.siamese.train.TinyRuns.TRAIN;
import static dev.oneshot.siamese.train.TinyRuns.VAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiameseTrainerTest {
    private static final class Recorder implements TrainingListener {
        final List<Step> steps = new ArrayList<>();
        final List<ValidationPass> validations = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void onStep(Step step) {
            steps.add(step);
        }

        @Override
        public void onValidation(ValidationPass v) {
            validations.add(v);
        }

        @Override
        public void onWarning(String message) {
            warnings.add(message);
        }

        double meanLoss(int from, int to) {
            return steps.subList(from, to).stream().mapToDouble(Step::loss).average().orElseThrow();
        }
    }

    private static SiameseModel model(Recipe recipe) {
        return TrainingRun.build(recipe, 3);
    }

    private static Map<String, Tensor> train(Recipe recipe, RunOptions run, Recorder recorder) throws Exception {
        SiameseModel m = model(recipe);
        new SiameseTrainer(m, recipe, recorder).fit(TRAIN, VAL, run);
        return m.stateDict();
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() throws Exception {
        Map<String, Tensor> a = train(TinyRuns.recipe(), RunOptions.seed(5).withSteps(6), new Recorder());
        Map<String, Tensor> b = train(TinyRuns.recipe(), RunOptions.seed(5).withSteps(6), new Recorder());
        Map<String, Tensor> c = train(TinyRuns.recipe(), RunOptions.seed(6).withSteps(6), new Recorder());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
        }
        assertFalse(Arrays.equals(a.get("embedding.0.weight").data(), c.get("embedding.0.weight").data()),
                "a different seed must change the run");
    }

    /** Mixup trains another model than the plain softmax from the same seed, and the same one twice. */
    @Test
    void mixupBlendsTheBatchesReproducibly() throws Exception {
        Map<String, Tensor> a = train(TinyRuns.mixup(), RunOptions.seed(5).withSteps(6), new Recorder());
        Map<String, Tensor> b = train(TinyRuns.mixup(), RunOptions.seed(5).withSteps(6), new Recorder());
        Map<String, Tensor> plain = train(TinyRuns.normalizedSoftmax(), RunOptions.seed(5).withSteps(6), new Recorder());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
        }
        assertFalse(Arrays.equals(a.get("embedding.0.weight").data(), plain.get("embedding.0.weight").data()),
                "mixup must change what the network sees");
    }

    @Test
    void tripletTrainingReducesTheLossAndValidatesEveryTenSteps() throws Exception {
        Recorder r = new Recorder();
        SiameseModel m = model(TinyRuns.recipe());
        TrainingResult result = new SiameseTrainer(m, TinyRuns.recipe(), r).fit(TRAIN, VAL, RunOptions.seed(5)
                .withSteps(60));
        double first = r.meanLoss(0, 5);
        double last = r.meanLoss(r.steps.size() - 5, r.steps.size());
        assertTrue(last < first, "loss should fall: first " + first + ", last " + last);
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L), r.validations.stream().map(ValidationPass::step).toList());
        assertTrue(r.validations.stream().allMatch(v -> v.accuracy() >= 0 && v.accuracy() <= 1));
        assertEquals(TrainingResult.StopReason.STEPS_DONE, result.reason());
        assertEquals("steps-done: all 60 steps done", result.stoppedBy());
        double best = r.validations.stream().mapToDouble(ValidationPass::accuracy).max().orElseThrow();
        assertEquals(best, result.bestValidation());
        assertFalse(m.isTraining(), "the trained model is left in eval mode");
    }

    @Test
    void withoutValidationTheRecipesStepCountRunsAndTheLastWeightsAreKept() throws Exception {
        Recorder r = new Recorder();
        Recipe recipe = TinyRuns.recipe().withSteps(12);
        SiameseModel m = model(recipe);
        TrainingResult result = new SiameseTrainer(m, recipe, r).fit(TRAIN, RunOptions.seed(5));
        assertEquals(12, result.steps());
        assertEquals(12, r.steps.size());
        assertTrue(r.validations.isEmpty());
        assertTrue(Double.isNaN(result.bestValidation()));
        assertEquals(12, r.steps.get(11).totalSteps());
        assertEquals(11 / 12.0, r.steps.get(11).progress(), 1e-12, "progress = step / steps before the step");
    }

    /** Batch-all on the odd calls; no triplet on the even ones (as when every triplet meets the margin). */
    private static final class EverySecondBatchEmpty implements TripletMiner {
        private final TripletMiner inner = new BatchAllMiner();
        private int calls;

        @Override
        public Triplets mine(float[] dist, int n, int[] labels, float margin, SeededRandom rng) {
            return calls++ % 2 == 1 ? Triplets.empty() : inner.mine(dist, n, labels, margin, rng);
        }

        @Override
        public String name() {
            return "every-second-batch-empty";
        }
    }

    @Test
    void stepsWithoutATripletAreSkippedCountedAndReportedOnce() throws Exception {
        Recorder r = new Recorder();
        Objective.Triplet t = (Objective.Triplet) TinyRuns.recipe().objective();
        Recipe recipe = TinyRuns.recipe().withObjective(t.withMiner(new EverySecondBatchEmpty())).withSteps(9);
        TrainingResult result = new SiameseTrainer(model(recipe), recipe, r).fit(TRAIN, RunOptions.seed(5));
        assertEquals(9, result.steps());
        assertEquals(4, result.skippedSteps(), "steps 2, 4, 6, 8 had no triplet");
        assertEquals(5, r.steps.size(), "only the steps that updated the weights are reported as steps");
        assertEquals(List.of(1L, 3L, 5L, 7L, 9L), r.steps.stream().map(Step::step).toList());
        assertEquals(1, r.warnings.size(), "one warning, not one per skipped step: " + r.warnings);
        assertTrue(r.warnings.get(0).startsWith("step 2: the miner found no triplet"), r.warnings.get(0));
        assertTrue(result.stoppedBy().endsWith("4 of the 9 steps were skipped (the miner found no triplet in the "
                + "batch)"), result.stoppedBy());

        TrainingResult plain = new SiameseTrainer(model(TinyRuns.recipe()), TinyRuns.recipe().withSteps(3),
                new Recorder()).fit(TRAIN, RunOptions.seed(5));
        assertEquals(0, plain.skippedSteps());
        assertEquals("steps-done: all 3 steps done", plain.stoppedBy());
    }

    @Test
    void pairAndClassLossesTrain() throws Exception {
        for (Recipe recipe : List.of(TinyRuns.contrastive(), TinyRuns.binary(), TinyRuns.normalizedSoftmax(),
                TinyRuns.mixup(), TinyRuns.joint(), TinyRuns.prototypical())) {
            Recorder r = new Recorder();
            SiameseModel m = model(recipe);
            TrainingResult result = new SiameseTrainer(m, recipe, r).fit(TRAIN, VAL, RunOptions.seed(5).withSteps(45));
            double first = r.meanLoss(0, 5);
            double last = r.meanLoss(r.steps.size() - 5, r.steps.size());
            String kind = recipe.objective().kind();
            assertTrue(last < first, kind + ": loss should fall: first " + first + ", last " + last);
            assertEquals(TrainingResult.StopReason.STEPS_DONE, result.reason());
        }
    }

    @Test
    void theBinaryRecipeNeedsAModelWithAHead() {
        SiameseModel noHead = model(TinyRuns.recipe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SiameseTrainer(noHead, TinyRuns.binary(), TrainingListener.NONE));
        assertTrue(e.getMessage().contains("needs a model with a BinaryVerificationHead"), e.getMessage());
    }

    @Test
    void nonFiniteLossStopsAndRestoresTheLastGoodWeights() throws Exception {
        Recipe recipe = TinyRuns.contrastive().withBatch(12, 10);
        SiameseModel m = model(recipe);
        float[] before = m.stateDict().get("embedding.0.weight").data().clone();
        float[] pixels = new float[DATA.size() * 64];
        for (int i = 0; i < DATA.size(); i++) {
            DATA.copyImage(i, pixels, i * 64);
        }
        pixels[3] = Float.NaN;
        InMemoryImages poisoned = new InMemoryImages(pixels, new int[] {1, 8, 8},
                DATA.labels(IntStream.range(0, DATA.size()).toArray()),
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"), null);
        TrainingResult result = new SiameseTrainer(m, recipe, new Recorder()).fit(poisoned, RunOptions.seed(5)
                .withSteps(3));
        assertEquals(TrainingResult.StopReason.NON_FINITE, result.reason());
        assertEquals("step 1: training image 57 of the batch (dataset index 0) holds NaN at value 3; "
                + "the last good weights were restored", result.detail());
        assertArrayEquals(before, m.stateDict().get("embedding.0.weight").data(), "weights restored");
    }

    /** A budget that runs out keeps the weights trained so far, and lays the schedule over the time. */
    @Test
    void aTimedRunTrainsForItsBudgetWithTheScheduleLaidOverIt() throws Exception {
        // the contrastive loss never skips a step (a trained batch-all run finds no active triplet and skips)
        Recipe recipe = TinyRuns.contrastive().withSchedule(new Schedule.Cosine(0.01))
                .withValidation(new Validation(0.2, 4, 20, 25, 1000));
        SiameseModel m = model(recipe);
        float[] initial = m.stateDict().get("embedding.0.weight").data().clone();
        Recorder r = new Recorder();
        long t0 = System.nanoTime();
        TrainingResult result = new SiameseTrainer(m, recipe, r).fit(TRAIN, VAL, RunOptions.seed(5)
                .withBudget(Duration.ofMillis(1500)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(TrainingResult.StopReason.TIME_BUDGET, result.reason());
        assertTrue(result.steps() > recipe.steps(), "the budget, not the recipe's 30 steps, ends it: " + result.steps());
        assertTrue(seconds >= 1.4 && seconds < 3, "took " + seconds + " s for a 1.5 s budget");
        assertEquals("the time budget (1.5 s) ran out after " + result.steps() + " steps", result.detail());
        TrainingListener.Step lastStep = r.steps.get(r.steps.size() - 1);
        assertEquals(0, lastStep.totalSteps());
        assertTrue(lastStep.progress() > 0.8, "the last step is near the end of the schedule: " + lastStep.progress());
        assertTrue(lastStep.lr() < 0.1 * 3e-3, "the cosine has annealed the rate: " + lastStep.lr());
        assertEquals(3e-3, r.steps.get(0).lr(), 1e-4, "the first step runs at the base rate");
        assertFalse(Arrays.equals(initial, m.stateDict().get("embedding.0.weight").data()),
                "the trained weights must be kept, not the initial ones");
    }

    @Test
    void earlyStoppingAfterPatienceValidationsWithoutGain() throws Exception {
        Recipe frozen = TinyRuns.recipe().withOptimizer(OptimizerSpec.adam(1e-30))
                .withValidation(new Validation(0.2, 4, 20, 2, 2));
        Recorder r = new Recorder();
        TrainingResult result = new SiameseTrainer(model(frozen), frozen, r).fit(TRAIN, VAL, RunOptions.seed(5)
                .withSteps(100));
        assertEquals(TrainingResult.StopReason.EARLY_STOPPED, result.reason());
        assertEquals(6, result.steps(), "step 2 sets the best, steps 4 and 6 bring no gain");
        assertEquals(2, result.bestStep());
        assertEquals(3, r.validations.size());
    }
}
