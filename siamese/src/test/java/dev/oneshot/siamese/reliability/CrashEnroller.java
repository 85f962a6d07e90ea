package dev.oneshot.siamese.reliability;

import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@link EnrollCrashTest}: enrolls identities {@code id0, id1, ...} one at
 * a time into a gallery file, as an application (or {@code oneshot enroll}) does — load the file
 * if it exists, enroll one identity, save atomically — and prints {@code E n} on stdout only
 * after the save of {@code idn} has returned. It carries on from whatever the file holds, and
 * runs until it is killed.
 *
 * <p>Usage: {@code CrashEnroller <gallery file>}.
 */
public final class CrashEnroller {
    static final int DIM = 32;
    static final int ROWS_PER_ID = 40;

    private CrashEnroller() {
    }

    /** The embeddings of identity {@code n}: a pure function of n, so the parent can check them. */
    static float[] rows(int n) {
        float[] rows = new float[ROWS_PER_ID * DIM];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = n + i * 1e-4f;
        }
        return rows;
    }

    static Gallery empty() {
        return Gallery.ofEmbeddings(DIM, false, GalleryOptions.squaredL2(1.0));
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        while (true) {
            Gallery g = Files.exists(file) ? GalleryFile.loadEmbeddings(file) : empty();
            int n = g.identities().size();
            g.enrollEmbeddings("id" + n, rows(n), ROWS_PER_ID);
            GalleryFile.save(file, g);
            System.out.println("E " + n);
            System.out.flush();
        }
    }
}
