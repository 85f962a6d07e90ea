package dev.oneshot.gallery.lucene;

import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.contract.GalleryContract;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The Lucene gallery held to the same {@link GalleryContract} as the in-memory one. It commits
 * every write (fsyncs each time: ~0.1 s on a loaded 2-core machine), so the concurrency test
 * starts from 50 identities and makes 60 writes rather than 200 and 1,500.
 */
public class LuceneGalleryContractTest extends GalleryContract {
    @Override
    protected Gallery create(Path dir, int dim, boolean normalized, GalleryOptions options) throws IOException {
        return LuceneGallery.createForEmbeddings(dir, dim, normalized, options);
    }

    @Override
    protected void persist(Path dir, Gallery g) {
        // every enrol and remove has committed before it returned
    }

    @Override
    protected boolean exists(Path dir) throws IOException {
        return LuceneGallery.exists(dir);
    }

    @Override
    protected Gallery reopen(Path dir) throws IOException {
        return LuceneGallery.openEmbeddings(dir);
    }

    @Override
    protected int concurrentWrites() {
        return 60;
    }

    @Override
    protected int stableIdentities() {
        return 50;
    }
}
