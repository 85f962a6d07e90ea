package dev.oneshot.app.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
