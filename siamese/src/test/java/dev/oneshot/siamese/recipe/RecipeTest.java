package dev.oneshot.siamese.recipe;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import dev.oneshot.siamese.data.AffineAugment;
import dev.oneshot.siamese.data.Augmentation;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.mining.BatchHardMiner;
import dev.oneshot.siamese.mining.Miners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipeTest {
    @TempDir
    Path dir;

    @Test
    void theBuiltInsAreFourWithDistinctNames() {
        assertEquals(List.of("fashion", "omniglot", "faces", "generic"), Recipes.all().stream().map(Recipe::name).toList());
        assertEquals("faces", Recipes.forData(DataSource.Kind.ORL).name());
        assertEquals("omniglot", Recipes.forData(DataSource.Kind.OMNIGLOT).name());
        assertEquals("fashion", Recipes.forData(DataSource.Kind.IDX).name());
        assertEquals("generic", Recipes.forData(DataSource.Kind.FOLDER).name());
    }

    @Test
    void everyBuiltInSurvivesItsJsonAndItsFile() throws IOException {
        for (Recipe r : Recipes.all()) {
            assertEquals(r, Recipe.fromJson(JsonObject.parse(Json.write(r.toJson()), r.name())), r.name());
            assertEquals(r, Recipe.fromJson(JsonObject.parse(r.toPrettyJson(), r.name())), r.name() + " (indented)");
            Path file = dir.resolve(r.name() + ".json");
            r.save(file);
            assertEquals(r, Recipe.load(file), r.name() + " (file)");
            assertEquals(r, Recipes.resolve(file.toString()));
            assertEquals(r, Recipes.resolve(r.name()));
            assertTrue(Files.readString(file).contains("\n  \"network\": {\n"), "indented for editing");
        }
    }

    @Test
    void aRecipeFileWithATypoIsRefusedNamingTheFileAndTheField() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(Recipes.faces().toJson());
        json.put("bach", json.remove("batch"));
        Path file = dir.resolve("typo.json");
        Files.writeString(file, Json.write(json));
        IOException e = assertThrows(IOException.class, () -> Recipe.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("bach"), e.getMessage());

        Map<String, Object> miner = new LinkedHashMap<>(Recipes.faces().toJson());
        Map<String, Object> objective = new LinkedHashMap<>(Recipes.faces().objective().toJson());
        objective.put("miner", "batch-al");
        miner.put("objective", objective);
        Files.writeString(file, Json.write(miner));
        e = assertThrows(IOException.class, () -> Recipe.load(file));
        assertTrue(e.getMessage().contains("objective.miner") && e.getMessage().contains("batch-al")
                && e.getMessage().contains("batch-all"), e.getMessage());
    }

    @Test
    void anUnknownNameListsTheBuiltIns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recipes.byName("face"));
        assertEquals("unknown recipe 'face'; built-in: fashion, omniglot, faces, generic (or a recipe FILE.json)",
                e.getMessage());
    }

    @Test
    void minersAreObjectsComparedByName() {
        Objective.Triplet a = Recipes.batchAll();
        assertEquals(a, new Objective.Triplet(Miners.byName("batch-all"), a.options()));
        assertNotEquals(a, a.withMiner(new BatchHardMiner()));
        assertEquals("batch-hard", ((Objective.Triplet) Recipe.fromJson(JsonObject.parse(Json.write(
                Recipes.faces().withObjective(a.withMiner(new BatchHardMiner())).toJson()), "r")).objective())
                .miner().name());
    }

    @Test
    void theNormalizedSoftmaxObjectiveSurvivesItsJsonAndRefusesABadScale() {
        Recipe r = Recipes.omniglot().withObjective(new Objective.NormalizedSoftmax(24)).withNormalize(true);
        Recipe back = Recipe.fromJson(JsonObject.parse(Json.write(r.toJson()), "ns.json"));
        assertEquals(r, back);
        assertEquals(24f, ((Objective.NormalizedSoftmax) back.objective()).scale());
        Map<String, Object> json = new LinkedHashMap<>(r.toJson());
        json.put("objective", Map.of("kind", "normalized-softmax", "scale", -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "ns.json")));
        assertTrue(e.getMessage().contains("objective.scale") && e.getMessage().contains("-1"), e.getMessage());
        assertFalse(r.objective().toJson().containsKey("margin"), "no margin, no field: older cards read the same");
    }

    @Test
    void aThickerPenAndTheInkFitSurviveTheirJson() {
        AffineAugment pen = new AffineAugment(AffineAugment.Config.KOCH.withThickening(0.7));
        Recipe r = Recipes.omniglot().withAugmentation(pen).withInput(Recipes.omniglot().input().inkFitted());
        Recipe back = Recipe.fromJson(JsonObject.parse(Json.write(r.toJson()), "pen.json"));
        assertEquals(r, back);
        assertEquals(0.7, ((AffineAugment) back.augmentation()).config().maxThickening());
        assertTrue(back.input().fitInk());
        assertFalse(Json.write(Recipes.omniglot().toJson()).contains("max_thickening"), "absent when off");
        Map<String, Object> json = new LinkedHashMap<>(r.toJson());
        Map<String, Object> aug = new LinkedHashMap<>(Augmentation.toJson(pen));
        aug.put("max_thickening", 2);
        json.put("augmentation", aug);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "pen.json")));
        assertTrue(e.getMessage().contains("augmentation.max_thickening"), e.getMessage());
    }

    @Test
    void thePrototypicalObjectiveSurvivesItsJsonAndNeedsAQueryPerClass() {
        Recipe r = Recipes.omniglot().withObjective(new Objective.Prototypical(2));
        Recipe back = Recipe.fromJson(JsonObject.parse(Json.write(r.toJson()), "proto.json"));
        assertEquals(r, back);
        assertEquals(2, ((Objective.Prototypical) back.objective()).shots());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> r.withBatch(32, 2));
        assertTrue(k.getMessage().contains("needs K > 2 images per class") && k.getMessage().contains("got K=2"),
                k.getMessage());
        Map<String, Object> json = new LinkedHashMap<>(r.toJson());
        json.put("objective", Map.of("kind", "prototypical", "shots", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "proto.json")));
        assertTrue(e.getMessage().contains("objective.shots"), e.getMessage());
    }

    @Test
    void aSoftmaxMarginSurvivesItsJsonAndIsRefusedOutsideItsRange() {
        Recipe r = Recipes.fashion().withObjective(new Objective.NormalizedSoftmax(32, 0.2f));
        Recipe back = Recipe.fromJson(JsonObject.parse(Json.write(r.toJson()), "m.json"));
        assertEquals(r, back);
        assertEquals(0.2f, ((Objective.NormalizedSoftmax) back.objective()).margin());
        Map<String, Object> json = new LinkedHashMap<>(r.toJson());
        json.put("objective", Map.of("kind", "normalized-softmax", "scale", 32, "margin", 1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "m.json")));
        assertTrue(e.getMessage().contains("objective.margin") && e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void softmaxMixupSurvivesItsJsonAndIsRefusedOutsideItsRangeAndInAJointObjective() {
        Recipe r = Recipes.fashion().withObjective(new Objective.NormalizedSoftmax(32, 0, 0.4));
        Recipe back = Recipe.fromJson(JsonObject.parse(Json.write(r.toJson()), "mix.json"));
        assertEquals(r, back);
        assertEquals(0.4, ((Objective.NormalizedSoftmax) back.objective()).mixup());
        assertTrue(!Json.write(Recipes.fashion().toJson()).contains("mixup"), "written only when not 0");
        Map<String, Object> json = new LinkedHashMap<>(r.toJson());
        json.put("objective", Map.of("kind", "normalized-softmax", "scale", 32, "mixup", -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "mix.json")));
        assertTrue(e.getMessage().contains("objective.mixup") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Objective.Joint(
                (Objective.Triplet) Recipes.faces().objective(), new Objective.NormalizedSoftmax(32, 0, 1), 1));
        assertTrue(e.getMessage().contains("mixup must be 0, got 1.0"), e.getMessage());
    }

    @Test
    void memberObjectivesSurviveTheirJsonAndAreCheckedAgainstTheMembers() {
        Objective softmax = Recipes.fashion().objective();
        Objective triplets = Recipes.faces().objective();
        Recipe r = Recipes.fashion().withMemberObjectives(List.of(softmax, triplets));
        assertEquals(2, r.members());
        Recipe back = Recipe.fromJson(JsonObject.parse(Json.write(r.toJson()), "mo.json"));
        assertEquals(r, back);
        assertEquals(List.of(softmax, triplets), back.memberObjectives());
        assertEquals(triplets, back.member(1).objective());
        assertEquals(1, back.member(1).members());
        assertEquals(softmax, back.member(0).objective());
        assertEquals(List.of(), r.withMembers(3).memberObjectives(), "another member count drops them");
        assertEquals(List.of(), r.withObjective(triplets).memberObjectives(), "one objective for every member");
        assertTrue(!Json.write(Recipes.faces().toJson()).contains("member_objectives"), "written only when set");
        Map<String, Object> json = new LinkedHashMap<>(r.toJson());
        json.put("members", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "mo.json")));
        assertTrue(e.getMessage().contains("one objective per member (3), got 2"), e.getMessage());
        json.put("members", 2);
        json.put("member_objectives", List.of(triplets.toJson(), softmax.toJson()));
        e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "mo.json")));
        assertTrue(e.getMessage().contains("member_objectives[0] must be the recipe's objective"), e.getMessage());
        json.put("member_objectives", List.of(softmax.toJson(), Map.of("kind", "nope")));
        e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "mo.json")));
        assertTrue(e.getMessage().contains("mo.json.member_objectives[1].kind"), e.getMessage());
    }

    /** The loss in the training log's and the demo report's words: one objective, or one per member. */
    @Test
    void lossTextNamesEachMembersLoss() {
        assertEquals("triplet loss (batch-all mining)", Recipes.faces().lossText());
        assertEquals("triplet loss (batch-hard mining)", Recipes.omniglot().lossText());
        assertEquals("normalized-softmax loss", Recipes.fashion().lossText());
        assertEquals("losses normalized-softmax, triplet (batch-all mining), one per member", Recipes.fashion()
                .withMemberObjectives(List.of(Recipes.fashion().objective(), Recipes.batchAll())).lossText());
    }

    @Test
    void theJointObjectiveSurvivesItsJsonAndNamesAWrongPart() {
        Objective.Joint joint = new Objective.Joint((Objective.Triplet) Recipes.faces().objective(),
                new Objective.NormalizedSoftmax(32), 0.5f);
        Recipe r = Recipes.fashion().withObjective(joint);
        Recipe back = Recipe.fromJson(JsonObject.parse(Json.write(r.toJson()), "joint.json"));
        assertEquals(r, back);
        assertEquals(joint, back.objective());
        Map<String, Object> json = new LinkedHashMap<>(r.toJson());
        Map<String, Object> bad = new LinkedHashMap<>(joint.toJson());
        bad.put("softmax", Map.of("kind", "binary"));
        json.put("objective", bad);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "joint.json")));
        assertTrue(e.getMessage().contains("objective.softmax.kind") && e.getMessage().contains("binary"),
                e.getMessage());
        bad.put("softmax", joint.softmax().toJson());
        bad.put("softmax_weight", 0);
        e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(Json.write(json), "joint.json")));
        assertTrue(e.getMessage().contains("objective.softmax_weight"), e.getMessage());
    }

    @Test
    void theBinaryObjectiveTakesRawEmbeddings() {
        Recipe binary = Recipes.faces().withObjective(new Objective.Binary());
        assertEquals(false, binary.normalize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> binary.withNormalize(true));
        assertTrue(e.getMessage().contains("unnormalised"), e.getMessage());
    }

    @Test
    void theCosineGoesFromTheBaseRateToItsFinalFraction() {
        Schedule.Cosine c = new Schedule.Cosine(0.01);
        assertEquals(1.0, c.factor(0), 1e-15);
        assertEquals(0.505, c.factor(0.5), 1e-12);
        assertEquals(0.01, c.factor(1), 1e-15);
        assertEquals(0.01, c.factor(1.7), 1e-15, "clamped past the end");
        assertEquals(1.0, new Schedule.Constant().factor(0.9));
        assertThrows(IllegalArgumentException.class, () -> new Schedule.Cosine(1.5));
    }

    @Test
    void validationNoneIsOff() {
        assertTrue(!Validation.NONE.enabled());
        assertEquals(Validation.NONE, Validation.fromJson(JsonObject.parse("{\"episodes\":0}", "v")));
        assertThrows(IllegalArgumentException.class, () -> new Validation(0.7, 5, 10, 10, 1));
    }

    @Test
    void classTurnsAreWrittenOnlyWhenUsedAndCheckedWhenRead() {
        Recipe omniglot = Recipes.omniglot();
        assertEquals(8, omniglot.classTurns());
        assertEquals(8, ((Number) omniglot.toJson().get("class_turns")).intValue());
        Recipe faces = Recipes.faces();
        assertTrue(!faces.toJson().containsKey("class_turns"), "recipes that turn nothing keep their old JSON");
        assertEquals(1, Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(faces.toJson()), "f"))
                .classTurns(), "a card written before class_turns existed reads as 1");

        java.util.Map<String, Object> three = new java.util.LinkedHashMap<>(omniglot.toJson());
        three.put("class_turns", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(three), "omni.json")));
        assertTrue(e.getMessage().contains("omni.json") && e.getMessage().contains("got 3"), e.getMessage());
        three.put("class_turns", 2);
        assertEquals(2, Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(three), "omni.json"))
                .classTurns(), "2: upside down only");
        assertEquals(2, faces.withClassTurns(2).classTurns(), "upside down needs no square input");
        e = assertThrows(IllegalArgumentException.class, () -> faces.withClassTurns(4));
        assertTrue(e.getMessage().contains("square") && e.getMessage().contains("28×23"), e.getMessage());
    }

    @Test
    void membersAreWrittenOnlyForAnEnsembleAndCheckedWhenRead() {
        Recipe faces = Recipes.faces().withMembers(1);
        assertEquals(1, Recipes.omniglot().members());
        assertTrue(!Recipes.omniglot().toJson().containsKey("members"), "a single network keeps the old JSON");
        assertEquals(2, Recipes.faces().members(), "faces and fashion train two networks");
        Recipe three = faces.withMembers(3);
        assertEquals(3, ((Number) three.toJson().get("members")).intValue());
        assertEquals(three, Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(three.toJson()), "f")));
        assertEquals(3, three.withName("x").withSteps(7).withClassTurns(2).members(), "the withers keep the members");

        java.util.Map<String, Object> zero = new java.util.LinkedHashMap<>(three.toJson());
        zero.put("members", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(zero), "faces.json")));
        assertTrue(e.getMessage().contains("faces.json") && e.getMessage().contains("members"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> faces.withMembers(Recipe.MAX_MEMBERS + 1));
        assertTrue(e.getMessage().contains("members must be 1–16, got 17"), e.getMessage());
        assertEquals(1, three.withObjective(new Objective.Binary()).members(), "the binary objective trains one network");
        e = assertThrows(IllegalArgumentException.class,
                () -> faces.withObjective(new Objective.Binary()).withMembers(2));
        assertTrue(e.getMessage().contains("binary") && e.getMessage().contains("members"), e.getMessage());
    }

    @Test
    void theProjectionHeadIsWrittenOnlyWhenSetAndCheckedWhenRead() {
        Recipe omniglot = Recipes.omniglot();
        assertTrue(!omniglot.projectionHead() && !omniglot.toJson().containsKey("projection_head"),
                "without a head the JSON stays as it was");
        Recipe headed = omniglot.withProjectionHead(true);
        assertEquals(Boolean.TRUE, headed.toJson().get("projection_head"));
        assertEquals(headed, Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(headed.toJson()), "f")));
        assertTrue(headed.withName("x").withSteps(7).withMembers(2).withBatch(4, 4).projectionHead(),
                "the withers keep the head");

        java.util.Map<String, Object> bad = new java.util.LinkedHashMap<>(headed.toJson());
        bad.put("projection_head", "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(bad), "o.json")));
        assertTrue(e.getMessage().contains("o.json") && e.getMessage().contains("projection_head"), e.getMessage());
        assertTrue(!headed.withObjective(new Objective.Binary()).projectionHead(),
                "the binary objective's head scores the embedding itself");
        e = assertThrows(IllegalArgumentException.class,
                () -> omniglot.withObjective(new Objective.Binary()).withNormalize(false).withProjectionHead(true));
        assertTrue(e.getMessage().contains("binary") && e.getMessage().contains("projection_head"), e.getMessage());
    }
    @Test
    void composedClassesAreWrittenOnlyWhenSetAndCheckedWhenRead() {
        Recipe omniglot = Recipes.omniglot();
        assertTrue(omniglot.composedClasses() == 0 && !omniglot.toJson().containsKey("composed_classes"),
                "without composed classes the JSON stays as it was");
        Recipe composed = omniglot.withComposedClasses(0.5);
        assertEquals(0.5, ((Number) composed.toJson().get("composed_classes")).doubleValue());
        assertEquals(composed, Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(composed.toJson()), "f")));
        assertEquals(0.5, composed.withName("x").withSteps(7).withMembers(2).withClassTurns(4).withProjectionHead(true)
                .withObjective(new Objective.Binary()).withNormalize(false).composedClasses(), "the withers keep it");
        assertEquals(3, dev.oneshot.siamese.train.SiameseTrainer.composedCount(composed, 5), "round(0.5 · 5)");

        java.util.Map<String, Object> bad = new java.util.LinkedHashMap<>(composed.toJson());
        bad.put("composed_classes", -1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recipe.fromJson(JsonObject.parse(dev.oneshot.core.json.Json.write(bad), "o.json")));
        assertTrue(e.getMessage().contains("o.json") && e.getMessage().contains("composed_classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> omniglot.withComposedClasses(Double.NaN));
        assertTrue(e.getMessage().contains("composed_classes must be 0–100"), e.getMessage());
    }
}
