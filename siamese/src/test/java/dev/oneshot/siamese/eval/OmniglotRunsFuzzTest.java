package dev.oneshot.siamese.eval;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oneshot.core.testing.FuzzContract;
import dev.oneshot.core.testing.FuzzFiles;
import dev.oneshot.siamese.data.GrayImages;
import dev.oneshot.siamese.data.ImageOptions;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * Fuzz targets for Lake et al.'s one-shot runs: the {@code class_labels.txt} parser (in a real
 * run folder whose images exist) and the zip reader. Regression mode replays
 * {@code src/test/resources/dev/oneshot/siamese/eval/OmniglotRunsFuzzTestInputs/<method>/}.
 */
class OmniglotRunsFuzzTest {
    private static final Path ROOT = runFolder();
    private static final Path ZIP = FuzzFiles.tempDir("omniglot-zip-fuzz").resolve("runs.zip");

    /** run01 with training/class01..03.png and test/item01..03.png (4×4 grey), labels to be fuzzed. */
    private static Path runFolder() {
        Path root = FuzzFiles.tempDir("omniglot-runs-fuzz");
        try {
            for (String sub : new String[] {"training/class", "test/item"}) {
                for (int i = 1; i <= 3; i++) {
                    Path p = root.resolve("run01/" + sub + String.format("%02d.png", i));
                    Files.createDirectories(p.getParent());
                    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
                    img.getRaster().setSample(i, i, 0, 255);
                    ImageIO.write(img, "png", p.toFile());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /**
     * Any {@code class_labels.txt}: runs whose answers index the training images, or an
     * {@link IOException} naming the labels file (and line) or the image at fault.
     */
    @FuzzTest(maxDuration = "5m")
    void classLabels(byte[] bytes) throws IOException {
        Files.write(ROOT.resolve("run01/" + OmniglotRuns.LABELS_FILE), bytes);
        FuzzContract.check(ROOT.toString(), bytes.length, 256, () -> check(OmniglotRuns.read(ROOT, ImageOptions.nativeSize())),
                IOException.class);
    }

    /**
     * Any file given as a runs zip: runs, or an {@link IOException} naming the zip. Entries may
     * inflate (deflate: at most 1032:1) and hold images (see {@link GrayImages#MAX_PIXELS_PER_BYTE};
     * decoding may allocate 128 bytes per pixel, as in {@code ImageDecodeFuzzTest}).
     */
    @FuzzTest(maxDuration = "5m")
    void runsZip(byte[] bytes) throws IOException {
        Files.write(ZIP, bytes);
        FuzzContract.check(ZIP.toString(), bytes.length, 128 * GrayImages.MAX_PIXELS_PER_BYTE,
                () -> check(OmniglotRuns.read(ZIP, ImageOptions.square(4))), IOException.class);
    }

    private static void check(OmniglotRuns runs) {
        for (OmniglotRuns.Run r : runs.runs()) {
            for (int a : r.answers()) {
                if (a < 0 || a >= r.trainingCount()) {
                    throw new AssertionError(runs.source() + ": " + r.name() + " answer " + a + " outside [0, "
                            + r.trainingCount() + ")");
                }
            }
        }
    }
}
