package dev.oneshot.siamese.export;

import ai.onnxruntime.OrtException;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Recipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the export refuses, which operators each network becomes, the files it writes, and the
 * negative controls: exports that are deliberately wrong fail the runtime comparison, and a
 * model the runtime rejects throws where {@link OnnxRuntimeTest} loads its files.
 */
class OnnxExportTest {
    /** A layer the exporter does not know. */
    static final class Swish extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.mul(x.sigmoid());
        }
    }

    @Test
    void aLayerWithoutAnOnnxFormIsRefusedByPathAndKind() {
        SeededRandom rng = new SeededRandom(1);
        Sequential f = new Sequential(new Conv2d(1, 2, 3, rng), new Swish(), new Flatten(), new Linear(2 * 6 * 6, 4, rng));
        SiameseModel model = SiameseModel.of(f, ModelCard.builder(InputSpec.square(8)).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.embedding(model));
        assertTrue(e.getMessage().contains("layer 'embedding.1' (Swish) cannot be exported"), e.getMessage());
        assertTrue(e.getMessage().contains("exportable layers: Sequential, Conv2d, Linear"), e.getMessage());
    }

    @Test
    void aLayerThatDoesNotFitTheCardsInputIsNamed() {
        SeededRandom rng = new SeededRandom(2);
        Sequential f = new Sequential(new Conv2d(1, 2, 3, rng), new Flatten(), new Linear(50, 4, rng));
        SiameseModel model = SiameseModel.of(f, ModelCard.builder(InputSpec.square(8)).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.embedding(model));
        assertEquals("ONNX export: layer 'embedding.2' (Linear) takes [N, ..., 50], but its input is [N, 72]",
                e.getMessage());
    }

    @Test
    void theHeadOfAModelWithoutOneIsRefused() {
        SiameseModel model = ExportModels.build(Recipes.fashion(), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.head(model));
        assertTrue(e.getMessage().contains("this model has no verification head (it was trained with the "
                + Recipes.fashion().objective().kind() + " loss, not the binary one)"), e.getMessage());
    }

    @Test
    void eachNetworkBecomesTheOperatorsDocsExportMdLists() {
        SiameseModel fashion = ExportModels.build(Recipes.fashion(), 1);
        assertEquals(List.of("Conv", "Div", "Gemm", "Flatten", "Max", "MaxPool", "ReduceL2", "Relu").stream().sorted()
                .toList(), OnnxExport.embedding(fashion).operators());
        SiameseModel faces = ExportModels.build(Recipes.faces(), 1);
        assertEquals(List.of("Add", "BatchNormalization", "Conv", "Div", "Flatten", "Gather", "Gemm", "Max", "MaxPool",
                "ReduceL2", "Relu"), OnnxExport.embedding(faces).operators());
        OnnxFile head = OnnxExport.head(ExportModels.headConfigs().get(2).model());
        assertEquals(List.of("Abs", "Conv", "Flatten", "Gemm", "MaxPool", "Relu", "Sigmoid", "Squeeze", "Sub"),
                head.operators());
        assertEquals("images_a [N, 1, 35, 35], images_b [N, 1, 35, 35] → probability [N]", head.signature());
        OnnxFile everyLayer = OnnxExport.embedding(ExportModels.everyLayer(true));
        assertEquals(List.of("BatchNormalization", "Conv", "Div", "Flatten", "Gemm", "Max", "MaxPool", "ReduceL2",
                "Relu", "Sigmoid", "Tanh"), everyLayer.operators());
        assertEquals(List.of("Add", "Conv", "MatMul", "Tanh"), OnnxExport.embedding(ExportModels.linearOnImages())
                .operators().stream().filter(op -> !op.equals("Flatten")).toList());
    }

    @Test
    void theSmallCnnIsOneNodePerLayerPlusTheNormalisation() {
        OnnxFile f = OnnxExport.embedding(ExportModels.build(Recipes.fashion(), 1));
        // conv relu pool conv relu pool flatten gemm relu gemm, then ReduceL2 Max Div
        assertEquals(13, f.nodeCount());
        assertEquals("images [N, 1, 28, 28] → embeddings [N, 64]", f.signature());
        assertEquals(13, f.opset());
    }

    @Test
    void bothTowersOfATwinShareEachWeightOnce() {
        SiameseModel faces = ExportModels.build(Recipes.faces(), 1);
        List<String> expected = new java.util.ArrayList<>(faces.stateDict().keySet().stream()
                .filter(k -> !k.endsWith("num_batches_tracked")).toList());
        expected.addAll(List.of("mirror/columns", "eps=1.0E-12"));
        List<String> names = OnnxExport.embedding(faces).model().graph().initializers().stream()
                .map(Onnx.Initializer::name).toList();
        assertEquals(expected.stream().sorted().toList(), names.stream().sorted().toList());

        SiameseModel withHead = ExportModels.headConfigs().get(1).model();
        List<String> headNames = OnnxExport.head(withHead).model().graph().initializers().stream()
                .map(Onnx.Initializer::name).toList();
        assertEquals(withHead.stateDict().keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).count() + 2,
                headNames.size(), "four towers (two images, each mirrored), one copy of each weight: " + headNames);
    }

    @Test
    void theExportIsDeterministic() {
        SiameseModel m = ExportModels.build(Recipes.faces(), 4);
        assertArrayEquals(OnnxExport.embedding(m).bytes(), OnnxExport.embedding(m).bytes());
    }

    @Test
    void writesAtomicallyAndReplacesAnOlderFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.onnx");
        Files.writeString(file, "old");
        OnnxFile f = OnnxExport.embedding(ExportModels.build(Recipes.fashion(), 1));
        f.write(file);
        assertArrayEquals(f.bytes(), Files.readAllBytes(file));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "no temporary file is left behind");
        }
        assertEquals(dir.resolve("m.head.onnx"), OnnxExport.headFile(file));
        assertEquals(dir.resolve("m.bin.head.onnx"), OnnxExport.headFile(dir.resolve("m.bin")));
    }

    // ------------------------------------------------------------------ negative controls

    /** Max |ORT − Java| when the file exported from {@code exported} runs on what {@code reference} embeds. */
    private static double difference(SiameseModel exported, SiameseModel reference) throws OrtException {
        try (OrtRunner ort = new OrtRunner(OnnxExport.embedding(exported).bytes())) {
            Tensor x = ExportModels.images(reference, 7, 99);
            return OnnxRuntimeTest.maxAbsDifference(reference.embed(x).data(), ort.run(Map.of(OnnxExport.IMAGES, x)));
        }
    }

    @Test
    void aDeliberatelyBrokenExportFailsTheComparison() throws OrtException {
        SiameseModel faces = ExportModels.build(Recipes.faces(), 6);
        assertTrue(difference(faces, faces) <= OnnxRuntimeTest.TOLERANCE, "the control passes");
        ModelCard card = faces.card();
        InputSpec in = card.input();
        SiameseModel noMirror = SiameseModel.of(faces.embeddingNet(), ModelCard.builder(new InputSpec(in.height(), in.width(),
                in.channels(), in.invert(), false)).normalized(card.normalized()).build());
        assertTrue(difference(noMirror, faces) > 1e-3, "an export without the mirror tower is caught");
        SiameseModel shifted = SiameseModel.of(faces.embeddingNet(), ModelCard.builder(in.shiftAveraged())
                .normalized(card.normalized()).build());
        assertTrue(difference(shifted, shifted) <= OnnxRuntimeTest.TOLERANCE, "the shift-averaged control passes");
        assertTrue(difference(faces, shifted) > 1e-3, "an export without the shift towers is caught");
        SiameseModel unnormalised = SiameseModel.of(faces.embeddingNet(), card.toBuilder().normalized(false).build());
        assertTrue(difference(unnormalised, faces) > 1e-3, "an export without the normalisation is caught");

        SiameseModel kochA = ExportModels.build(ExportModels.kochSmall(), 7);
        SiameseModel kochB = ExportModels.build(ExportModels.kochSmall(), 7);
        kochB.stateDict().get("embedding.0.weight").data()[5] += 0.05f; // one weight of 97 408
        assertEquals(97_408, kochB.parameterCount());
        assertTrue(difference(kochA, kochB) > OnnxRuntimeTest.TOLERANCE, "one changed weight is caught");
    }

    @Test
    void statisticsInTheirTrainingFormWouldBeCaught() throws OrtException {
        SiameseModel faces = ExportModels.build(Recipes.faces().withNormalize(false), 3);
        SiameseModel identityStats = ExportModels.build(Recipes.faces().withNormalize(false), 3);
        identityStats.namedBuffers().forEach((name, t) -> {
            if (name.endsWith("running_mean")) {
                java.util.Arrays.fill(t.data(), 0f);
            } else if (name.endsWith("running_var")) {
                java.util.Arrays.fill(t.data(), 1f);
            }
        });
        assertTrue(difference(identityStats, faces) > 1e-3, "running statistics left out are caught");
    }

    @Test
    void aModelTheRuntimeRejectsThrowsWhenLoaded() {
        // a node of an operator that does not exist
        Onnx.Graph unknownOp = new Onnx.Graph("g", List.of(new Onnx.Node("n", "NoSuchOperator", List.of("x"),
                List.of("y"), List.of())), List.of(), List.of(new Onnx.ValueInfo("x", List.of(Onnx.Dim.of(2)), "")),
                List.of(new Onnx.ValueInfo("y", List.of(Onnx.Dim.of(2)), "")), "");
        byte[] bad = new Onnx.Model(OnnxExport.IR_VERSION, OnnxExport.OPSET, "test", "0", "", unknownOp, Map.of())
                .encode();
        OrtException e = assertThrows(OrtException.class, () -> new OrtRunner(bad).close());
        assertTrue(e.getMessage().contains("NoSuchOperator"), e.getMessage());

        // a Conv without its weight (the operator takes 2 or 3 inputs)
        Onnx.Graph noWeight = new Onnx.Graph("g", List.of(new Onnx.Node("c", "Conv", List.of("x"), List.of("y"),
                List.of())), List.of(),
                List.of(new Onnx.ValueInfo("x", List.of(Onnx.Dim.of(1), Onnx.Dim.of(1), Onnx.Dim.of(4), Onnx.Dim.of(4)), "")),
                List.of(new Onnx.ValueInfo("y", List.of(Onnx.Dim.of(1), Onnx.Dim.of(1), Onnx.Dim.of(4), Onnx.Dim.of(4)), "")),
                "");
        byte[] noWeightBytes = new Onnx.Model(OnnxExport.IR_VERSION, OnnxExport.OPSET, "test", "0", "", noWeight,
                Map.of()).encode();
        assertThrows(OrtException.class, () -> new OrtRunner(noWeightBytes).close());

        // a file cut short
        byte[] good = OnnxExport.embedding(ExportModels.build(Recipes.fashion(), 1)).bytes();
        assertThrows(OrtException.class, () -> new OrtRunner(java.util.Arrays.copyOf(good, good.length / 2)).close());
    }
}
