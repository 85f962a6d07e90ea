package dev.oneshot.siamese.readme;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.persist.ModelFile;
import dev.oneshot.siamese.data.GrayImages;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import dev.oneshot.siamese.twin.TwinNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

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
    static Tensor image(Path png) throws IOException {
        float[] pixels = GrayImages.read(png, ImageOptions.square(28)).pixels(); // grey, [0, 1], 28×28
        return Tensor.wrap(pixels, 1, 1, 28, 28);                                 // a batch of one
    }

    static String readmeSample(Path model, Path galleryFile, Path alice, Path query) throws IOException {
        Module f = ModelFile.load(model);                         // the architecture is in the file
        TwinNetwork net = new TwinNetwork(f, true);               // the demo's embeddings are unit-norm
        Gallery gallery = GalleryFile.load(galleryFile, net, null); // refused if made with another model
        gallery.enroll("alice", image(alice));                   // one forward pass, no retraining
        GalleryFile.save(galleryFile, gallery);                   // atomic: temp file, fsync, rename
        Match m = gallery.identify(image(query));
        return m.known() ? m.identity() : "unknown (nearest: " + m.nearest() + ", d = " + m.score() + ")";
    }
    // ---- README sample (end) ----

    @Test
    void theReadmeSampleEnrollsAndIdentifies() throws IOException {
        Path model = dir.resolve("model.safetensors");
        TwinNetwork twin = new TwinNetwork(EmbeddingNets.smallCnn(SmallCnnConfig.demo()), true);
        ModelFile.save(model, twin.embeddingNet(), Map.of("seed", "42"));
        Path galleryFile = dir.resolve("gallery.safetensors");
        TwinNetwork loaded = new TwinNetwork(ModelFile.load(model), true);
        Gallery empty = Gallery.forModel(loaded, 64, GalleryOptions.squaredL2(0.5));
        empty.enroll("bob", image(png("bob.png", 3)));
        GalleryFile.save(galleryFile, empty);

        Path alice = png("alice.png", 11);
        assertEquals("alice", readmeSample(model, galleryFile, alice, alice), "the same photo is alice");
        Gallery after = GalleryFile.load(galleryFile, new TwinNetwork(ModelFile.load(model), true), null);
        assertEquals(java.util.List.of("bob", "alice"), after.identities(), "the enrolment was saved");
        String stranger = readmeSample(model, galleryFile, png("alice2.png", 11), png("noise.png", 99));
        assertTrue(stranger.equals("alice") || stranger.equals("bob") || stranger.startsWith("unknown"), stranger);
        assertFalse(stranger.isEmpty());
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
