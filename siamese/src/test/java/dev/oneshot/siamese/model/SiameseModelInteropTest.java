package dev.oneshot.siamese.model;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.TrainingRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes model files for {@code tools/oracle/siamese_model_interop.py --check FILE}: each holds,
 * beside the model, {@code check.output} — {@link SiameseModel#embed} of the formula input
 * (element i = cos(0.37 i + 0.2), [2, C, H, W] at the card's size). The script (offline, PyTorch
 * 1.13) loads the tensors into the equivalent PyTorch module with {@code strict=True} and must
 * compute the same embeddings to 1e-5; see docs/engine.md. This test checks the files are
 * well-formed; it needs no Python.
 */
class SiameseModelInteropTest {
    @ParameterizedTest
    @ValueSource(strings = {"fashion", "faces", "omniglot", "fashion-binary"})
    void writesAModelWithItsExpectedEmbeddings(String name) throws Exception {
        Recipe recipe = name.endsWith("-binary")
                ? Recipes.byName(name.substring(0, name.indexOf('-'))).withObjective(new Objective.Binary())
                : Recipes.byName(name);
        SiameseModel m = TrainingRun.build(recipe, 42);
        InputSpec in = recipe.input();
        int n = 2 * in.channels() * in.height() * in.width();
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.cos(0.37 * i + 0.2);
        }
        Tensor e = m.embed(Tensor.wrap(x, 2, in.channels(), in.height(), in.width()));
        Path dir = Files.createDirectories(Path.of("target/interop"));
        Path file = dir.resolve("java_siamese_model_" + name + ".safetensors");
        m.save(file);
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        StringJoiner out = new StringJoiner(",");
        for (float v : e.data()) {
            out.add(Float.toString(v));
        }
        meta.put("check.output", out.toString());
        Safetensors.write(file, f.tensors().values(), meta);
        SiameseModel back = SiameseModel.load(file);
        assertEquals(m.card(), back.card());
        assertTrue(back.stateDict().keySet().stream().allMatch(k -> k.startsWith("embedding.") || k.startsWith("head.")),
                back.stateDict().keySet().toString());
        assertEquals(name.endsWith("-binary"), back.head().isPresent());
    }
}
