package dev.oneshot.siamese.gallery.contract;

import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The in-memory gallery and its file ({@link GalleryFile} in {@code dir/gallery.safetensors}) held to {@link GalleryContract}. */
public class ExactGalleryContractTest extends GalleryContract {
    static Path file(Path dir) {
        return dir.resolve("gallery.safetensors");
    }

    @Override
    protected Gallery create(Path dir, int dim, boolean normalized, GalleryOptions options) throws IOException {
        Files.createDirectories(dir);
        return Gallery.ofEmbeddings(dim, normalized, options);
    }

    @Override
    protected void persist(Path dir, Gallery g) throws IOException {
        GalleryFile.save(file(dir), g);
    }

    @Override
    protected boolean exists(Path dir) {
        return Files.exists(file(dir));
    }

    @Override
    protected Gallery reopen(Path dir) throws IOException {
        return GalleryFile.loadEmbeddings(file(dir));
    }
}
