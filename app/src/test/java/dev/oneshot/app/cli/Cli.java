package dev.oneshot.app.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.nets.NetworkSpec;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.recipe.Validation;

import javax.imageio.ImageIO;

/** Runs {@link Main#run} capturing stdout and stderr; writes synthetic image folders. */
final class Cli {
    record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A small recipe for tests, written to {@code dir/tiny.json}: the demo's small CNN on 8×8
     * images, batch-all triplets on P×K = 4×4, 10 steps, and validation on a fifth of the classes
     * (3-way, 5 episodes) every 5 steps. Returns the file's path, for {@code --recipe}.
     */
    static String tinyRecipe(Path dir) throws IOException {
        Recipe tiny = Recipes.generic().withName("tiny").withSummary("CLI tests")
                .withNetwork(new NetworkSpec.SmallCnn(32, 64, 128, 64)).withInput(InputSpec.square(8))
                .withBatch(4, 4).withSteps(10).withValidation(new Validation(0.2, 3, 5, 5, 100));
        Path file = dir.resolve("tiny.json");
        tiny.save(file);
        return file.toString();
    }

    /**
     * {@code classes} class folders of {@code perClass} 8×8 PNGs: class c is a bright bar at a
     * class-specific row/column with a little seeded noise, so classes are learnable and distinct.
     */
    static Path imageFolder(Path root, int classes, int perClass) throws IOException {
        java.util.Random rng = new java.util.Random(7);
        for (int c = 0; c < classes; c++) {
            Path dir = Files.createDirectories(root.resolve(String.format("class%02d", c)));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        boolean on = c < 8 ? y == c : x == c - 8;
                        int v = (on ? 220 : 20) + rng.nextInt(30);
                        img.getRaster().setSample(x, y, 0, v);
                    }
                }
                ImageIO.write(img, "png", dir.resolve(String.format("img%02d.png", i)).toFile());
            }
        }
        return root;
    }
}
