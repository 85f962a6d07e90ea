package dev.oneshot.siamese.gallery;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oneshot.core.testing.FuzzContract;
import dev.oneshot.core.testing.FuzzFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for gallery files. Regression mode replays
 * {@code src/test/resources/dev/oneshot/siamese/gallery/GalleryFileFuzzTestInputs/loadGallery/}.
 */
class GalleryFileFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir("gallery-fuzz");

    /**
     * Any file: a gallery of precomputed embeddings that answers a query, or an
     * {@link IOException} / {@link IllegalArgumentException} whose message starts with the
     * file's path. Loading copies the embeddings a few times (file bytes, floats, row store,
     * prototypes), so allocation stays within a constant times the file's size.
     */
    @FuzzTest(maxDuration = "5m")
    void loadGallery(byte[] bytes) throws IOException {
        Path file = DIR.resolve("gallery.safetensors");
        Files.write(file, bytes);
        FuzzContract.check(file.toString(), bytes.length, 128, () -> {
            Gallery g = GalleryFile.loadEmbeddings(file);
            if (g.imageCount() > 0) {
                Match m = g.identifyEmbedding(new float[g.dim()]);
                if (!g.identities().contains(m.nearest())) {
                    throw new AssertionError(file + ": nearest identity " + m.nearest() + " is not enrolled");
                }
            }
        }, IOException.class, IllegalArgumentException.class);
    }
}
