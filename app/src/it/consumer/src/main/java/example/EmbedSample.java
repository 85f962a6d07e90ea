package example;

import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The README's "Embed it in your Java app" sample in a project of its own: enrolls ALICE.png as alice in
 * GALLERY and prints who QUERY.png is. Usage: {@code EmbedSample MODEL GALLERY ALICE.png QUERY.png}.
 */
public final class EmbedSample {
    private EmbedSample() {
    }

    public static void main(String[] args) throws IOException {
        Path modelFile = Path.of(args[0]);
        Path galleryFile = Path.of(args[1]);
        Path alice = Path.of(args[2]);
        Path query = Path.of(args[3]);
        // ---- README sample (begin) ----
        SiameseModel model = SiameseModel.load(modelFile);      // input size, normalisation, τ: all in its card
        Gallery gallery = GalleryFile.load(galleryFile, model); // refused if made with another model
        gallery.enroll("alice", model.readImage(alice));        // one forward pass, no retraining
        GalleryFile.save(galleryFile, gallery);                 // atomic: temp file, fsync, rename
        Match m = gallery.identify(model.readImage(query));
        String answer = m.known() ? m.identity() : "unknown (nearest: " + m.nearest() + ", d = " + m.score() + ")";
        // ---- README sample (end) ----
        System.out.println(answer);
    }
}
