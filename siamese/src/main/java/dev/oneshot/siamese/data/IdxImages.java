package dev.oneshot.siamese.data;

import dev.oneshot.nn.data.FashionMnist;
import dev.oneshot.nn.data.IdxDataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An {@link IdxDataset} (MNIST-style IDX files, e.g. Fashion-MNIST) seen as
 * {@link LabeledImages}: images {@code 1×rows×cols}, no copy of the pixels. The class count
 * is the number of names given (or the largest label + 1 when none are).
 */
public final class IdxImages implements LabeledImages {
    private final IdxDataset data;
    private final String[] names;

    /** Wraps {@code data}; {@code classNames} may be {@code null} (names become {@code "0"}, {@code "1"}, …). */
    public IdxImages(IdxDataset data, String[] classNames) {
        this.data = data;
        int max = Arrays.stream(data.labels()).max().orElse(-1);
        if (classNames == null) {
            classNames = new String[max + 1];
            for (int c = 0; c <= max; c++) {
                classNames[c] = Integer.toString(c);
            }
        } else if (max >= classNames.length) {
            throw new IllegalArgumentException("IdxImages: label " + max + " but only " + classNames.length
                    + " class names");
        }
        if (Arrays.stream(data.labels()).anyMatch(y -> y < 0)) {
            throw new IllegalArgumentException("IdxImages: negative label");
        }
        this.names = classNames.clone();
    }

    /** Fashion-MNIST training set (60,000) from {@code dir}, with its ten class names. */
    public static IdxImages fashionMnistTrain(Path dir) throws IOException {
        return new IdxImages(FashionMnist.train(dir), FashionMnist.classNames());
    }

    /** Fashion-MNIST test set (10,000) from {@code dir}, with its ten class names. */
    public static IdxImages fashionMnistTest(Path dir) throws IOException {
        return new IdxImages(FashionMnist.test(dir), FashionMnist.classNames());
    }

    /** The wrapped data set. */
    public IdxDataset dataset() {
        return data;
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public int label(int i) {
        return data.labels()[i];
    }

    @Override
    public int classCount() {
        return names.length;
    }

    @Override
    public String className(int c) {
        return names[c];
    }

    @Override
    public int[] imageShape() {
        return new int[] {1, data.rows(), data.cols()};
    }

    @Override
    public void copyImage(int i, float[] out, int offset) {
        int n = data.rows() * data.cols();
        System.arraycopy(data.images().data(), i * n, out, offset, n);
    }
}
