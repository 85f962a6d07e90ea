package dev.oneshot.nn.persist;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.Tanh;
import dev.oneshot.nn.loss.MseLoss;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.nn.optim.Sgd;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Stopping, checkpointing and resuming gives bit-identical weights to never stopping: 40
 * samples, batches of 8 (5 steps an epoch) in an order drawn from the generator at the start of
 * each epoch; 10 steps straight versus 5 + checkpoint + fresh objects + 5.
 */
class CheckpointTest {
    private static final int N = 40;
    private static final int BATCH = 8;

    @TempDir
    Path dir;

    private static final Tensor X = gaussian(11, N, 4);
    private static final Tensor Y = gaussian(12, N, 2);

    private static Tensor gaussian(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        new SeededRandom(seed).fillGaussian(t.data(), 0f, 1f);
        return t;
    }

    private static Module model(int hidden) {
        SeededRandom init = new SeededRandom(3);
        return new Sequential(new Linear(4, hidden, true, init), new Tanh(), new Linear(hidden, 2, true, init));
    }

    private static Optimizer optimizer(String kind, Module m) {
        return kind.equals("Adam") ? new Adam(m.namedParameters(), Hyper.adam().withLr(0.01))
                : new Sgd(m.namedParameters(), Hyper.sgd().withLr(0.05).withMomentum(0.9).withNesterov(true));
    }

    /** Trains whole epochs, each with a batch order drawn from {@code rng}. */
    private static void train(Module m, Optimizer opt, SeededRandom rng, int epochs) {
        for (int e = 0; e < epochs; e++) {
            int[] order = rng.permutation(N);
            for (int b = 0; b < N / BATCH; b++) {
                int[] idx = java.util.Arrays.copyOfRange(order, b * BATCH, (b + 1) * BATCH);
                opt.zeroGrad();
                MseLoss.apply(m.forward(X.indexSelect(idx)), Y.indexSelect(idx)).backward();
                opt.step();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sgd", "Adam"})
    void resumingIsBitExact(String kind) throws IOException {
        Module straight = model(8);
        train(straight, optimizer(kind, straight), new SeededRandom(42), 2);

        Module first = model(8);
        Optimizer opt1 = optimizer(kind, first);
        SeededRandom rng1 = new SeededRandom(42);
        train(first, opt1, rng1, 1);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, first, opt1, new TrainingProgress(5, 1), rng1, Map.of("note", "half way"));

        Module second = model(8);                 // fresh objects, as after a restart
        Optimizer opt2 = optimizer(kind, second);
        Checkpoint.Resumed r = Checkpoint.load(file, second, opt2);
        assertEquals(new TrainingProgress(5, 1), r.progress());
        assertEquals(Map.of("note", "half way"), r.extra());
        assertEquals(second.spec(), r.architecture());
        train(second, opt2, r.rng(), 1);

        Bits.assertSameStateDict(straight.stateDict(), second.stateDict());
    }

    @Test
    void fileLayout() throws IOException {
        Module m = model(8);
        Optimizer opt = optimizer("Adam", m);
        SeededRandom rng = new SeededRandom(42);
        train(m, opt, rng, 1);
        Path file = dir.resolve("c.safetensors");
        Checkpoint.save(file, m, opt, new TrainingProgress(5, 1), rng, Map.of("lr", "0.01"));
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        assertEquals("1", meta.get("oneshot.format_version"));
        assertEquals("checkpoint", meta.get("oneshot.kind"));
        assertEquals("Sequential[Linear(4,8,bias=true),Tanh,Linear(8,2,bias=true)]", meta.get("oneshot.architecture"));
        assertEquals("5", meta.get("progress.step"));
        assertEquals("1", meta.get("progress.epoch"));
        assertEquals(rng.state().encode(), meta.get("rng.state"));
        assertEquals("Adam", meta.get("optimizer.optimizer"));
        assertEquals("5", meta.get("optimizer.state.0.weight.step"));
        assertEquals("0.01", meta.get("extra.lr"));
        assertArrayEquals(new int[] {8, 4}, f.get("model.0.weight").shape());
        assertArrayEquals(new int[] {8, 4}, f.get("optimizer.state.0.weight.exp_avg_sq").shape());
        assertEquals(ModelFile.KIND_KEY, "oneshot.kind");
        assertEquals(file + ": is a checkpoint file, not a model file (use Checkpoint.load)",
                assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file)).getMessage());
    }

    @Test
    void anotherArchitectureIsRejectedBeforeAnythingChanges() throws IOException {
        Module m = model(8);
        Path file = dir.resolve("c.safetensors");
        Checkpoint.save(file, m, optimizer("Sgd", m), new TrainingProgress(0, 0), null, Map.of());

        Module other = model(6);
        Optimizer opt = optimizer("Sgd", other);
        Map<String, Tensor> before = Bits.copy(other.stateDict());
        String msg = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, other, opt)).getMessage();
        assertEquals(file + ": tensor 'model.0.weight' has shape [8, 4] in the file but [6, 4] in the model"
                + " (missing from the file: []; not in the model: [])", msg);
        Bits.assertSameStateDict(before, other.stateDict());

        Module same = model(8);   // right model, wrong optimiser kind: the model is left untouched too
        Map<String, Tensor> before2 = Bits.copy(same.stateDict());
        msg = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, same, optimizer("Adam", same))).getMessage();
        assertEquals(file + ": optimizer state does not fit: Adam: state dict is for optimizer 'Sgd'", msg);
        Bits.assertSameStateDict(before2, same.stateDict());
    }

    private long tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointIntact() throws IOException {
        Module m = model(8);
        Optimizer opt = optimizer("Adam", m);
        SeededRandom rng = new SeededRandom(42);
        train(m, opt, rng, 1);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, m, opt, new TrainingProgress(5, 1), rng, Map.of());
        byte[] good = Files.readAllBytes(file);

        train(m, opt, rng, 1);
        // An unpaired surrogate cannot be encoded as UTF-8: the save fails part-way.
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(file, m, opt, new TrainingProgress(10, 2), rng, Map.of("bad", "\uD800")));
        assertArrayEquals(good, Files.readAllBytes(file));
        assertEquals(0, tempFiles());

        // A failure at the very end (the rename, after the temporary file was fully written):
        // the target is a non-empty directory, which no file may replace.
        Path blocked = dir.resolve("blocked.safetensors");
        Files.createDirectories(blocked.resolve("inside"));
        assertThrows(IOException.class,
                () -> Checkpoint.save(blocked, m, opt, new TrainingProgress(10, 2), rng, Map.of()));
        assertEquals(0, tempFiles());
        assertFalse(Files.isRegularFile(blocked));

        Module fresh = model(8);
        Checkpoint.Resumed r = Checkpoint.load(file, fresh, optimizer("Adam", fresh));
        assertEquals(5, r.progress().step());
        assertNotNull(r.rng());
    }
}
