package dev.oneshot.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --init FILE} and {@code crossval --init FILE}: networks start from another model's weights. */
class TrainInitCommandTest {
    @Test
    void trainAndCrossvalStartFromAModelsWeightsAndSaySo(@TempDir Path tmp) throws Exception {
        Path data = Cli.imageFolder(tmp.resolve("images"), 10, 12);
        String recipe = Cli.tinyRecipe(tmp);
        Cli.Result pre = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("pre").toString(),
                "--recipe", recipe, "--seed", "3");
        assertEquals(0, pre.code(), pre.err());
        Path preModel = tmp.resolve("pre/model.safetensors");

        Cli.Result fine = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("fine").toString(),
                "--recipe", recipe, "--seed", "4", "--init", preModel.toString());
        assertEquals(0, fine.code(), fine.err());
        assertTrue(fine.err().contains("starting from the weights of " + preModel + ": "), fine.err());
        assertTrue(fine.err().matches("(?s).*starting from the weights of \\S+: (\\d+) of \\1 tensors\\R.*"),
                "the same network takes every tensor: " + fine.err());
        var card = dev.oneshot.siamese.model.SiameseModel.load(tmp.resolve("fine/model.safetensors")).card();
        assertTrue(card.provenance().data().endsWith(", starting from the weights of " + preModel),
                card.provenance().data());
        Cli.Result cold = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("cold").toString(),
                "--recipe", recipe, "--seed", "4");
        assertEquals(0, cold.code(), cold.err());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("cold/model.safetensors")),
                Files.readAllBytes(tmp.resolve("fine/model.safetensors"))), "the warm start changes the weights");

        Cli.Result cv = Cli.run("crossval", "--data", "folder:" + data, "--recipe", recipe, "--folds", "2", "--way", "3",
                "--shot", "1", "--episodes", "10", "--init", preModel.toString());
        assertEquals(0, cv.code(), cv.err());
        assertEquals(2, cv.err().split("starting from the weights of ", -1).length - 1, "once per fold: " + cv.err());

        Cli.Result missing = Cli.run("train", "--data", "folder:" + data, "--out", tmp.resolve("x").toString(),
                "--recipe", recipe, "--init", tmp.resolve("nope.safetensors").toString());
        assertFalse(missing.code() == 0);
        assertTrue(missing.err().contains("nope.safetensors"), missing.err());
        assertFalse(Files.exists(tmp.resolve("x/model.safetensors")), "nothing written");
    }
}
