package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.Tensor;

import java.util.Map;

/**
 * A finite, indexable set of labelled images: the one interface the samplers, splits and
 * trainers of this package see.
 *
 * <p>Every image has the same shape {@code C×H×W} ({@link #imageShape()}) and pixel values in
 * [0, 1]. Labels are dense class indices {@code 0 .. classCount()−1}. Implementations hold
 * the pixels ({@link InMemoryImages}, {@link IdxImages}) or are cheap views of another data
 * set ({@link Subset}).
 */
public interface LabeledImages {

    /** Number of examples. */
    int size();

    /** The class index of example {@code i}, in {@code 0 .. classCount()−1}. */
    int label(int i);

    /** Number of classes. */
    int classCount();

    /** A human-readable name of class {@code c}, e.g. {@code "Greek/character03"}. */
    String className(int c);

    /** {@code {C, H, W}} of every image (a fresh array). */
    int[] imageShape();

    /**
     * Copies the pixels of example {@code i} ({@code C·H·W} floats, row-major, in [0, 1]) into
     * {@code out} starting at {@code offset}.
     */
    void copyImage(int i, float[] out, int offset);

    /**
     * Per-example metadata, e.g. Omniglot's {@code alphabet} and {@code drawer}
     * (see {@link Omniglot#ALPHABET}); empty when the data set has none.
     */
    default Map<String, String> metadata(int i) {
        return Map.of();
    }

    /** Number of floats in one image, {@code C·H·W}. */
    default int imageSize() {
        int[] s = imageShape();
        return s[0] * s[1] * s[2];
    }

    /** The pixels of example {@code i} as a new {@code C·H·W} array. */
    default float[] image(int i) {
        float[] out = new float[imageSize()];
        copyImage(i, out, 0);
        return out;
    }

    /** Gathers the examples {@code indices} (repeats allowed) into a new {@code [b, C, H, W]} tensor. */
    default Tensor gather(int... indices) {
        int n = imageSize();
        float[] data = new float[indices.length * n];
        for (int b = 0; b < indices.length; b++) {
            copyImage(indices[b], data, b * n);
        }
        int[] s = imageShape();
        return Tensor.wrap(data, indices.length, s[0], s[1], s[2]);
    }

    /** The labels of {@code indices}, in order. */
    default int[] labels(int... indices) {
        int[] out = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            out[b] = label(indices[b]);
        }
        return out;
    }

    /** For each class {@code c}, the indices of its examples in increasing order. */
    default int[][] indicesByClass() {
        int[] counts = new int[classCount()];
        for (int i = 0; i < size(); i++) {
            counts[label(i)]++;
        }
        int[][] out = new int[counts.length][];
        for (int c = 0; c < counts.length; c++) {
            out[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (int i = 0; i < size(); i++) {
            int c = label(i);
            out[c][counts[c]++] = i;
        }
        return out;
    }
}
