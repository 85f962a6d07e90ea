package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recipe of several members trains each network exactly as a run of its own seed would, and
 * the model embeds with them side by side: raw (unnormalised recipes) or each member at unit
 * length and the whole normalised again.
 */
class EnsembleTrainingTest {
    private static Tensor images(int n) {
        float[] v = new float[n * 64];
        new SeededRandom(17).fillUniform(v, 0f, 1f);
        return Tensor.fromArray(v, n, 1, 8, 8);
    }

    /** The recipe's single network trained from {@code seed} as a run of its own. */
    private static SiameseModel alone(Recipe r, long seed, int steps) throws IOException {
        SiameseModel m = TrainingRun.build(r.withMembers(1), seed);
        new SiameseTrainer(m, r.withMembers(1), TrainingListener.NONE).fit(TinyRuns.TRAIN, TinyRuns.VAL,
                RunOptions.seed(seed).withSteps(steps));
        return m;
    }

    @Test
    void unnormalisedMembersAreJoinedAsTheyAre() throws IOException {
        Recipe r = TinyRuns.contrastive().withMembers(2);
        List<String> log = new ArrayList<>();
        TrainingRun.Trained t = TrainingRun.fit(r, TinyRuns.TRAIN, TinyRuns.VAL, RunOptions.seed(5).withSteps(12),
                TrainingListener.NONE, log::add);
        float[] a = alone(r, 5, 12).embed(images(3)).data();
        float[] b = alone(r, 1005, 12).embed(images(3)).data();
        float[] joined = t.model().embed(images(3)).data();
        assertEquals(3 * 16, joined.length);
        for (int row = 0; row < 3; row++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(a[row * 8 + j], joined[row * 16 + j], "member 1, row " + row);
                assertEquals(b[row * 8 + j], joined[row * 16 + 8 + j], "member 2 (seed 1005), row " + row);
            }
        }
        assertFalse(java.util.Arrays.equals(a, b), "the members differ: each has its own seed");
        assertEquals(24, t.result().steps(), "12 steps each");
        assertTrue(t.result().detail().startsWith("2 members: 1: "), t.result().detail());
        assertEquals(2, t.model().card().recipe().orElseThrow().members());
        assertTrue(log.get(0).startsWith("member 1 of 2: seed 5") && log.get(2).startsWith("member 2 of 2: seed 1005"),
                String.join("\n", log));
    }

    /** Member i of a recipe with member objectives trains with objective i, as a run of its own would. */
    @Test
    void eachMemberTrainsItsOwnObjective() throws IOException {
        Recipe softmax = TinyRuns.normalizedSoftmax();
        Recipe triplets = TinyRuns.recipe();
        Recipe r = softmax.withMemberObjectives(List.of(softmax.objective(), triplets.objective()));
        assertEquals(2, r.members());
        TrainingRun.Trained t = TrainingRun.fit(r, TinyRuns.TRAIN, null, RunOptions.seed(5).withSteps(8),
                TrainingListener.NONE, line -> { });
        float[] joined = t.model().embed(images(2)).data();
        Recipe[] alone = {softmax, triplets};
        long[] seeds = {5, 1005};
        for (int m = 0; m < 2; m++) {
            SiameseModel member = TrainingRun.build(alone[m], seeds[m]);
            new SiameseTrainer(member, alone[m], TrainingListener.NONE).fit(TinyRuns.TRAIN,
                    RunOptions.seed(seeds[m]).withSteps(8));
            float[] unit = member.embed(images(2)).data();
            for (int row = 0; row < 2; row++) {
                for (int j = 0; j < 8; j++) {
                    assertEquals(unit[row * 8 + j] / (float) Math.sqrt(2), joined[row * 16 + m * 8 + j], 1e-6f,
                            "member " + (m + 1) + ", row " + row);
                }
            }
        }
        SiameseModel sameLoss = TrainingRun.build(softmax, 1005);
        new SiameseTrainer(sameLoss, softmax, TrainingListener.NONE).fit(TinyRuns.TRAIN, RunOptions.seed(1005).withSteps(8));
        assertFalse(java.util.Arrays.equals(sameLoss.embed(images(2)).data(),
                java.util.Arrays.copyOfRange(joined, 8, 16)), "member 2 is not the softmax's network");
        assertEquals(r, t.model().card().recipe().orElseThrow());
    }

    @Test
    void normalisedMembersWeighTheSame() throws IOException {
        Recipe r = TinyRuns.recipe().withMembers(3);
        TrainingRun.Trained t = TrainingRun.fit(r, TinyRuns.TRAIN, null, RunOptions.seed(8).withSteps(6),
                TrainingListener.NONE, line -> { });
        float[] joined = t.model().embed(images(2)).data();
        assertEquals(2 * 24, joined.length);
        long[] seeds = {8, 1008, 2008};
        for (int m = 0; m < 3; m++) {
            SiameseModel member = TrainingRun.build(r.withMembers(1), seeds[m]);
            new SiameseTrainer(member, r.withMembers(1), TrainingListener.NONE).fit(TinyRuns.TRAIN,
                    RunOptions.seed(seeds[m]).withSteps(6));
            float[] unit = member.embed(images(2)).data(); // the recipe normalises: unit rows
            for (int row = 0; row < 2; row++) {
                for (int j = 0; j < 8; j++) {
                    // each unit member scaled by 1/√3 when the joined row is normalised again
                    assertEquals(unit[row * 8 + j] / Math.sqrt(3), joined[row * 24 + m * 8 + j], 1e-6,
                            "member " + m + ", row " + row);
                }
            }
        }
        double norm = 0;
        for (int j = 0; j < 24; j++) {
            norm += joined[j] * joined[j];
        }
        assertEquals(1.0, norm, 1e-5, "the model's embedding has unit length");
    }

    @Test
    void anEnsembleSavesAndLoads(@TempDir Path dir) throws IOException {
        Recipe r = TinyRuns.recipe().withMembers(2);
        SiameseModel model = TrainingRun.fit(r, TinyRuns.TRAIN, null, RunOptions.seed(3).withSteps(4),
                TrainingListener.NONE, line -> { }).model();
        Path file = dir.resolve("ensemble.safetensors");
        model.save(file);
        SiameseModel loaded = SiameseModel.load(file);
        assertTrue(loaded.embeddingNet().spec().startsWith("ConcatBranches[Sequential[Sequential[Conv2d"),
                loaded.embeddingNet().spec());
        assertArrayEquals(model.embed(images(4)).data(), loaded.embed(images(4)).data());
        assertEquals(model.fingerprint(), loaded.fingerprint());
        assertEquals(16, loaded.embeddingDim());
        assertEquals(2, loaded.card().recipe().orElseThrow().members());
    }

    @Test
    void aBudgetIsSharedAndEachMemberKeepsItsOwnCheckpoint(@TempDir Path dir) throws IOException {
        TrainerCheckpoints cp = TrainerCheckpoints.every(dir.resolve("checkpoint.safetensors"), 2);
        assertSame(cp, TrainingRun.memberCheckpoints(cp, 0), "member 1 keeps the run's file");
        assertEquals(dir.resolve("checkpoint.member3.safetensors"), TrainingRun.memberCheckpoints(cp, 2).file());
        assertNull(TrainingRun.memberCheckpoints(null, 1));

        List<String> log = new ArrayList<>();
        TrainingRun.Trained t = TrainingRun.fit(TinyRuns.recipe().withMembers(2), TinyRuns.TRAIN, null,
                RunOptions.seed(4).withBudget(Duration.ofSeconds(4)).withCheckpoints(cp), TrainingListener.NONE,
                log::add);
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint.safetensors")), "member 1's checkpoint");
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint.member2.safetensors")), "member 2's checkpoint");
        assertTrue(log.get(0).matches("member 1 of 2: seed 4, [0-9] s"), log.get(0));
        assertTrue(t.result().seconds() <= 4.5, "both members within the budget: " + t.result().seconds() + " s");
        assertTrue(t.result().steps() > 2, t.result().stoppedBy());
    }
}
