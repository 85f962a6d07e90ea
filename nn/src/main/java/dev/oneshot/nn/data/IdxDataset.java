package dev.oneshot.nn.data;

import dev.oneshot.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file and its label file, loaded together and checked to agree in count.
 *
 * @param images {@code [n, 1, rows, cols]}, pixels in [0, 1] (see {@link IdxReader#readImages})
 * @param labels {@code n} labels, {@code labels[i]} belongs to image {@code i}
 */
public record IdxDataset(Tensor images, int[] labels) {

    public IdxDataset {
        if (images.shape().length != 4 || images.shape()[0] != labels.length) {
            throw new IllegalArgumentException("IdxDataset: images " + IdxReader.dimsString(images.shape())
                    + " do not match " + labels.length + " labels (want [" + labels.length + ", 1, rows, cols])");
        }
    }

    /** Loads both files; fails if the image and label counts differ. */
    public static IdxDataset load(Path images, Path labels) throws IOException {
        Tensor x = IdxReader.readImages(images);
        int[] y = IdxReader.readLabels(labels);
        int n = x.shape()[0];
        if (n != y.length) {
            throw new IdxFormatException(images + " holds " + n + " images but " + labels + " holds " + y.length
                    + " labels; the counts must match");
        }
        return new IdxDataset(x, y);
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** Image height in pixels. */
    public int rows() {
        return images.shape()[2];
    }

    /** Image width in pixels. */
    public int cols() {
        return images.shape()[3];
    }
}
