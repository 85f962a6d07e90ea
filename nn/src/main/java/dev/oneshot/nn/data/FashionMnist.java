package dev.oneshot.nn.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Zalando, 28×28 grey-scale clothing images, 10 classes; 60,000 training and
 * 10,000 test images) from the four IDX files of its distribution.
 *
 * <p>Debian ships them in the package {@code dataset-fashion-mnist}, in {@link #DEFAULT_DIR}:
 * {@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz}. Each file is looked
 * for under that name and, failing that, without the {@code .gz} (an unpacked copy).
 */
public final class FashionMnist {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    /** Image height and width. */
    public static final int SIDE = 28;

    private static final String[] CLASS_NAMES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /** Number of classes (labels are 0 to 9). */
    public static final int NUM_CLASSES = CLASS_NAMES.length;

    private FashionMnist() {
    }

    /** The 60,000 training examples from {@link #DEFAULT_DIR}. */
    public static IdxDataset train() throws IOException {
        return train(DEFAULT_DIR);
    }

    /** The 10,000 test examples from {@link #DEFAULT_DIR}. */
    public static IdxDataset test() throws IOException {
        return test(DEFAULT_DIR);
    }

    /** The training examples from {@code dir}. */
    public static IdxDataset train(Path dir) throws IOException {
        return load(dir, "training", TRAIN_IMAGES, TRAIN_LABELS);
    }

    /** The test examples from {@code dir}. */
    public static IdxDataset test(Path dir) throws IOException {
        return load(dir, "test", TEST_IMAGES, TEST_LABELS);
    }

    /** A copy of the ten class names, indexed by label. */
    public static String[] classNames() {
        return CLASS_NAMES.clone();
    }

    /** The name of a label, e.g. {@code className(9)} is {@code "Ankle boot"}. */
    public static String className(int label) {
        if (label < 0 || label >= CLASS_NAMES.length) {
            throw new IllegalArgumentException("FashionMnist.className: label " + label + " is not in 0.."
                    + (CLASS_NAMES.length - 1));
        }
        return CLASS_NAMES[label];
    }

    private static IdxDataset load(Path dir, String split, String images, String labels) throws IOException {
        Path x = find(dir, images);
        Path y = find(dir, labels);
        if (x == null || y == null) {
            List<String> missing = new ArrayList<>();
            if (x == null) {
                missing.add(images);
            }
            if (y == null) {
                missing.add(labels);
            }
            throw new FileNotFoundException("Fashion-MNIST " + split + " set not found in " + dir
                    + ": expected " + images + " and " + labels + " (or the same names without .gz); missing "
                    + String.join(", ", missing)
                    + ". On Debian: apt-get install dataset-fashion-mnist (installs into " + DEFAULT_DIR + ")");
        }
        return IdxDataset.load(x, y);
    }

    private static Path find(Path dir, String gzName) {
        Path gz = dir.resolve(gzName);
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(gzName.substring(0, gzName.length() - ".gz".length()));
        return Files.isRegularFile(raw) ? raw : null;
    }
}
