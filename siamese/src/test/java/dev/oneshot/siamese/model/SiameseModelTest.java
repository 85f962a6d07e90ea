package dev.oneshot.siamese.model;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.persist.ModelFile;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.TrainingRun;
import dev.oneshot.siamese.twin.TwinNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model and its card: what a file holds, how it reads back, what {@code embed} applies. */
class SiameseModelTest {
    @TempDir
    Path dir;

    private static ModelCard card(Recipe recipe) {
        return ModelCard.builder(recipe.input()).normalized(recipe.normalize()).recipe(recipe)
                .calibration(new Threshold(0.4375, "EER on 2000 + 2000 pairs of orl:x.zip"))
                .provenance(new Provenance("orl:x.zip:people=1-30", "none", 400, 71.5, 42, 2, "steps-done: all 400 steps done",
                        Double.NaN, "0.1.0-SNAPSHOT", "0d33a5a5440ed5f9644b98bd8ebe971b4463134e"))
                .build();
    }

    @Test
    void everyBuiltInRecipesCardSurvivesItsJson() {
        for (Recipe r : Recipes.all()) {
            ModelCard c = card(r);
            ModelCard back = ModelCard.fromJson(JsonObject.parse(Json.write(c.toJson()), "card"));
            assertEquals(c, back, r.name());
            assertEquals(r, back.recipe().orElseThrow(), r.name());
            assertEquals(0.4375, back.threshold().tau());
            assertTrue(Double.isNaN(back.provenance().bestValidation()));
        }
    }

    @Test
    void aCardWithoutCalibrationFallsBackToTheDefaultThreshold() {
        ModelCard unit = ModelCard.builder(InputSpec.square(28)).build();
        assertEquals(Threshold.UNIT_NORM_DEFAULT, unit.threshold().tau());
        assertTrue(unit.calibration().isEmpty());
        ModelCard raw = ModelCard.builder(InputSpec.square(28)).normalized(false).build();
        assertEquals(Double.POSITIVE_INFINITY, raw.threshold().tau());
        assertEquals(raw, ModelCard.fromJson(JsonObject.parse(Json.write(raw.toJson()), "card")));
    }

    @Test
    void aCardFieldItDoesNotKnowIsAnErrorNamingIt() {
        Map<String, Object> json = new LinkedHashMap<>(ModelCard.builder(InputSpec.square(28)).build().toJson());
        json.put("treshold", Map.of("tau", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson(JsonObject.parse(Json.write(json), "m.safetensors: siamese.card")));
        assertTrue(e.getMessage().startsWith("m.safetensors: siamese.card") && e.getMessage().contains("treshold"),
                e.getMessage());
        json.remove("treshold");
        json.put("card_version", 9);
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson(JsonObject.parse(Json.write(json), "m")));
        assertEquals("m.card_version: this code reads version 1, got 9", e.getMessage());
    }

    @Test
    void saveAndLoadGiveTheSameWeightsCardAndEmbeddings() throws Exception {
        Recipe recipe = Recipes.faces();
        SiameseModel m = TrainingRun.build(recipe, 7).withCard(card(recipe));
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        SiameseModel back = SiameseModel.load(file);
        assertEquals(m.card(), back.card());
        assertEquals(m.stateDict().keySet(), back.stateDict().keySet());
        assertTrue(back.stateDict().containsKey("embedding.0.weight"), back.stateDict().keySet().toString());
        m.stateDict().forEach((k, v) -> assertArrayEquals(v.data(), back.stateDict().get(k).data(), k));
        assertEquals(m.fingerprint(), back.fingerprint());
        assertFalse(back.isTraining(), "a loaded model is in eval mode");
        Tensor x = Tensor.randn(3, 4, 1, 28, 23);
        assertArrayEquals(m.embed(x).data(), back.embed(x).data());

        SafetensorsFile f = Safetensors.read(file);
        assertEquals("pt", f.metadata().get("format"));
        assertTrue(f.metadata().get("oneshot.architecture").startsWith("SiameseModel[Sequential[Conv2d(1,64,"),
                f.metadata().get("oneshot.architecture"));
        assertTrue(f.metadata().get(SiameseModel.CARD_KEY).contains("\"recipe\":{\"name\":\"faces\""));
    }

    @Test
    void aShiftAveragedModelKeepsItsInputThroughTheFile() throws Exception {
        InputSpec in = InputSpec.square(28).inverted().shiftAveraged();
        assertEquals(Boolean.TRUE, in.toJson().get("shift_average"));
        assertFalse(InputSpec.square(28).toJson().containsKey("shift_average"), "absent when off: older cards read the same");
        assertEquals(InputSpec.square(28), InputSpec.fromJson(JsonObject.parse(
                "{\"height\":28,\"width\":28,\"channels\":1,\"invert\":false,\"mirror_average\":false}", "c")));
        Recipe r = Recipes.omniglot().withInput(in);
        SiameseModel m = TrainingRun.build(r, 9).withCard(card(r));
        Path file = dir.resolve("shifted.safetensors");
        m.save(file);
        SiameseModel back = SiameseModel.load(file);
        assertEquals(in, back.card().input());
        assertTrue(back.twin().shiftAverages());
        Tensor x = Tensor.rand(new SeededRandom(4), 3, 1, 28, 28);
        assertArrayEquals(m.embed(x).data(), back.embed(x).data());
        SiameseModel plain = m.withCard(card(r.withInput(InputSpec.square(28).inverted())));
        assertFalse(java.util.Arrays.equals(plain.embed(x).data(), m.embed(x).data()), "the shifts change the embedding");
    }

    @Test
    void aModelWithKochsHeadKeepsIt() throws Exception {
        Recipe binary = Recipes.fashion().withObjective(new dev.oneshot.siamese.recipe.Objective.Binary());
        SiameseModel m = TrainingRun.build(binary, 3);
        assertTrue(m.head().isPresent());
        assertFalse(m.card().normalized(), "the binary objective trains unnormalised embeddings");
        Path file = dir.resolve("k.safetensors");
        m.save(file);
        SiameseModel back = SiameseModel.load(file);
        assertTrue(back.stateDict().containsKey("head.fc.weight"), back.stateDict().keySet().toString());
        assertEquals(64, back.head().orElseThrow().dim());
        assertArrayEquals(m.stateDict().get("head.fc.weight").data(), back.stateDict().get("head.fc.weight").data());
        assertTrue(Safetensors.read(file).metadata().get("oneshot.architecture").endsWith(",BinaryVerificationHead(64)]"));
    }

    /** A model file of an earlier version: the embedding network alone, its facts as flat metadata. */
    @Test
    void anEarlierVersionsModelFileLoadsWithACardFromItsKeys() throws Exception {
        Sequential f = Recipes.faces().network().build(InputSpec.of(28, 23), 5);
        Path file = dir.resolve("old.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("image_size", "28x23");
        meta.put("normalize", "true");
        meta.put("mirror_average", "true");
        meta.put("invert", "false");
        meta.put("tau", "0.55");
        meta.put("tau_criterion", "EER");
        meta.put("seed", "5");
        meta.put("steps", "80");
        meta.put("data", "orl:faces.zip:people=1-30");
        ModelFile.save(file, f, meta);
        SiameseModel m = SiameseModel.load(file);
        assertEquals(InputSpec.of(28, 23).mirrorAveraged(), m.card().input());
        assertTrue(m.card().normalized());
        assertEquals(new Threshold(0.55, "EER"), m.card().calibration().orElseThrow());
        assertTrue(m.card().recipe().isEmpty());
        assertEquals(80, m.card().provenance().steps());
        assertEquals(5, m.card().provenance().seed());
        f.stateDict().forEach((k, v) -> assertArrayEquals(v.data(), m.embeddingNet().stateDict().get(k).data(), k));
        assertTrue(m.card().input().mirrorAverage() && m.twin().mirrorAverages());
    }

    @Test
    void aBrokenCardIsAnIOExceptionNamingTheFileAndTheField() throws Exception {
        SiameseModel m = TrainingRun.build(Recipes.fashion(), 1);
        Path file = dir.resolve("bad.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(SiameseModel.CARD_KEY, Json.write(m.card().toJson()).replace("\"height\":28", "\"height\":2"));
        ModelFile.save(file, m, meta);
        IOException e = assertThrows(IOException.class, () -> SiameseModel.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("height"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> SiameseModel.load(dir.resolve("none.safetensors")));
        assertEquals(dir.resolve("none.safetensors") + ": no such model file", missing.getMessage());
        Path run = Files.createDirectories(dir.resolve("run"));
        m.save(run.resolve("model.safetensors"));
        IOException folder = assertThrows(IOException.class, () -> SiameseModel.load(run));
        assertEquals(run + ": no such model file (it is a folder; the model in it is " + run.resolve("model.safetensors")
                + ")", folder.getMessage());
    }

    @Test
    void embedAppliesTheCardsNormalisationAndMirrorAveraging() {
        SiameseModel faces = TrainingRun.build(Recipes.faces(), 2);
        Tensor x = Tensor.randn(4, 3, 1, 28, 23);
        Tensor e = faces.embed(x);
        for (int i = 0; i < 3; i++) {
            double norm = 0;
            for (int t = 0; t < e.size(1); t++) {
                norm += e.data()[i * e.size(1) + t] * e.data()[i * e.size(1) + t];
            }
            assertEquals(1.0, norm, 1e-5, "row " + i + " is unit length");
        }
        assertArrayEquals(e.data(), faces.embed(TwinNetwork.mirror(x)).data(), 1e-6f,
                "mirror averaging: a photo and its mirror image embed alike");
        SiameseModel plain = faces.withCard(faces.card().toBuilder().normalized(false)
                .build());
        assertNotEquals(1.0, norm(plain.embed(x), 0), 1e-3);
        assertEquals(64, faces.embeddingDim());
    }

    private static double norm(Tensor e, int row) {
        double s = 0;
        for (int t = 0; t < e.size(1); t++) {
            s += e.data()[row * e.size(1) + t] * e.data()[row * e.size(1) + t];
        }
        return s;
    }

    @Test
    void imagesAreReadAtTheCardsSizeAndInvertedIfItSays() throws Exception {
        BufferedImage img = new BufferedImage(92, 112, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 92; x++) {
                img.getRaster().setSample(x, y, 0, x < 46 ? 255 : 0);
            }
        }
        Path png = dir.resolve("half.png");
        ImageIO.write(img, "png", png.toFile());
        SiameseModel faces = TrainingRun.build(Recipes.faces(), 2);
        Tensor t = faces.readImage(png);
        assertArrayEquals(new int[] {1, 1, 28, 23}, t.shape());
        assertEquals(1f, t.data()[0], 1e-6f, "white stays 1");
        SiameseModel omniglot = TrainingRun.build(Recipes.omniglot(), 2);
        Tensor inv = omniglot.readImages(List.of(png.toString(), png.toString()));
        assertArrayEquals(new int[] {2, 1, 28, 28}, inv.shape());
        assertEquals(0f, inv.data()[0], 1e-6f, "Omniglot's card inverts: white becomes 0");
    }

    @Test
    void theFingerprintFollowsTheWeights() {
        SiameseModel m = TrainingRun.build(Recipes.fashion(), 1);
        String before = m.fingerprint();
        assertEquals(before, m.withCard(m.card().withCalibration(new Threshold(0.5, "by hand"))).fingerprint(),
                "the card is not part of the weights");
        m.stateDict().get("embedding.0.weight").data()[0] += 1e-3f;
        assertNotEquals(before, m.fingerprint());
        assertEquals(ModelFingerprint.of(m.stateDict()), m.fingerprint());
        BinaryVerificationHead head = new BinaryVerificationHead(64, new SeededRandom(1));
        assertNotEquals(m.fingerprint(), SiameseModel.withHead(m.embeddingNet(), head, m.card()).fingerprint());
    }
}
