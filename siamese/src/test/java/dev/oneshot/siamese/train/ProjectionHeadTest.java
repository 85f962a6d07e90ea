package dev.oneshot.siamese.train;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.ReLU;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recipe with a projection head trains exactly the network it would train without one, and
 * the model embeds with the layers before the last linear layer: the tiny small CNN's hidden
 * 16 (after its ReLU), not its 8-d output.
 */
class ProjectionHeadTest {
    private static Tensor images(int n) {
        float[] v = new float[n * 64];
        new SeededRandom(23).fillUniform(v, 0f, 1f);
        return Tensor.fromArray(v, n, 1, 8, 8);
    }

    /** The rows of {@code x} scaled to unit length. */
    private static float[] unitRows(float[] x, int dim) {
        float[] out = x.clone();
        for (int r = 0; r < x.length / dim; r++) {
            double ss = 0;
            for (int j = 0; j < dim; j++) {
                ss += (double) x[r * dim + j] * x[r * dim + j];
            }
            for (int j = 0; j < dim; j++) {
                out[r * dim + j] = (float) (x[r * dim + j] / Math.sqrt(ss));
            }
        }
        return out;
    }

    @Test
    void theModelEmbedsWithTheLayersBeforeTheHead() throws IOException {
        Recipe plain = TinyRuns.recipe();
        Recipe withHead = plain.withProjectionHead(true);
        RunOptions o = RunOptions.seed(3).withSteps(10);
        SiameseModel full = TrainingRun.fit(plain, TinyRuns.TRAIN, null, o, TrainingListener.NONE, l -> { }).model();
        SiameseModel body = TrainingRun.fit(withHead, TinyRuns.TRAIN, null, o, TrainingListener.NONE, l -> { }).model();

        assertEquals(8, full.embeddingDim());
        assertEquals(16, body.embeddingDim(), "the hidden layer's width");
        Sequential net = (Sequential) full.embeddingNet();
        Sequential prefix = new Sequential();
        for (int i = 0; i < net.size() - 1; i++) {
            prefix.add(net.get(i));
        }
        Tensor x = images(4);
        float[] hidden;
        full.eval();
        try (Grad.Scope off = Grad.off()) {
            hidden = prefix.forward(x).data();
        }
        // the same training (the head only moves where the model reads the embedding), unit rows
        assertArrayEquals(unitRows(hidden, 16), body.embed(x).data(), 1e-6f);
        for (float h : hidden) {
            assertTrue(h >= 0, "the hidden layer ends in its ReLU");
        }
        assertTrue(body.card().recipe().orElseThrow().projectionHead());
    }

    @Test
    void savedAndLoadedItEmbedsTheSame(@TempDir Path dir) throws IOException {
        Recipe r = TinyRuns.recipe().withProjectionHead(true).withMembers(2);
        SiameseModel m = TrainingRun.fit(r, TinyRuns.TRAIN, null, RunOptions.seed(4).withSteps(6),
                TrainingListener.NONE, l -> { }).model();
        assertEquals(32, m.embeddingDim(), "two members of 16");
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        SiameseModel back = SiameseModel.load(file);
        assertArrayEquals(m.embed(images(3)).data(), back.embed(images(3)).data());
        assertTrue(back.card().recipe().orElseThrow().projectionHead());
    }

    @Test
    void aNetworkWithNothingBeforeItsLinearLayerIsRefused() throws IOException {
        Module onlyLinear = new Sequential(new Flatten(), new Linear(64, 4, true, new SeededRandom(1)));
        SiameseModel m = SiameseModel.of(onlyLinear, TrainingRun.build(TinyRuns.recipe(), 1).card());
        // Flatten comes first, so the body is Flatten alone: allowed (raw pixels), index 1
        assertEquals(64, TrainingRun.withoutProjectionHead(m).embeddingDim());
        SiameseModel bare = SiameseModel.of(new Sequential(new Linear(64, 4, true, new SeededRandom(1)), new ReLU()),
                m.card());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.withoutProjectionHead(bare));
        assertTrue(e.getMessage().contains("last Linear at index 0"), e.getMessage());
        SiameseModel noLinear = SiameseModel.of(new Sequential(new Flatten(), new ReLU()), m.card());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.withoutProjectionHead(noLinear));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
    }

    @Test
    void withoutTheFlagTheModelIsTheWholeNetwork() throws IOException {
        SiameseModel m = TrainingRun.fit(TinyRuns.recipe(), TinyRuns.TRAIN, null, RunOptions.seed(3).withSteps(2),
                TrainingListener.NONE, l -> { }).model();
        assertFalse(m.card().recipe().orElseThrow().projectionHead());
        assertEquals(8, m.embeddingDim());
    }
}
