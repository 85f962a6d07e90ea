package dev.oneshot.app.cli;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.json.JsonObject;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.SiameseModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train → info → eval → embed → info on synthetic 8×8 images in a temporary folder, plus bad inputs. */
class EndToEndTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;
    static Cli.Result trained;

    @BeforeAll
    static void train() throws Exception {
        data = Cli.imageFolder(tmp.resolve("images"), 10, 12);
        trained = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("run").toString(),
                "--recipe", Cli.tinyRecipe(tmp), "--seed", "3");
        model = tmp.resolve("run/model.safetensors");
    }

    @Test
    void trainWritesTheModelWithItsCard() throws Exception {
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().startsWith("wrote " + model + ": 10 steps"), trained.out());
        assertTrue(trained.err().contains("step 5: mean loss") && trained.err().contains("step 10: mean loss"),
                trained.err());
        SiameseModel m = SiameseModel.load(model);
        ModelCard card = m.card();
        assertEquals("tiny", card.recipe().orElseThrow().name());
        assertEquals(InputSpec.square(8), card.input());
        assertTrue(card.normalized());
        assertEquals(3, card.provenance().seed());
        assertEquals(10, card.provenance().steps());
        assertEquals("folder:" + data, card.provenance().data());
        assertEquals("steps-done: all 10 steps done; 2 of the 10 steps were skipped (the miner found no triplet in "
                + "the batch)", card.provenance().stoppedBy(), "the tiny run's batch-all finds nothing to learn twice");
        assertEquals(1, trained.err().split("found no triplet", -1).length - 1, "one warning for both: " + trained.err());
        assertEquals(Main.version(), "oneshot " + card.provenance().version() + " (commit " + card.provenance().commit()
                + ")", "the card records the version and commit that oneshot --version prints");
        assertTrue(card.provenance().validation().startsWith("folder:" + data + ": 2 of the 10 classes, drawn with seed 3:"),
                card.provenance().validation());
    }

    @Test
    void trainJsonCountsTheSkippedSteps() throws Exception {
        Cli.Result r = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("run-json").toString(),
                "--recipe", Cli.tinyRecipe(tmp), "--seed", "3", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonObject.parse(r.out(), "train --json");
        assertEquals(10, o.longValue("steps"));
        assertEquals(2, o.longValue("skipped_steps"), "the same seed skips the same two steps: " + r.out());
        assertEquals("steps_done", o.string("stop_reason"));
        assertTrue(o.string("stopped_by").endsWith("2 of the 10 steps were skipped (the miner found no triplet in the "
                + "batch)"), o.string("stopped_by"));
    }

    /** Every class of --data trains except the validation classes, which the log names; with --val, all of them. */
    @Test
    void trainSetsApartOnlyTheValidationClassesItNames() throws Exception {
        assertTrue(trained.err().contains("training on 96 images of 8 classes of folder:" + data
                + "; validation: folder:" + data + ": 2 of the 10 classes, drawn with seed 3: class"), trained.err());
        Path val = Cli.imageFolder(tmp.resolve("val-images"), 3, 6);
        Cli.Result r = Cli.run("train", "--data", "folder:" + data, "--val", "folder:" + val, "--out",
                tmp.resolve("run-val").toString(), "--recipe", Cli.tinyRecipe(tmp), "--steps", "5", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("training on 120 images of 10 classes of folder:" + data + "; validation: folder:"
                + val + ": 3 classes: class00, class01, class02"), r.err());
        assertTrue(r.out().contains("\"steps\":5") && r.out().contains("\"recipe\":\"tiny\""), r.out());
    }

    @Test
    void infoDescribesTheModel() {
        Cli.Result r = Cli.run("info", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("embedding.0.weight  F32   [32, 1, 3, 3]"), r.out());
        assertTrue(r.out().contains("siamese.card"), r.out());
        assertTrue(r.out().contains("model card (siamese.card):\n  {\n    \"card_version\": 1,"), r.out());
        assertTrue(r.out().contains("\"name\": \"tiny\","), "the card in full: " + r.out());
        assertTrue(r.out().contains("… ("), "long architecture string truncated: " + r.out());
        Cli.Result j = Cli.run("info", "--json", model.toString());
        assertEquals(0, j.code());
        assertTrue(j.out().contains("{\"name\":\"embedding.0.weight\",\"dtype\":\"F32\",\"shape\":[32,1,3,3]}"),
                j.out());
        assertEquals(1, j.out().trim().lines().count());
    }

    @Test
    void evalScoresTheModelBesideRawPixels() {
        Cli.Result r = Cli.run("eval", "--model", model.toString(), "--data", "folder:" + data, "--way", "2", "--shot", "1",
                "--episodes", "20", "--queries", "3", "--json");
        assertEquals(0, r.code(), r.err());
        String j = r.out().trim();
        for (String key : new String[] {"\"accuracy\":", "\"ci95\":", "\"baseline_accuracy\":", "\"episodes\":20",
                "\"classes\":10"}) {
            assertTrue(j.contains(key), key + " in " + j);
        }
        double acc = Double.parseDouble(j.replaceAll(".*\"accuracy\":([0-9.eE-]+).*", "$1"));
        assertTrue(acc >= 0 && acc <= 1, j);
        Cli.Result table = Cli.run("eval", "--model", model.toString(), "--data", "folder:" + data, "--way", "2",
                "--shot", "1", "--episodes", "5");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("raw pixels"), table.out());
    }

    @Test
    void embedWritesOneRowPerImage() throws Exception {
        Path a = data.resolve("class00/img00.png");
        Path b = data.resolve("class05/img03.png");
        Path out = tmp.resolve("emb/e.safetensors");
        Cli.Result r = Cli.run("embed", "--model", model.toString(), "--out", out.toString(), a.toString(), b.toString(),
                a.toString());
        assertEquals(0, r.code(), r.err());
        SafetensorsFile f = Safetensors.read(out);
        assertArrayEquals(new int[] {3, 64}, f.get("embeddings").shape());
        assertTrue(f.metadata().get("images").contains(b.toString()), f.metadata().toString());
        float[] e = f.get("embeddings").float32Values();
        double norm = 0;
        for (int i = 0; i < 64; i++) {
            norm += e[i] * e[i];
            assertEquals(e[i], e[128 + i], 0f, "same image, same row");
        }
        assertEquals(1.0, norm, 1e-4, "L2-normalised");
        Cli.Result info = Cli.run("info", out.toString());
        assertEquals(0, info.code());
        assertTrue(info.out().contains("embeddings  F32   [3, 64]"), info.out());
    }

    @Test
    void badInputs() throws Exception {
        Cli.Result recipe = Cli.run("train", "--data", "folder:" + data, "--out", tmp.toString(), "--recipe", "hinge");
        assertEquals(1, recipe.code());
        assertTrue(recipe.err().contains("unknown recipe 'hinge'; built-in: fashion, omniglot, faces, generic"),
                recipe.err());
        Cli.Result spec = Cli.run("train", "--data", "cifar:x", "--out", tmp.toString());
        assertEquals(2, spec.code());
        assertTrue(spec.err().contains("unknown data spec 'cifar:x'"), spec.err());
        Cli.Result steps = Cli.run("train", "--data", "fashion-mnist", "--out", tmp.toString(), "--steps", "0");
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("--steps must be between 1 and") && steps.err().contains("usage: oneshot train"),
                steps.err());
        Cli.Result missing = Cli.run("eval", "--model", tmp.resolve("nope.safetensors").toString(), "--data",
                "folder:" + data, "--way", "2", "--shot", "1", "--episodes", "3");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.safetensors: no such model file"), missing.err());
        Cli.Result way = Cli.run("eval", "--model", model.toString(), "--data", "folder:" + data, "--way", "11",
                "--shot", "1", "--episodes", "3");
        assertEquals(1, way.code());
        assertTrue(way.err().contains("11-way"), way.err());
        assertEquals(1, way.err().trim().lines().filter(l -> l.startsWith("oneshot")).count());
        Cli.Result runs = Cli.run("eval", "--model", model.toString(), "--omniglot-runs", tmp.resolve("no-runs").toString());
        assertEquals(1, runs.code());
        assertTrue(runs.err().contains("no-runs"), runs.err());
        Cli.Result both = Cli.run("eval", "--model", model.toString(), "--omniglot-runs", "x", "--data", "folder:" + data);
        assertEquals(2, both.code());
        Path text = Files.writeString(tmp.resolve("not-an-image.png"), "hello");
        Cli.Result embed = Cli.run("embed", "--model", model.toString(), "--out", tmp.resolve("x.safetensors").toString(),
                text.toString());
        assertEquals(1, embed.code());
        assertTrue(embed.err().contains("not-an-image.png"), embed.err());
        assertFalse(embed.err().contains("\tat "), "no stack trace");
    }

    /** Lake-format runs built from a synthetic 20-character alphabet, scored by the tiny model and raw pixels. */
    @Test
    void evalScoresOmniglotRuns() throws Exception {
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<java.util.Map<String, String>> meta = new java.util.ArrayList<>();
        int[] labels = new int[40];
        float[] px = new float[40 * 64];
        dev.oneshot.core.tensor.SeededRandom rng = new dev.oneshot.core.tensor.SeededRandom(9);
        for (int c = 0; c < 20; c++) {
            String ch = "character" + (c < 9 ? "0" : "") + (c + 1);
            names.add("Alpha/" + ch);
            for (int d = 0; d < 2; d++) {
                int i = 2 * c + d;
                labels[i] = c;
                meta.add(java.util.Map.of(dev.oneshot.siamese.data.Omniglot.ALPHABET, "Alpha",
                        dev.oneshot.siamese.data.Omniglot.CHARACTER, ch, dev.oneshot.siamese.data.Omniglot.DRAWER,
                        "0" + (d + 1), dev.oneshot.siamese.data.Omniglot.FILE, "Alpha/" + ch + "/x_0" + (d + 1) + ".png"));
                for (int t = 0; t < 64; t++) {
                    px[i * 64 + t] = rng.nextDouble() < 0.3 ? 1f : 0f;
                }
            }
        }
        var images = new dev.oneshot.siamese.data.InMemoryImages(px, new int[] {1, 8, 8}, labels, names, meta);
        Path runsDir = tmp.resolve("runs");
        dev.oneshot.siamese.eval.OmniglotRunBuilder.build(images, true, runsDir, 2, 5L);
        Cli.Result r = Cli.run("eval", "--model", model.toString(), "--omniglot-runs", runsDir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        for (String key : new String[] {"\"accuracy\":", "\"ci95\":", "\"baseline_accuracy\":", "\"runs\":2",
                "\"items\":40"}) {
            assertTrue(r.out().contains(key), key + " in " + r.out());
        }
        Cli.Result table = Cli.run("eval", "--model", model.toString(), "--omniglot-runs", runsDir.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("raw pixels"), table.out());
    }

    @Test
    void infoOnAMalformedFileNamesTheProblem() throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        Path cut = Files.write(tmp.resolve("cut.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Cli.Result r = Cli.run("info", cut.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("oneshot info: ") && r.err().contains("cut.safetensors"), r.err());
        assertEquals("", r.out());
    }
}
