package dev.oneshot.siamese.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Decodes a list of encoded images (in parallel) and packs them into an {@link InMemoryImages},
 * checking that all end up the same size. Shared by {@link ImageFolder} and {@link Omniglot}.
 */
final class ImageAssembler {
    /** One encoded image: where it came from (for errors), its bytes, class and metadata. */
    record Item(String name, byte[] bytes, int label, Map<String, String> metadata) {
    }

    private ImageAssembler() {
    }

    static InMemoryImages assemble(List<Item> items, List<String> classNames, ImageOptions options)
            throws IOException {
        GrayImages.Plane[] planes = new GrayImages.Plane[items.size()];
        try {
            IntStream.range(0, items.size()).parallel().forEach(i -> {
                Item it = items.get(i);
                try {
                    planes[i] = GrayImages.decode(it.bytes(), it.name(), options);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        int h = planes[0].height(), w = planes[0].width();
        float[] pixels = new float[items.size() * h * w];
        int[] labels = new int[items.size()];
        List<Map<String, String>> meta = new ArrayList<>(items.size());
        for (int i = 0; i < planes.length; i++) {
            if (planes[i].height() != h || planes[i].width() != w) {
                throw new IOException("image " + items.get(i).name() + " is " + planes[i].height() + "×"
                        + planes[i].width() + " but " + items.get(0).name() + " is " + h + "×" + w
                        + "; configure a size in ImageOptions to resize all images");
            }
            System.arraycopy(planes[i].pixels(), 0, pixels, i * h * w, h * w);
            labels[i] = items.get(i).label();
            meta.add(items.get(i).metadata());
        }
        return new InMemoryImages(pixels, new int[] {1, h, w}, labels, classNames, meta);
    }
}
