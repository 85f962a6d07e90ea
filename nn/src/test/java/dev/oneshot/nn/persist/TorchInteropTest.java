package dev.oneshot.nn.persist;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Weights written by PyTorch (by hand, see tools/oracle/pytorch_interop.py) load into the
 * equivalent oneshot network and give PyTorch's outputs. The second test writes the file the
 * script's {@code --check} mode reads back into PyTorch (run by hand, not part of the build).
 */
class TorchInteropTest {
    private static Sequential smallCnn(SeededRandom rng) {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1, true, rng), new ReLU(), new MaxPool2d(2, 2), new Flatten(),
                new Linear(4 * 4 * 4, 5, true, rng));
    }

    private static float[] run(Sequential m) {
        try (Grad.Scope off = Grad.off()) {
            return m.eval().forward(Tensor.fromArray(TorchSmallCnnData.INPUT, 2, 1, 8, 8)).data();
        }
    }

    @Test
    void pyTorchWeightsGivePyTorchOutputs() throws IOException, URISyntaxException {
        Path file = Path.of(getClass().getResource("/interop/torch_small_cnn.safetensors").toURI());
        Sequential m = smallCnn(new SeededRandom(0));
        ModelFile.loadInto(file, m);
        assertArrayEquals(TorchSmallCnnData.EXPECTED, run(m), 1e-5f);
    }

    @Test
    void writesAFileForThePyTorchCheck() throws IOException {
        Sequential m = smallCnn(new SeededRandom(2024));
        StringJoiner out = new StringJoiner(",");
        for (float v : run(m)) {
            out.add(Float.toString(v));
        }
        Path file = Path.of("target", "interop", "java_small_cnn.safetensors");
        Files.createDirectories(file.getParent());
        ModelFile.save(file, m, Map.of("seed", "2024", "check.input", "x[i] = cos(0.37 i + 0.2), [2, 1, 8, 8]",
                "check.output", out.toString()));
        Sequential back = smallCnn(new SeededRandom(1));
        ModelFile.loadInto(file, back);
        assertArrayEquals(run(m), run(back), 0f);
        assertEquals(m.spec(), ModelFile.load(file).spec());
    }
}
