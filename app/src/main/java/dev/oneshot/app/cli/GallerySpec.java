package dev.oneshot.app.cli;

import dev.oneshot.gallery.lucene.LuceneGallery;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The value of {@code --gallery}: a gallery file ({@code FILE}: the in-memory gallery saved by
 * {@link GalleryFile}) or a Lucene HNSW index folder ({@code lucene:DIR}, {@link LuceneGallery}).
 *
 * @param lucene whether the gallery is a Lucene index folder
 * @param path   the file or folder
 */
record GallerySpec(boolean lucene, Path path) {
    static final String LUCENE = "lucene:";
    /** Held strongly: the log manager keeps loggers only weakly, and with them their level. */
    private static final Logger LUCENE_VECTORIZATION = Logger.getLogger("org.apache.lucene.internal.vectorization");

    /** Parses {@code FILE} or {@code lucene:DIR}. */
    static GallerySpec parse(String s) {
        if (s.startsWith(LUCENE)) {
            if (s.length() == LUCENE.length()) {
                throw new IllegalArgumentException("'" + s + "' names no folder: give lucene:DIR");
            }
            return new GallerySpec(true, Path.of(s.substring(LUCENE.length())));
        }
        return new GallerySpec(false, Path.of(s));
    }

    /** Whether a gallery is there already. */
    boolean exists() throws IOException {
        return lucene ? LuceneGallery.exists(path) : Files.exists(path);
    }

    /** Opens the gallery for {@code model} (refused if made with another model). */
    Gallery open(SiameseModel model) throws IOException {
        if (!exists()) {
            throw new FileNotFoundException(path + ": no such gallery " + (lucene ? "index folder" : "file")
                    + " (create it with oneshot enroll)");
        }
        if (lucene) {
            quietLucene();
            return LuceneGallery.open(path, model);
        }
        return GalleryFile.load(path, model);
    }

    /** A new empty gallery here (a Lucene index is created on disk at once; a file is written by {@link #save}). */
    Gallery create(SiameseModel model, GalleryOptions options) throws IOException {
        if (lucene) {
            quietLucene();
            return LuceneGallery.create(path, model, options);
        }
        return Gallery.of(model, options);
    }

    /** Makes the gallery durable: saves a file atomically; a Lucene gallery has committed every enrolment already. */
    void save(Gallery g) throws IOException {
        if (!lucene) {
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            GalleryFile.save(path, g);
        }
    }

    @Override
    public String toString() {
        return lucene ? LUCENE + path : path.toString();
    }

    /**
     * Lucene 9.12 logs a warning on Java 17 when the Vector API module is present (the launcher
     * adds it for oneshot's own kernels) that the module needs Java 20+; it changes nothing here.
     */
    static void quietLucene() {
        LUCENE_VECTORIZATION.setLevel(Level.SEVERE);
    }
}
