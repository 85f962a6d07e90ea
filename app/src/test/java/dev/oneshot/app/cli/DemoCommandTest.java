package dev.oneshot.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oneshot demo} end to end on the Fashion-MNIST subset shipped in the jar, with a small
 * budget: 80 steps, no time limit (so the run is the same on any machine: deterministic for
 * the seed), 300 episodes.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void bundledDemoWritesResultsPlotsAndReportAndBeatsRawPixels() throws Exception {
        Path out = dir.resolve("run");
        Cli.Result r = Cli.run("demo", "--data", "bundled", "--steps", "80", "--max-minutes", "0", "--episodes", "300",
                "--seed", "42", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        String json = Files.readString(out.resolve("results.json")).trim();
        assertEquals(json, r.out().trim(), "--json prints results.json");
        for (String key : new String[] {"unseen.accuracy", "unseen.baseline_accuracy", "all.accuracy",
            "all.baseline_accuracy", "verification.auc", "verification.eer", "gallery.accuracy"}) {
            double v = number(json, key);
            assertTrue(v >= 0 && v <= 1, key + " = " + v);
        }
        assertEquals(3, number(json, "unseen.way"));
        assertEquals(10, number(json, "all.way"));
        assertEquals(42, number(json, "seed"));
        assertTrue(number(json, "tau") > 0, "tau");
        assertTrue(number(json, "train_seconds") > 0, "train_seconds");
        assertTrue(json.contains("\"config\":{"), json);
        boolean unseenWins = number(json, "unseen.accuracy") > number(json, "unseen.baseline_accuracy");
        boolean allWins = number(json, "all.accuracy") > number(json, "all.baseline_accuracy");
        assertTrue(unseenWins || allWins, "the model beats raw pixels on unseen or all classes: " + json);

        String html = Files.readString(out.resolve("report.html"));
        for (String png : DemoReport.PLOTS) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(img, png + " is a readable image");
            assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, png + " is " + img.getWidth() + "×"
                    + img.getHeight());
            assertTrue(html.contains("src=\"" + png + "\""), "report.html shows " + png);
        }
        assertTrue(Files.size(out.resolve("model.safetensors")) > 0);
        assertTrue(Files.size(out.resolve("gallery.safetensors")) > 0);
        var card = dev.oneshot.siamese.model.SiameseModel.load(out.resolve("model.safetensors")).card();
        assertEquals(number(json, "tau"), card.calibration().orElseThrow().tau(), 1e-12, "the model card holds τ");
        assertEquals("fashion", card.recipe().orElseThrow().name());
        assertEquals("bundled:seen", card.provenance().data());
        assertEquals(80, card.provenance().steps());
        assertEquals(dev.oneshot.siamese.model.Provenance.currentCommit(), card.provenance().commit());
    }

    @Test
    void zeroStepsIsAUsageError() {
        Cli.Result r = Cli.run("demo", "--data", "bundled", "--steps", "0", "--out", dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--steps"), r.err());
        assertTrue(!Files.exists(dir.resolve("x")), "nothing written");
    }

    /** --recipe trains the recipe given (here a two-member one of softmax and triplets) on the demo's data. */
    @Test
    void aRecipeFileIsTrainedAndItsInputMustBeTheDemos() throws Exception {
        dev.oneshot.siamese.recipe.Recipe mine = dev.oneshot.siamese.recipe.Recipes.fashion().withName("mine")
                .withMemberObjectives(java.util.List.of(dev.oneshot.siamese.recipe.Recipes.fashion().objective(),
                        dev.oneshot.siamese.recipe.Recipes.batchAll()));
        Path file = dir.resolve("mine.json");
        mine.save(file);
        Path out = dir.resolve("mine");
        Cli.Result r = Cli.run("demo", "--data", "bundled", "--recipe", file.toString(), "--steps", "3",
                "--max-minutes", "0", "--episodes", "20", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("training recipe mine on 1050 images of classes 0–6: 3 steps for each of 2 networks"),
                r.err());
        var card = dev.oneshot.siamese.model.SiameseModel.load(out.resolve("model.safetensors")).card();
        assertEquals(mine, card.recipe().orElseThrow());
        assertEquals(6, card.provenance().steps(), "3 steps for each of two networks");
        String results = Files.readString(out.resolve("results.json"));
        assertTrue(results.contains("\"member_objectives\":[{\"kind\":\"normalized-softmax\"")
                && results.contains("},{\"kind\":\"triplet\""), "results.json names each member's objective: " + results);
        assertTrue(Files.readString(out.resolve("report.html")).contains("trained with losses normalized-softmax, "
                + "triplet (batch-all mining), one per member"), "the report names both losses");
        Cli.Result faces = Cli.run("demo", "--data", "bundled", "--recipe", "faces", "--out", dir.resolve("f").toString());
        assertEquals(2, faces.code());
        assertTrue(faces.err().contains("the demo's images are 28×28 grey; the recipe 'faces' takes 28×23×1"),
                faces.err());
        assertTrue(!Files.exists(dir.resolve("f")), "nothing written");
    }

    @Test
    void unknownDataIsAUsageError() {
        assertEquals(2, Cli.run("demo", "--data", "mnist", "--out", dir.resolve("y").toString()).code());
    }

    /** The number at a dotted key path ("unseen.accuracy") of a flat-enough JSON text written by Json. */
    static double number(String json, String path) {
        String text = json;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            int at = text.indexOf("\"" + parts[i] + "\":{");
            assertTrue(at >= 0, "no object " + parts[i] + " in " + json);
            text = text.substring(at + parts[i].length() + 3);
        }
        Matcher m = Pattern.compile("\"" + Pattern.quote(parts[parts.length - 1]) + "\":(-?[0-9.eE+-]+)").matcher(text);
        assertTrue(m.find(), "no number " + path + " in " + json);
        return Double.parseDouble(m.group(1));
    }
}
