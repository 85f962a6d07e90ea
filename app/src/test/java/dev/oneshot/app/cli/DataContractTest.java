package dev.oneshot.app.cli;

import dev.oneshot.core.testing.RequiredData;
import dev.oneshot.nn.data.FashionMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data contract through {@link Main#run}: a spec names every class it loads. {@code eval} and
 * {@code calibrate} score every class of their spec — all 10 digits of an IDX test file, the 3 of
 * {@code fashion-mnist:unseen}, the 7 people of a folder of 7 — and {@code train} trains on every
 * class of its spec (the fashion recipe validates on nothing, so nothing is set aside).
 */
class DataContractTest {
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void trainBriefly() throws Exception {
        RequiredData.require(Files.isDirectory(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist");
        Cli.Result r = Cli.run("train", "--data", "fashion-mnist:seen", "--out", tmp.resolve("m").toString(), "--steps",
                "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("training on 42000 images of 7 classes of fashion-mnist:seen; validation: none"),
                r.err());
        model = tmp.resolve("m/model.safetensors");
    }

    private static String eval(String spec, int way) {
        Cli.Result r = Cli.run("eval", "--model", model.toString(), "--data", spec, "--way", Integer.toString(way),
                "--shot", "1", "--episodes", "5", "--trials", "0", "--json");
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void evalScoresEveryClassOfItsSpec() throws Exception {
        assertTrue(eval("fashion-mnist", 10).contains("\"classes\":10"));
        assertTrue(eval("fashion-mnist:unseen", 3).contains("\"classes\":3"));
        assertTrue(eval("mnist-idx:" + FashionMnist.DEFAULT_DIR, 10).contains("\"classes\":10"),
                "an IDX directory: all 10 classes of its test file");
        Path seven = Files.createDirectories(tmp.resolve("never-seen"));
        for (int p = 0; p < 7; p++) {
            Path person = Files.createDirectories(seven.resolve("person" + p));
            Cli.imageFolder(tmp.resolve("src" + p), p + 1, 8);
            try (var files = Files.list(tmp.resolve("src" + p).resolve(String.format("class%02d", p)))) {
                for (Path f : files.toList()) {
                    Files.copy(f, person.resolve(f.getFileName()));
                }
            }
        }
        assertTrue(eval("folder:" + seven, 7).contains("\"classes\":7"), "a folder of 7 people: 7 classes");
    }

    @Test
    void calibrateUsesEveryClassOfItsSpec() {
        Cli.Result r = Cli.run("calibrate", "--model", model.toString(), "--data", "fashion-mnist:unseen", "--pairs",
                "200", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"classes\":3"), r.out());
        assertTrue(r.out().contains("image halves of each class of fashion-mnist:unseen"), r.out());
    }
}
