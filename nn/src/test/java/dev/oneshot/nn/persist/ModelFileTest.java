package dev.oneshot.nn.persist;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.io.StoredTensor;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.ReLU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelFileTest {
    @TempDir
    Path dir;

    private static Tensor input(long seed, int... shape) {
        Tensor x = Tensor.zeros(shape);
        new SeededRandom(seed).fillGaussian(x.data(), 0f, 1f);
        return x;
    }

    @Test
    void roundTripIsBitExact() throws IOException {
        Module m = ArchitectureTest.everyLayer(new SeededRandom(5));
        m.forward(input(6, 4, 1, 8, 8));     // training-mode pass: BatchNorm running statistics move
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, m, Map.of("seed", "5", "dataset", "random"));

        ModelFile.Contents c = ModelFile.read(file, new SeededRandom(99));
        Bits.assertSameStateDict(m.stateDict(), c.module().stateDict());
        assertEquals(m.spec(), c.architecture());
        assertEquals(Map.of("seed", "5", "dataset", "random"), c.provenance());

        Tensor x = input(7, 3, 1, 8, 8);
        try (Grad.Scope off = Grad.off()) {
            assertArrayEquals(Bits.of(m.eval().forward(x)), Bits.of(c.module().eval().forward(x)));
        }
    }

    @Test
    void fileHoldsPyTorchNamesLayoutsAndMetadata() throws IOException {
        Module m = ArchitectureTest.everyLayer(new SeededRandom(5));
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, m, Map.of("lr", "0.01"));
        SafetensorsFile f = Safetensors.read(file);
        assertEquals("pt", f.metadata().get("format"));
        assertEquals("1", f.metadata().get("oneshot.format_version"));
        assertEquals("model", f.metadata().get("oneshot.kind"));
        assertEquals(m.spec(), f.metadata().get("oneshot.architecture"));
        assertEquals("0.01", f.metadata().get("lr"));
        assertArrayEquals(new int[] {4, 1, 3, 3}, f.get("0.weight").shape());
        assertArrayEquals(new int[] {8, 64}, f.get("5.0.weight").shape());
        assertArrayEquals(new int[] {4}, f.get("1.running_var").shape());
        assertArrayEquals(new int[] {}, f.get("1.num_batches_tracked").shape());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "5.0.weight", "5.0.bias", "5.2.weight", "5.2.bias", "5.2.running_mean",
                "5.2.running_var", "5.2.num_batches_tracked", "7.weight").stream().sorted().toList(),
                f.tensors().keySet().stream().sorted().toList());
    }

    private static Sequential cnn(int channels, boolean bias) {
        SeededRandom rng = new SeededRandom(1);
        return new Sequential(new Conv2d(1, channels, 3, 1, 1, bias, rng), new ReLU(), new Flatten(),
                new Linear(channels * 4, 2, true, rng));
    }

    @Test
    void loadIntoNamesTheFirstMismatchWithBothShapes() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, cnn(32, true), Map.of());
        Sequential other = cnn(16, true);
        Map<String, Tensor> before = Bits.copy(other.stateDict());
        String msg = assertThrows(IllegalArgumentException.class, () -> ModelFile.loadInto(file, other)).getMessage();
        assertEquals(file + ": tensor '0.weight' has shape [32, 1, 3, 3] in the file but [16, 1, 3, 3] in the model"
                + " (missing from the file: []; not in the model: [])", msg);
        Bits.assertSameStateDict(before, other.stateDict());   // untouched
    }

    @Test
    void loadIntoNamesMissingAndUnexpectedKeys() throws IOException {
        Path file = dir.resolve("nobias.safetensors");
        ModelFile.save(file, cnn(8, false), Map.of());
        String msg = assertThrows(IllegalArgumentException.class, () -> ModelFile.loadInto(file, cnn(8, true)))
                .getMessage();
        assertEquals(file + ": tensor '0.bias' (shape [8] in the model) is missing from the file"
                + " (missing from the file: [0.bias]; not in the model: [])", msg);

        ModelFile.save(file, cnn(8, true), Map.of());
        msg = assertThrows(IllegalArgumentException.class, () -> ModelFile.loadInto(file, cnn(8, false))).getMessage();
        assertEquals(file + ": tensor '0.bias' (shape [8]) is in the file but not in the model"
                + " (missing from the file: []; not in the model: [0.bias])", msg);
    }

    @Test
    void loadIntoFillsAnExistingModule() throws IOException {
        Path file = dir.resolve("a.safetensors");
        Sequential a = cnn(4, true);
        ModelFile.save(file, a, Map.of());
        Sequential b = new Sequential(new Conv2d(1, 4, 3, 1, 1, true, new SeededRandom(77)), new ReLU(), new Flatten(),
                new Linear(16, 2, true, new SeededRandom(78)));
        ModelFile.loadInto(file, b);
        Bits.assertSameStateDict(a.stateDict(), b.stateDict());
    }

    @Test
    void misuseIsReportedWithTheFileName() throws IOException {
        Path file = dir.resolve("x.safetensors");
        assertEquals(file + ": provenance key 'oneshot.kind' is reserved", assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(file, cnn(2, true), Map.of("oneshot.kind", "x"))).getMessage());

        Safetensors.saveModel(file, Map.of("w", Tensor.zeros(2)), Map.of());
        assertEquals(file + ": no 'oneshot.architecture' in the metadata, so the module cannot be rebuilt; build it in"
                + " code and use ModelFile.loadInto",
                assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file)).getMessage());

        Safetensors.write(file, List.of(StoredTensor.ofFloat32("w", new float[2], 2)),
                Map.of("oneshot.format_version", "2"));
        assertEquals(file + ": oneshot.format_version is '2', this code reads version 1",
                assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file)).getMessage());
    }
}
