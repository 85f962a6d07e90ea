package dev.oneshot.siamese.cli;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.data.GrayImages;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.eval.Embedder;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Image files given on the command line, read as {@code embed} reads them and embedded in batches. */
final class ImageFiles {
    private ImageFiles() {
    }

    /** The embeddings of {@code images} (rows in the order given), read grey at the model's input size. */
    static Embedder.Features embed(ModelIO.Loaded model, List<String> images) throws IOException {
        int h = model.size().height(), w = model.size().width();
        int s2 = h * w;
        ImageOptions options = model.imageOptions();
        int n = images.size();
        float[] rows = new float[0];
        int dim = 0;
        for (int from = 0; from < n; from += Embedder.BATCH) {
            int count = Math.min(Embedder.BATCH, n - from);
            float[] pixels = new float[count * s2];
            for (int i = 0; i < count; i++) {
                Path p = Path.of(images.get(from + i));
                if (!Files.isRegularFile(p)) {
                    throw new FileNotFoundException(p + ": no such file");
                }
                System.arraycopy(GrayImages.read(p, options).pixels(), 0, pixels, i * s2, s2);
            }
            Tensor e;
            try (Grad.Scope off = Grad.off()) {
                e = model.net().embed(Tensor.fromArray(pixels, count, 1, h, w));
            }
            if (from == 0) {
                dim = e.size(1);
                rows = new float[n * dim];
            }
            System.arraycopy(e.data(), 0, rows, from * dim, count * dim);
        }
        return new Embedder.Features(rows, n, dim);
    }

    /** Row {@code i} of the features. */
    static float[] row(Embedder.Features f, int i) {
        return Arrays.copyOfRange(f.values(), i * f.dim(), (i + 1) * f.dim());
    }
}
