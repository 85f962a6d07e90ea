package dev.oneshot.siamese.readme;

import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Embed it in your Java app" sample, compiled and run. Keep {@link #readmeSample}
 * identical to the README's code block.
 */
class EmbedInYourAppTest {
    @TempDir
    Path dir;

    // ---- README sample (begin) ----
    static String readmeSample(Path modelFile, Path galleryFile, Path alice, Path query) throws IOException {
        SiameseModel model = SiameseModel.load(modelFile);      // input size, normalisation, τ: all in its card
        Gallery gallery = GalleryFile.load(galleryFile, model); // refused if made with another model
        gallery.enroll("alice", model.readImage(alice));        // one forward pass, no retraining
        GalleryFile.save(galleryFile, gallery);                 // atomic: temp file, fsync, rename
        Match m = gallery.identify(model.readImage(query));
        String answer = m.known() ? m.identity() : "unknown (nearest: " + m.nearest() + ", d = " + m.score() + ")";
        return answer;
    }

    static TrainingRun.Trained readmeTraining(Path staff, Path modelFile, Duration budget) throws IOException {
        TrainingRun.Trained t = TrainingRun.of(Recipes.generic(), DataSource.parse("folder:" + staff))
                .seed(42).budget(budget).run();  // = oneshot train --data folder:staff --max-minutes M
        t.model().save(modelFile);                               // the weights and the card
        return t;
    }
    // ---- README sample (end) ----

    @Test
    void theReadmeSampleEnrollsAndIdentifies() throws IOException {
        Path modelFile = dir.resolve("model.safetensors");
        SiameseModel untrained = TrainingRun.build(Recipes.fashion(), 42);
        untrained.save(modelFile);
        Path galleryFile = dir.resolve("gallery.safetensors");
        SiameseModel loaded = SiameseModel.load(modelFile);
        Gallery empty = Gallery.of(loaded, GalleryOptions.squaredL2(0.5));
        empty.enroll("bob", loaded.readImage(png("bob.png", 3)));
        GalleryFile.save(galleryFile, empty);

        Path alice = png("alice.png", 11);
        assertEquals("alice", readmeSample(modelFile, galleryFile, alice, alice), "the same photo is alice");
        Gallery after = GalleryFile.load(galleryFile, SiameseModel.load(modelFile));
        assertEquals(java.util.List.of("bob", "alice"), after.identities(), "the enrolment was saved");
        String stranger = readmeSample(modelFile, galleryFile, png("alice2.png", 11), png("noise.png", 99));
        assertTrue(stranger.equals("alice") || stranger.equals("bob") || stranger.startsWith("unknown"), stranger);
        assertFalse(stranger.isEmpty());
    }

    /** The README's training sample: a budget of seconds on a folder of 8 synthetic classes. */
    @Test
    void theReadmeTrainingSampleTrainsAndSavesTheCard() throws IOException {
        Path staff = dir.resolve("staff");
        for (int c = 0; c < 8; c++) {
            Files.createDirectories(staff.resolve("person" + c));
            for (int i = 0; i < 6; i++) {
                Files.copy(png("p" + c + "_" + i + ".png", 100 * c + (i % 2)), staff.resolve("person" + c + "/" + i + ".png"));
            }
        }
        Path modelFile = dir.resolve("staff.safetensors");
        TrainingRun.Trained t = readmeTraining(staff, modelFile, Duration.ofSeconds(4));
        assertTrue(t.result().steps() > 0, t.result().toString());
        ModelCard card = SiameseModel.load(modelFile).card();
        assertEquals("generic", card.recipe().orElseThrow().name());
        assertEquals("folder:" + staff, card.provenance().data());
        assertTrue(card.provenance().validation().startsWith("folder:" + staff + ": 2 of the 8 classes"),
                card.provenance().validation());
        assertTrue(card.provenance().stoppedBy().startsWith("time-budget: "), card.provenance().stoppedBy());
    }

    /** The README's sample is the code above, line for line. */
    @Test
    void theReadmeShowsThisSample() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        String readme = Files.readString(root.resolve("README.md"));
        String source = Files.readString(root.resolve("siamese/src/test/java/dev/oneshot/siamese/readme/EmbedInYourAppTest.java"));
        String sample = source.substring(source.indexOf("// ---- README sample (begin) ----"),
                source.indexOf("// ---- README sample (end) ----"));
        for (String line : sample.lines().toList()) {
            String code = line.strip();
            if (code.startsWith("SiameseModel model") || code.startsWith("Gallery gallery") || code.startsWith("gallery.")
                    || code.startsWith("GalleryFile.save") || code.startsWith("Match m") || code.startsWith("String answer")
                    || code.startsWith("TrainingRun.Trained t =") || code.startsWith(".seed(42)")
                    || code.startsWith("t.model().save")) {
                assertTrue(readme.contains(code.replace("return ", "")), "README.md lacks the sample line: " + code);
            }
        }
    }

    /** A 28×28 grey PNG with a seeded pattern. */
    private Path png(String name, long seed) throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        dev.oneshot.core.tensor.SeededRandom rng = new dev.oneshot.core.tensor.SeededRandom(seed);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = rng.nextDouble() < 0.3 ? 255 : 0;
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }
}
