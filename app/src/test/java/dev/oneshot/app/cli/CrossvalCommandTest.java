package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code oneshot crossval} through {@link Main#run}: disjoint folds covering every class, per-fold scores, mean ± sd. */
class CrossvalCommandTest {
    @TempDir
    Path tmp;

    @Test
    void threeFoldsOfAFolderOfTwelvePeople() throws Exception {
        Path data = Cli.imageFolder(tmp.resolve("people"), 12, 8);
        Cli.Result r = Cli.run("crossval", "--data", "folder:" + data, "--recipe", Cli.tinyRecipe(tmp), "--folds", "3",
                "--way", "3", "--shot", "1", "--steps", "4", "--episodes", "10", "--trials", "5", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonObject.parse(r.out(), "crossval --json");
        List<Object> folds = o.array("folds");
        assertEquals(3, folds.size());
        Set<String> heldOut = new HashSet<>();
        double sum = 0;
        double[] acc = new double[3];
        double aucSum = 0;
        for (int f = 0; f < 3; f++) {
            JsonObject fold = JsonObject.of(folds.get(f), "fold " + f);
            assertEquals(f + 1, fold.integer("fold", 1, 3));
            assertEquals(4, fold.integer("classes", 0, 100), "12 classes in 3 folds");
            String names = fold.string("held_out");
            assertTrue(names.startsWith("4 classes: class"), names);
            for (String c : names.substring(names.indexOf(':') + 2).split(", ")) {
                assertTrue(heldOut.add(c), c + " is held out twice");
            }
            acc[f] = fold.number("accuracy", 0, 1);
            sum += acc[f];
            fold.number("baseline_accuracy", 0, 1);
            aucSum += fold.number("auc", 0, 1);
            // one bright row or column per class, noise of ±15 grey levels: every same-class pair of
            // pixels is nearer than every other pair, so raw pixels verify perfectly
            assertEquals(1.0, fold.number("baseline_auc", 0, 1), 0.0, fold.toString());
            assertTrue(fold.object("open_set").has("rank1"), fold.toString());
            assertEquals(4, fold.longValue("steps"));
        }
        assertEquals(12, heldOut.size(), "every class is held out once");
        assertEquals(sum / 3, o.number("mean", 0, 1), 1e-12);
        double m = sum / 3;
        double sd = Math.sqrt(((acc[0] - m) * (acc[0] - m) + (acc[1] - m) * (acc[1] - m) + (acc[2] - m) * (acc[2] - m)) / 2);
        assertEquals(sd, o.number("sd", 0, 1), 1e-12, "the sample standard deviation over folds");
        assertEquals(aucSum / 3, o.number("auc_mean", 0, 1), 1e-12);
        assertEquals(1.0, o.number("baseline_auc_mean", 0, 1), 0.0);
        assertEquals("tiny", o.string("recipe"));
        assertTrue(r.err().contains("fold 2 of 3: holding out 4 classes: class"), r.err());
        // each fold trains on the 8 other classes, 2 of which the tiny recipe keeps back to validate
        assertTrue(r.err().contains("training on 48 images of 6 classes of folder:" + data + " without fold 1 of 3; "
                + "validation: folder:" + data + " without fold 1 of 3: 2 of the 8 classes"), r.err());

        Cli.Result text = Cli.run("crossval", "--data", "folder:" + data, "--recipe", Cli.tinyRecipe(tmp), "--folds",
                "3", "--way", "3", "--shot", "1", "--steps", "4", "--episodes", "10");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("  mean  model ") && text.out().contains("(± = standard deviation over folds)"),
                text.out());
        assertEquals(Json.parse(r.out()), Json.parse(Cli.run("crossval", "--data", "folder:" + data, "--recipe",
                Cli.tinyRecipe(tmp), "--folds", "3", "--way", "3", "--shot", "1", "--steps", "4", "--episodes", "10",
                "--trials", "5", "--json").out()), "the same seed, the same folds and scores");
    }

    @Test
    void tooManyFoldsNameTheClassCount() throws Exception {
        Path data = Cli.imageFolder(tmp.resolve("few"), 3, 6);
        Cli.Result r = Cli.run("crossval", "--data", "folder:" + data, "--recipe", Cli.tinyRecipe(tmp), "--folds", "4",
                "--way", "2", "--shot", "1", "--steps", "2");
        assertEquals(Main.FAILURE, r.code());
        assertTrue(r.err().contains("4 folds need between 2 and 3 groups; the data has 3 classes"), r.err());
        assertEquals(Main.USAGE, Cli.run("crossval", "--data", "folder:" + data, "--way", "2", "--shot", "1").code(),
                "--folds is required");
    }
}
