package dev.oneshot.app.cli;

import dev.oneshot.nn.data.FashionMnist;
import dev.oneshot.siamese.data.IdxImages;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo's Fashion-MNIST: the full set from a directory, or the small subset shipped in the
 * jar ({@code --data bundled}: 150 training and 60 test images per class, see the LICENSE file
 * beside it). The bundled IDX files are copied to a temporary directory and read by the same
 * IDX reader as the full set; the copies are deleted once loaded.
 */
record DemoData(IdxImages train, IdxImages test, String source) {
    static final String RESOURCE_DIR = "/dev/oneshot/app/demo/";
    static final String[] FILES = {FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, FashionMnist.TEST_IMAGES,
        FashionMnist.TEST_LABELS};
    /** The official label names (7 Sneaker, 8 Bag). */
    static final String[] CLASS_NAMES = FashionMnist.classNames();

    /**
     * {@code spec}: null (the full set at the default directory if present, otherwise the bundled
     * subset), {@code bundled}, or {@code fashion-mnist[:DIR]}.
     */
    static DemoData load(String spec) throws IOException, Options.UsageException {
        if (spec == null) {
            return Files.isRegularFile(FashionMnist.DEFAULT_DIR.resolve(FashionMnist.TRAIN_IMAGES))
                    ? fromDir(FashionMnist.DEFAULT_DIR, "fashion-mnist:" + FashionMnist.DEFAULT_DIR) : bundled();
        }
        if (spec.equals("bundled")) {
            return bundled();
        }
        if (spec.equals("fashion-mnist") || spec.startsWith("fashion-mnist:")) {
            Path dir = spec.contains(":") ? Path.of(spec.substring(spec.indexOf(':') + 1)) : FashionMnist.DEFAULT_DIR;
            if (!Files.isDirectory(dir)) {
                throw new FileNotFoundException(spec + ": " + dir + " is not a directory");
            }
            return fromDir(dir, "fashion-mnist:" + dir);
        }
        throw new Options.UsageException("unknown --data '" + spec + "'; valid: bundled, fashion-mnist[:DIR]");
    }

    /** The data spec of the source: {@code fashion-mnist:DIR}, or {@code bundled}. */
    String spec() {
        return isBundled() ? "bundled" : source;
    }

    /** Whether this is the small subset shipped in the jar. */
    boolean isBundled() {
        return source.startsWith("bundled");
    }

    static DemoData fromDir(Path dir, String source) throws IOException {
        return new DemoData(new IdxImages(FashionMnist.train(dir), CLASS_NAMES),
                new IdxImages(FashionMnist.test(dir), CLASS_NAMES), source);
    }

    /** The subset shipped in the jar. */
    static DemoData bundled() throws IOException {
        Path tmp = Files.createTempDirectory("oneshot-demo-data");
        try {
            for (String f : FILES) {
                try (InputStream in = DemoData.class.getResourceAsStream(RESOURCE_DIR + f)) {
                    if (in == null) {
                        throw new FileNotFoundException("the bundled demo data " + RESOURCE_DIR + f
                                + " is missing from the jar");
                    }
                    Files.copy(in, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return fromDir(tmp, "bundled (Fashion-MNIST subset, 150 train + 60 test per class)");
        } finally {
            for (String f : FILES) {
                Files.deleteIfExists(tmp.resolve(f));
            }
            Files.deleteIfExists(tmp);
        }
    }
}
