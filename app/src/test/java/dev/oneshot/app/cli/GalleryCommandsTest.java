package dev.oneshot.app.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** enroll → identify, verify and calibrate on the tiny synthetic-folder model of {@link EndToEndTest}, plus bad inputs. */
class GalleryCommandsTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;
    static Path enrollDir;

    @BeforeAll
    static void train() throws Exception {
        data = Cli.imageFolder(tmp.resolve("images"), 10, 12);
        Cli.Result r = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("run").toString(),
                "--recipe", Cli.tinyRecipe(tmp), "--seed", "3");
        assertEquals(0, r.code(), r.err());
        model = tmp.resolve("run/model.safetensors");
        enrollDir = tmp.resolve("enroll");
        for (int c = 0; c < 3; c++) {
            Path dir = Files.createDirectories(enrollDir.resolve("id" + c));
            for (int i = 0; i < 6; i++) {
                Files.copy(image(c, i), dir.resolve("img" + i + ".png"));
            }
        }
    }

    static Path image(int cls, int i) {
        return data.resolve(String.format("class%02d/img%02d.png", cls, i));
    }

    @Test
    void enrollAFolderThenIdentifyOtherImagesOfTheSameIdentities() throws Exception {
        Path gallery = tmp.resolve("g1/gallery.safetensors");
        Cli.Result e = Cli.run("enroll", "--model", model.toString(), "--gallery", gallery.toString(), "--tau", "4",
                "--folder", enrollDir.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("enrolled id1: 6 image(s)"), e.out());
        assertTrue(e.out().contains("created " + gallery + ": 18 image(s) of 3 identities"), e.out());
        assertTrue(Files.isRegularFile(gallery));
        Cli.Result i = Cli.run("identify", "--model", model.toString(), "--gallery", gallery.toString(),
                image(1, 10).toString(), image(2, 11).toString());
        assertEquals(0, i.code(), i.err());
        String[] lines = i.out().trim().split("\n");
        assertEquals(2, lines.length, i.out());
        assertTrue(lines[0].startsWith(image(1, 10) + "  id1  distance "), i.out());
        assertTrue(lines[1].startsWith(image(2, 11) + "  id2  distance "), i.out());
        Cli.Result j = Cli.run("identify", "--model", model.toString(), "--gallery", gallery.toString(), "--top", "2",
                "--json", image(0, 9).toString());
        assertEquals(0, j.code(), j.err());
        assertEquals(1, j.out().trim().lines().count(), j.out());
        assertTrue(j.out().startsWith("{\"results\":[{\"image\":\"" + image(0, 9) + "\",\"identity\":\"id0\",\"known\":true,"),
                j.out());
        assertTrue(j.out().contains("\"top\":[{\"identity\":\"id0\",") && j.out().trim().endsWith("],\"tau\":4.0}"), j.out());

        Cli.Result add = Cli.run("enroll", "--model", model.toString(), "--gallery", gallery.toString(), "--id", "extra",
                image(5, 0).toString(), image(5, 1).toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("enrolled extra: 2 image(s)"), add.out());
        assertTrue(add.out().contains("updated " + gallery + ": 2 image(s) of 1 identity enrolled; the gallery holds "
                + "20 image(s) of 4 identities"), add.out());
    }

    /**
     * The same enrolments into a file and into a Lucene index folder (both policies): identify and
     * verify print the same answers, byte for byte; a second enroll adds to the index; the index
     * refuses another model.
     */
    @Test
    void aLuceneGalleryGivesTheFileGallerysAnswers() throws Exception {
        String[] queries = new String[10];
        for (int c = 0; c < queries.length; c++) {
            queries[c] = image(c, 11).toString();
        }
        for (String policy : new String[] {"nearest", "prototype"}) {
            Path file = tmp.resolve("same-" + policy + ".safetensors");
            String lucene = "lucene:" + tmp.resolve("same-" + policy + "-index");
            for (String g : new String[] {file.toString(), lucene}) {
                Cli.Result e = Cli.run("enroll", "--model", model.toString(), "--gallery", g, "--tau", "0.5",
                        "--policy", policy, "--folder", enrollDir.toString());
                assertEquals(0, e.code(), e.err());
                assertTrue(e.out().contains("created " + g + ": 18 image(s) of 3 identities"), e.out());
                Cli.Result add = Cli.run("enroll", "--model", model.toString(), "--gallery", g, "--id", "extra",
                        image(5, 0).toString(), image(5, 1).toString());
                assertEquals(0, add.code(), add.err());
                assertTrue(add.out().contains("updated " + g + ": 2 image(s) of 1 identity enrolled; the gallery holds "
                        + "20 image(s) of 4 identities"), add.out());
            }
            for (String[] extra : new String[][] {{"--top", "3", "--json"}, {"--top", "2"}}) {
                String[] fileArgs = concat(new String[] {"identify", "--model", model.toString(), "--gallery", file.toString()},
                        extra, queries);
                String[] luceneArgs = concat(new String[] {"identify", "--model", model.toString(), "--gallery", lucene},
                        extra, queries);
                Cli.Result a = Cli.run(fileArgs);
                Cli.Result b = Cli.run(luceneArgs);
                assertEquals(0, b.code(), b.err());
                assertEquals(a.out(), b.out(), policy + " " + String.join(" ", extra));
                assertTrue(a.out().contains(queries[9]) && a.out().contains("extra"), a.out());
            }
            Cli.Result v1 = Cli.run("verify", "--model", model.toString(), "--gallery", file.toString(), queries[0], queries[1]);
            Cli.Result v2 = Cli.run("verify", "--model", model.toString(), "--gallery", lucene, queries[0], queries[1]);
            assertEquals(0, v2.code(), v2.err());
            assertEquals(v1.out(), v2.out());
            assertTrue(v2.err().contains("τ = 0.5 (the gallery's)"), v2.err());
        }
        Cli.Result other = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("run3").toString(),
                "--recipe", Cli.tinyRecipe(tmp), "--steps", "2", "--seed", "5");
        assertEquals(0, other.code(), other.err());
        Cli.Result refused = Cli.run("identify", "--model", tmp.resolve("run3/model.safetensors").toString(),
                "--gallery", "lucene:" + tmp.resolve("same-nearest-index"), queries[0]);
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("refusing to open with a different model"), refused.err());
        Cli.Result missing = Cli.run("identify", "--model", model.toString(), "--gallery",
                "lucene:" + tmp.resolve("no-index"), queries[0]);
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no-index: no such gallery index folder (create it with oneshot enroll)"),
                missing.err());
        Cli.Result both = Cli.run("verify", "--model", model.toString(), "--tau", "1", "--gallery",
                "lucene:" + tmp.resolve("same-nearest-index"), queries[0], queries[1]);
        assertEquals(2, both.code(), both.err());
    }

    static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @Test
    void aNeverEnrolledClassIsUnknownWithATightTau() {
        Path gallery = tmp.resolve("tight.safetensors");
        assertEquals(0, Cli.run("enroll", "--model", model.toString(), "--gallery", gallery.toString(), "--tau", "1e-6",
                "--policy", "prototype", "--folder", enrollDir.toString()).code());
        Cli.Result r = Cli.run("identify", "--model", model.toString(), "--gallery", gallery.toString(),
                image(9, 0).toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  UNKNOWN  (nearest id"), r.out());
        assertTrue(r.out().contains("> τ 1.000e-06"), r.out());
        Cli.Result j = Cli.run("identify", "--model", model.toString(), "--gallery", gallery.toString(), "--json",
                image(9, 0).toString());
        assertTrue(j.out().contains("\"identity\":null,\"known\":false,\"nearest\":\"id"), j.out());
    }

    @Test
    void verifySaysSameOrDifferent() {
        Cli.Result same = Cli.run("verify", "--model", model.toString(), "--tau", "4", image(4, 0).toString(),
                image(4, 1).toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().startsWith("SAME: distance "), same.out());
        Cli.Result diff = Cli.run("verify", "--model", model.toString(), "--tau", "0", image(4, 0).toString(),
                image(7, 1).toString());
        assertTrue(diff.out().startsWith("DIFFERENT: distance ") && diff.out().contains("> τ 0.000"), diff.out());
        Cli.Result j = Cli.run("verify", "--model", model.toString(), "--json", image(4, 0).toString(),
                image(4, 0).toString());
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().startsWith("{\"same\":true,\"distance\":0.0,\"tau\":1.0,"), j.out());
        assertTrue(j.err().contains("τ = 1.0 (default for unit-length embeddings (cosine ≥ 0.5))"), j.err());
    }

    @Test
    void calibrateChoosesTauAndCanStoreItForEnroll() throws Exception {
        Cli.Result t = Cli.run("calibrate", "--model", model.toString(), "--data", "folder:" + data, "--pairs", "200");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().startsWith("τ = ") && t.out().contains("FAR ") && t.out().contains("AUC "), t.out());
        Path copy = Files.copy(model, tmp.resolve("calibrated.safetensors"), StandardCopyOption.REPLACE_EXISTING);
        Cli.Result j = Cli.run("calibrate", "--model", copy.toString(), "--data", "folder:" + data, "--pairs", "200",
                "--criterion", "far:0.1", "--json", "--write-tau");
        assertEquals(0, j.code(), j.err());
        assertEquals(1, j.out().trim().lines().count(), j.out());
        for (String key : new String[] {"\"tau\":", "\"criterion\":\"TARGET_FAR(0.1)\"", "\"far\":", "\"frr\":",
                "\"auc\":", "\"eer\":", "\"written\":true", "\"classes\":10"}) {
            assertTrue(j.out().contains(key), key + " in " + j.out());
        }
        String tau = j.out().replaceAll(".*\"tau\":([0-9.eE-]+).*\\s*", "$1");
        Cli.Result e = Cli.run("enroll", "--model", copy.toString(), "--gallery", tmp.resolve("cal.safetensors").toString(),
                "--id", "a", image(0, 0).toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.err().contains("τ = " + tau + " (TARGET_FAR(0.1) on 200 + 200 pairs of class halves of folder:"
                + data + ")"), e.err());
        assertEquals(Double.parseDouble(tau), dev.oneshot.siamese.model.SiameseModel.load(copy).card().threshold().tau());
        // the weights are untouched, so a gallery of the original model still loads with the calibrated copy
        Path g = tmp.resolve("orig.safetensors");
        assertEquals(0, Cli.run("enroll", "--model", model.toString(), "--gallery", g.toString(), "--id", "a",
                image(0, 0).toString()).code());
        assertEquals(0, Cli.run("identify", "--model", copy.toString(), "--gallery", g.toString(), image(0, 1).toString()).code());
    }

    @Test
    void badInputs() throws Exception {
        Cli.Result missing = Cli.run("identify", "--model", model.toString(), "--gallery",
                tmp.resolve("nope.safetensors").toString(), image(0, 0).toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().contains("nope.safetensors: no such gallery file"), missing.err());

        Cli.Result other = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("run2").toString(),
                "--recipe", Cli.tinyRecipe(tmp), "--steps", "2", "--seed", "4");
        assertEquals(0, other.code(), other.err());
        Path otherModel = tmp.resolve("run2/model.safetensors");
        Path gallery = tmp.resolve("mine.safetensors");
        assertEquals(0, Cli.run("enroll", "--model", model.toString(), "--gallery", gallery.toString(), "--id", "a",
                image(0, 0).toString()).code());
        for (String cmd : new String[] {"identify", "enroll"}) {
            Cli.Result r = cmd.equals("identify")
                    ? Cli.run("identify", "--model", otherModel.toString(), "--gallery", gallery.toString(), image(0, 1).toString())
                    : Cli.run("enroll", "--model", otherModel.toString(), "--gallery", gallery.toString(), "--id", "b",
                    image(1, 1).toString());
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("different model") && r.err().split("sha256:").length == 3, r.err());
        }

        Cli.Result crit = Cli.run("calibrate", "--model", model.toString(), "--data", "folder:" + data, "--criterion", "roc");
        assertEquals(2, crit.code());
        assertTrue(crit.err().contains("--criterion must be") && crit.err().contains("usage: oneshot calibrate"), crit.err());
        Cli.Result one = Cli.run("verify", "--model", model.toString(), image(0, 0).toString());
        assertEquals(2, one.code());
        assertTrue(one.err().contains("expected 2 arguments (IMAGE_A IMAGE_B), got 1")
                && one.err().contains("usage: oneshot verify"), one.err());
        Cli.Result both = Cli.run("enroll", "--model", model.toString(), "--gallery", gallery.toString());
        assertEquals(2, both.code());
        assertFalse(both.err().contains("\tat "), "no stack trace");
        for (String cmd : new String[] {"enroll", "identify", "verify", "calibrate"}) {
            Cli.Result h = Cli.run(cmd, "--help");
            assertEquals(0, h.code());
            assertTrue(h.out().startsWith("usage: oneshot " + cmd + " "), h.out());
        }
    }
}
