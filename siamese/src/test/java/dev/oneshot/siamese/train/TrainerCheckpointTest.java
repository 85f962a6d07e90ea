package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.persist.Checkpoint;
import dev.oneshot.siamese.data.AffineAugment;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.OptimizerSpec;
import dev.oneshot.siamese.recipe.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.oneshot.siamese.train.TinyRuns.TRAIN;
import static dev.oneshot.siamese.train.TinyRuns.VAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints of the Siamese trainer: a diverging run stops naming the step, the op and the
 * tensor, with the last good checkpoint on disk (loadable, finite); a run interrupted and
 * resumed from its last checkpoint ends with bitwise the weights of an uninterrupted run.
 */
class TrainerCheckpointTest {
    /** Throws at a given step, after the optimiser step: a crash between two checkpoints. */
    private static final class CrashAt implements TrainingListener {
        final long step;

        CrashAt(long step) {
            this.step = step;
        }

        @Override
        public void onStep(Step s) {
            if (s.step() == step) {
                throw new IllegalStateException("simulated crash at step " + step);
            }
        }
    }

    private static Recipe recipe(String kind) {
        return switch (kind) {
            case "triplet" -> TinyRuns.recipe().withAugmentation(new AffineAugment(AffineAugment.Config.KOCH));
            case "contrastive" -> TinyRuns.contrastive();
            case "binary" -> TinyRuns.binary();
            case "normalized-softmax" -> TinyRuns.normalizedSoftmax();
            case "joint" -> TinyRuns.joint();
            case "prototypical" -> TinyRuns.prototypical();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @Test
    void divergenceStopsNamingStepOpAndTensorWithTheLastGoodCheckpointIntact(@TempDir Path tmp) throws Exception {
        Path ck = tmp.resolve("ck.safetensors");
        Recipe sgdHuge = TinyRuns.contrastive().withOptimizer(new OptimizerSpec(OptimizerSpec.Kind.SGD, 1e9, 0));
        SiameseModel m = TrainingRun.build(sgdHuge, 3);
        TrainingResult result = new SiameseTrainer(m, sgdHuge, TrainingListener.NONE).fit(TRAIN, VAL,
                RunOptions.seed(5).withSteps(21).withCheckpoints(TrainerCheckpoints.every(ck, 1)));
        assertEquals(TrainingResult.StopReason.NON_FINITE, result.reason(), result.detail());
        Matcher matcher = Pattern.compile("step (\\d+): (.*)").matcher(result.detail());
        assertTrue(matcher.matches(), result.detail());
        long failed = Long.parseLong(matcher.group(1));
        assertTrue(failed >= 2, "diverged at step " + failed + ": there must be a good checkpoint before it");
        String why = matcher.group(2);
        assertTrue(why.matches("the loss is (NaN|-?Infinity); the first non-finite value: "
                + "(op '[a-zA-Z0-9_]+' \\(op \\d+ of \\d+\\) output \\[[0-9, ]*] holds (NaN|-?Infinity) at index \\d+"
                + "|parameter '[0-9a-z.]+' \\[[0-9, ]*] holds (NaN|-?Infinity) at index \\d+ \\(read by op '[a-zA-Z0-9_]+', op \\d+ of \\d+\\))"
                + "; the last good weights were restored \\(the checkpoint .* holds the last good state\\)"
                + "|the optimizer step made parameter 'embedding[0-9a-z.]+' \\[[0-9, ]*] non-finite .*"
                + "|the gradient of 'embedding[0-9a-z.]+' holds .*"), why);
        System.out.println("TrainerCheckpointTest divergence: " + result.detail());
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            for (float v : e.getValue().data()) {
                assertTrue(Float.isFinite(v), "restored " + e.getKey() + " holds " + v);
            }
        }

        SiameseModel fresh = TrainingRun.build(sgdHuge, 3);
        Checkpoint.Resumed resumed = Checkpoint.load(ck, fresh, sgdHuge.optimizer().build(fresh.namedParameters()));
        assertEquals(failed - 1, resumed.progress().step(), "the checkpoint is the step before the failure");
        for (Map.Entry<String, Tensor> e : fresh.stateDict().entrySet()) {
            for (float v : e.getValue().data()) {
                assertTrue(Float.isFinite(v), "checkpointed " + e.getKey() + " holds " + v);
            }
        }
        for (Tensor t : resumed.extraTensors().values()) {
            for (float v : t.data()) {
                assertTrue(Float.isFinite(v), "checkpointed best weights hold " + v);
            }
        }
    }

    /**
     * 21 steps, validation every 10, a checkpoint every 4. A crash at step 11 resumes from the
     * checkpoint of step 8 (before the validation of step 10); one at step 18 from that of step 16
     * (mid-pass over the data, after a validation).
     */
    @ParameterizedTest
    @ValueSource(strings = {"triplet", "contrastive", "binary", "normalized-softmax", "joint", "prototypical"})
    void aResumedRunEndsWithBitwiseTheWeightsOfAnUninterruptedOne(String kind, @TempDir Path tmp) throws Exception {
        Recipe recipe = recipe(kind);
        RunOptions run = RunOptions.seed(5).withSteps(21);
        SiameseModel whole = TrainingRun.build(recipe, 3);
        TrainingResult a = new SiameseTrainer(whole, recipe, TrainingListener.NONE).fit(TRAIN, VAL,
                run.withCheckpoints(TrainerCheckpoints.every(tmp.resolve("whole.safetensors"), 4)));

        for (long crash : new long[] {11, 18}) {
            Path ck = tmp.resolve("crash" + crash + ".safetensors");
            SiameseModel first = TrainingRun.build(recipe, 3);
            IllegalStateException boom = assertThrows(IllegalStateException.class, () -> new SiameseTrainer(first,
                    recipe, new CrashAt(crash)).fit(TRAIN, VAL, run.withCheckpoints(TrainerCheckpoints.every(ck, 4))));
            assertEquals("simulated crash at step " + crash, boom.getMessage());
            SiameseModel second = TrainingRun.build(recipe, 3); // a new process: everything built afresh
            TrainingResult b = new SiameseTrainer(second, recipe, TrainingListener.NONE).fit(TRAIN, VAL,
                    run.withCheckpoints(TrainerCheckpoints.every(ck, 4).resuming()));
            assertEquals(a.steps(), b.steps(), kind + " crash " + crash + ": steps");
            assertEquals(a.bestStep(), b.bestStep(), kind + " crash " + crash + ": best step");
            assertEquals(a.bestValidation(), b.bestValidation(), kind + " crash " + crash + ": best accuracy");
            Map<String, Tensor> wa = whole.stateDict();
            Map<String, Tensor> wb = second.stateDict();
            assertEquals(wa.keySet(), wb.keySet());
            for (String name : wa.keySet()) {
                assertArrayEquals(wa.get(name).data(), wb.get(name).data(), kind + " crash " + crash + ": " + name);
            }
        }
    }

    @Test
    void resumingWithAnotherSeedIsRefusedNamingBoth(@TempDir Path tmp) throws Exception {
        Path ck = tmp.resolve("ck.safetensors");
        Recipe recipe = TinyRuns.recipe();
        new SiameseTrainer(TrainingRun.build(recipe, 3), recipe, TrainingListener.NONE).fit(TRAIN, VAL,
                RunOptions.seed(5).withSteps(4).withCheckpoints(TrainerCheckpoints.every(ck, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SiameseTrainer(TrainingRun.build(recipe, 3), recipe, TrainingListener.NONE).fit(TRAIN, VAL,
                        RunOptions.seed(6).withSteps(4).withCheckpoints(TrainerCheckpoints.every(ck, 2).resuming())));
        assertTrue(e.getMessage().startsWith(ck + ": checkpoint made with another recipe or run: "), e.getMessage());
        assertTrue(e.getMessage().contains("seed=5") && e.getMessage().contains("seed=6"), e.getMessage());
    }

    @Test
    void resumingWithAnotherRecipeIsRefused(@TempDir Path tmp) throws Exception {
        Path ck = tmp.resolve("ck.safetensors");
        Recipe recipe = TinyRuns.recipe();
        new SiameseTrainer(TrainingRun.build(recipe, 3), recipe, TrainingListener.NONE).fit(TRAIN, VAL,
                RunOptions.seed(5).withSteps(4).withCheckpoints(TrainerCheckpoints.every(ck, 2)));
        Recipe other = recipe.withBatch(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SiameseTrainer(TrainingRun.build(other, 3), other, TrainingListener.NONE).fit(TRAIN, VAL,
                        RunOptions.seed(5).withSteps(4).withCheckpoints(TrainerCheckpoints.every(ck, 2).resuming())));
        assertTrue(e.getMessage().contains("\"per_class\":4") && e.getMessage().contains("\"per_class\":3"),
                e.getMessage());
    }
}
