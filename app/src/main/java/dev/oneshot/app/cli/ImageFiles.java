package dev.oneshot.app.cli;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Image files given on the command line, read as the model's card says and embedded in batches.
 * An IMAGE may name a file inside a zip as if the zip were a folder:
 * {@code faces.zip/orl_faces_png/s31/1.png} (no extraction, nothing to quote in a shell).
 */
final class ImageFiles {
    private ImageFiles() {
    }

    /** The embeddings of {@code images} (rows in the order given). */
    static Embedder.Features embed(SiameseModel model, List<String> images) throws IOException {
        int n = images.size();
        float[] rows = new float[0];
        int dim = 0;
        for (int from = 0; from < n; from += Embedder.BATCH) {
            List<String> batch = images.subList(from, Math.min(n, from + Embedder.BATCH));
            Tensor e = model.embed(model.readImages(batch));
            if (from == 0) {
                dim = e.size(1);
                rows = new float[n * dim];
            }
            System.arraycopy(e.data(), 0, rows, from * dim, batch.size() * dim);
        }
        return new Embedder.Features(rows, n, dim);
    }

    /** Row {@code i} of the features. */
    static float[] row(Embedder.Features f, int i) {
        return Arrays.copyOfRange(f.values(), i * f.dim(), (i + 1) * f.dim());
    }
}
