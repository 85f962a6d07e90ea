package dev.oneshot.siamese.data;

import java.util.List;
import java.util.Map;

/**
 * Decoded images held in one contiguous {@code float[]} ({@code n·C·H·W} values, example
 * after example), with their labels, class names and optional metadata. What the image-folder
 * and Omniglot loaders build.
 */
public final class InMemoryImages implements LabeledImages {
    private final float[] pixels;
    private final int[] shape;
    private final int[] labels;
    private final List<String> classNames;
    private final List<Map<String, String>> metadata;

    /**
     * @param pixels     {@code labels.length · C·H·W} values in [0, 1]; kept, not copied
     * @param shape      {@code {C, H, W}}
     * @param labels     class index of each example
     * @param classNames name of each class; its size is the class count
     * @param metadata   one (possibly empty) map per example, or {@code null} for none
     */
    public InMemoryImages(float[] pixels, int[] shape, int[] labels, List<String> classNames,
                          List<Map<String, String>> metadata) {
        if (shape.length != 3 || shape[0] <= 0 || shape[1] <= 0 || shape[2] <= 0) {
            throw new IllegalArgumentException("InMemoryImages: image shape must be {C, H, W} > 0");
        }
        long per = (long) shape[0] * shape[1] * shape[2];
        if (pixels.length != per * labels.length) {
            throw new IllegalArgumentException("InMemoryImages: " + pixels.length + " pixels for "
                    + labels.length + " images of " + per + " values");
        }
        for (int y : labels) {
            if (y < 0 || y >= classNames.size()) {
                throw new IllegalArgumentException("InMemoryImages: label " + y + " outside 0.."
                        + (classNames.size() - 1));
            }
        }
        if (metadata != null && metadata.size() != labels.length) {
            throw new IllegalArgumentException("InMemoryImages: " + metadata.size() + " metadata entries for "
                    + labels.length + " images");
        }
        this.pixels = pixels;
        this.shape = shape.clone();
        this.labels = labels.clone();
        this.classNames = List.copyOf(classNames);
        this.metadata = metadata == null ? null : List.copyOf(metadata);
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public int classCount() {
        return classNames.size();
    }

    @Override
    public String className(int c) {
        return classNames.get(c);
    }

    @Override
    public int[] imageShape() {
        return shape.clone();
    }

    @Override
    public void copyImage(int i, float[] out, int offset) {
        int n = imageSize();
        System.arraycopy(pixels, i * n, out, offset, n);
    }

    @Override
    public Map<String, String> metadata(int i) {
        return metadata == null ? Map.of() : metadata.get(i);
    }
}
