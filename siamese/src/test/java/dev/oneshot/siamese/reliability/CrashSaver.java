package dev.oneshot.siamese.reliability;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.persist.ModelFile;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link CrashDuringSaveTest}: saves a gallery and a model file over and
 * over, each save a complete "version" that is a pure function of a sequence number, and prints
 * {@code G seq} / {@code M seq} on stdout only after the corresponding save has returned.
 * It runs until it is killed.
 *
 * <p>Usage: {@code CrashSaver <dir> <firstSeq>}.
 */
public final class CrashSaver {
    static final int DIM = 16;
    static final int K = 5;               // distinct shapes cycle through K sizes
    static final int ROWS_PER_STEP = 400; // version with shape j has (j + 1) * 400 rows
    static final int MODEL_IN = 128;
    static final int MODEL_OUT = 192;
    static final String GALLERY = "gallery.safetensors";
    static final String MODEL = "model.safetensors";

    private CrashSaver() {
    }

    /** Identity names carry the sequence number, so the loaded file says which version it is. */
    static Gallery gallery(long seq) {
        Gallery g = Gallery.ofEmbeddings(DIM, false, GalleryOptions.squaredL2(1.0));
        int rows = (int) (seq % K + 1) * ROWS_PER_STEP;
        int perId = 50;
        float[] row = new float[DIM];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < DIM; t++) {
                row[t] = seq * 0.001f + r + t * 1e-3f;
            }
            g.enrollEmbedding("s" + seq + "-id" + (r / perId), row);
        }
        return g;
    }

    static long seqOfGallery(Gallery g) {
        String first = g.identities().get(0);
        return Long.parseLong(first.substring(1, first.indexOf('-')));
    }

    /** A Linear whose weights and bias are a function of seq; seq is also in the provenance. */
    static Linear model(long seq) {
        Linear m = new Linear(MODEL_IN, MODEL_OUT, new SeededRandom(7));
        SeededRandom r = new SeededRandom(seq);
        float[] w = m.weight().data();
        for (int i = 0; i < w.length; i++) {
            w[i] = seq + (float) r.nextGaussian();
        }
        float[] b = m.bias().data();
        for (int i = 0; i < b.length; i++) {
            b[i] = -seq - i;
        }
        return m;
    }

    static Map<String, String> provenance(long seq) {
        return Map.of("test.seq", Long.toString(seq));
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long seq = Long.parseLong(args[1]);
        while (true) {
            GalleryFile.save(dir.resolve(GALLERY), gallery(seq));
            System.out.println("G " + seq);
            System.out.flush();
            ModelFile.save(dir.resolve(MODEL), model(seq), provenance(seq));
            System.out.println("M " + seq);
            System.out.flush();
            seq++;
        }
    }
}
