package dev.oneshot.app.cli;

import dev.oneshot.siamese.export.OnnxExport;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oneshot export} through {@link Main#run}: the files it writes are the library's export
 * of the loaded model (ONNX Runtime runs them in the siamese module's {@code OnnxRuntimeTest}),
 * {@code --head} adds the head graph, and wrong requests fail before anything is written.
 */
class ExportCommandTest {
    @TempDir
    static Path tmp;
    static Path tripletModel;
    static Path binaryModel;

    @BeforeAll
    static void models() throws Exception {
        tripletModel = tmp.resolve("faces.safetensors");
        TrainingRun.build(Recipes.faces(), 1).save(tripletModel);
        binaryModel = tmp.resolve("koch.safetensors");
        TrainingRun.build(Recipes.omniglot().withObjective(new Objective.Binary()), 2).save(binaryModel);
    }

    @Test
    void writesTheEmbeddingGraphOfTheModel() throws Exception {
        Path out = tmp.resolve("out/faces.onnx");
        Cli.Result r = Cli.run("export", "--model", tripletModel.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": images [N, 1, 28, 23] → embeddings [N, 64] (opset 13, "),
                r.out());
        assertTrue(r.out().contains("BatchNormalization") && r.out().contains("Gather"), r.out());
        SiameseModel model = SiameseModel.load(tripletModel);
        assertTrue(r.out().contains("card: τ = 1.0 (squared-l2), input 28×23, mirror-averaged, weights SHA-256 " + model.fingerprint()),
                r.out());
        assertArrayEquals(OnnxExport.embedding(model).bytes(), Files.readAllBytes(out));
        assertFalse(Files.exists(OnnxExport.headFile(out)), "no head file without --head");
    }

    @Test
    void headWritesASecondGraph() throws Exception {
        Path out = tmp.resolve("koch.onnx");
        Cli.Result r = Cli.run("export", "--model", binaryModel.toString(), "--out", out.toString(), "--head");
        assertEquals(0, r.code(), r.err());
        Path head = tmp.resolve("koch.head.onnx");
        assertTrue(r.out().contains("wrote " + head + ": images_a [N, 1, 28, 28], images_b [N, 1, 28, 28] → "
                + "probability [N] (opset 13, "), r.out());
        assertTrue(r.out().contains("input 28×28 inverted"), r.out());
        assertArrayEquals(OnnxExport.head(SiameseModel.load(binaryModel)).bytes(), Files.readAllBytes(head));
        assertTrue(Files.size(out) > 0);
    }

    @Test
    void aModelWithoutAHeadCannotExportOneAndWritesNothing() {
        Path out = tmp.resolve("nohead/faces.onnx");
        Cli.Result r = Cli.run("export", "--model", tripletModel.toString(), "--out", out.toString(), "--head");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("this model has no verification head (it was trained with the triplet loss"),
                r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void theFormatComesFromTheExtension() {
        Cli.Result r = Cli.run("export", "--model", tripletModel.toString(), "--out", tmp.resolve("m.pt").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("writes ONNX only: name the file FILE.onnx"), r.err());
        Cli.Result missing = Cli.run("export", "--out", tmp.resolve("m.onnx").toString());
        assertEquals(2, missing.code(), missing.err());
    }
}
