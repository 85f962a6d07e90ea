package dev.oneshot.siamese.gallery;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.model.Metric;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.twin.InputCheck;

import java.util.List;

/**
 * A gallery ("employee database"): the embeddings of enrolled images with their identity
 * names, searched for the identity nearest a query. Two implementations: {@link ExactGallery}
 * (in memory, exact scan, saved by {@link GalleryFile}) and, in the {@code oneshot-gallery-lucene}
 * module, an approximate-nearest-neighbour index (HNSW) kept in a folder. The static factories
 * here make an {@link ExactGallery}.
 *
 * <p><b>Scores and τ</b> ({@link Metric}): squared L2 — lower is closer, known when
 * distance ≤ τ; binary head — higher is closer, known when probability ≥ τ. Equality counts
 * as known in both. An unknown answer still names the nearest identity and its score.
 *
 * <p><b>Images</b> are always a batch with the batch on axis 0; one image is [1, ...]. The
 * network is put in eval mode (and left there) and run without a graph. Images, embeddings and
 * queries with a non-finite value are refused ({@link IllegalArgumentException}) and change nothing.
 *
 * <p><b>Model</b>: a gallery remembers the {@link dev.oneshot.siamese.model.ModelFingerprint} of the
 * model its embeddings come from and refuses to enrol images once the network's weights differ.
 *
 * <p><b>Threads</b>: every implementation is safe for concurrent use; each answer is computed
 * against one consistent state (before or after each enrolment or removal, never in between).
 */
public interface Gallery extends AutoCloseable {

    /**
     * An empty in-memory gallery for {@code model}: squared L2, nearest image, τ from the model
     * card (its calibrated τ, else {@link dev.oneshot.siamese.model.Threshold#uncalibrated}).
     */
    static ExactGallery of(SiameseModel model) {
        return ExactGallery.of(model);
    }

    /** An empty in-memory gallery for {@code model} with other options (the binary-head metric needs a model with a head). */
    static ExactGallery of(SiameseModel model, GalleryOptions options) {
        return ExactGallery.of(model, options);
    }

    /**
     * An empty in-memory gallery of precomputed squared-L2 embeddings of width {@code dim} (no
     * network: only the embedding methods work); {@code normalized} says whether they are unit
     * vectors (the class-mean policy renormalises its prototypes then).
     */
    static ExactGallery ofEmbeddings(int dim, boolean normalized, GalleryOptions options) {
        return ExactGallery.ofEmbeddings(dim, normalized, options);
    }

    /** An empty in-memory gallery of precomputed embeddings scored by a Koch head ({@link Metric#BINARY_HEAD_PROBABILITY}). */
    static ExactGallery ofEmbeddings(int dim, BinaryVerificationHead head, GalleryOptions options) {
        return ExactGallery.ofEmbeddings(dim, head, options);
    }

    // ------------------------------------------------------------------ enrolment

    /**
     * Enrolls every image of the batch (axis 0) under {@code id}, in one forward pass. Refused
     * if the network's weights differ from those the gallery was made or opened with. Returns the
     * number of images added.
     */
    int enroll(String id, Tensor images);

    /** Enrolls one precomputed embedding (stored as given, so it must come from the same model). */
    void enrollEmbedding(String id, float[] embedding);

    /** Enrolls {@code n} precomputed embeddings, rows of {@code rows} [n·dim], under one id. */
    int enrollEmbeddings(String id, float[] rows, int n);

    /** Removes an identity and all its images; returns how many images it had. */
    int remove(String id);

    // ------------------------------------------------------------------ search

    /** The best identity for one image ([1, ...]), known or unknown per τ. */
    default Match identify(Tensor image) {
        InputCheck.requireFinite("Gallery.identify: query image", image);
        return identifyEmbedding(model().embedOne(image));
    }

    /** The k best distinct identities for one image, best first (each flagged known/unknown). */
    default List<Match> identify(Tensor image, int k) {
        InputCheck.requireFinite("Gallery.identify: query image", image);
        return identifyEmbedding(model().embedOne(image), k);
    }

    /** The best identity for each image of the batch, in one forward pass and one search. */
    default List<Match> identifyAll(Tensor images) {
        InputCheck.requireFinite("Gallery.identifyAll: query images", images);
        float[] rows = model().embed(images);
        return identifyEmbeddings(rows, rows.length / model().dim());
    }

    /** The best identity for a precomputed query embedding ({@link Match#nearest} null when empty). */
    Match identifyEmbedding(float[] query);

    /** The k ≥ 1 best distinct identities for a query embedding, best first; fewer if fewer are enrolled. */
    List<Match> identifyEmbedding(float[] query, int k);

    /** The best identity for each of m query embeddings (rows of {@code queries} [m·dim]). */
    List<Match> identifyEmbeddings(float[] queries, int m);

    /** Are two images ([1, ...] each) the same identity? One forward pass for both. */
    Verification verify(Tensor imageA, Tensor imageB);

    /** Are two embeddings the same identity, per the metric and τ? */
    Verification verifyEmbeddings(float[] a, float[] b);

    // ------------------------------------------------------------------ description

    /** Identity names in enrolment order. */
    List<String> identities();

    /** Number of enrolled images. */
    int imageCount();

    /** The embedding dimension. */
    int dim();

    /** Whether the embeddings are unit vectors (the model normalises them). */
    boolean normalized();

    /** Metric, policy and τ. */
    GalleryOptions options();

    /** How images become the embeddings this gallery holds (the model, or embeddings only). */
    GalleryModel model();

    /** The {@link dev.oneshot.siamese.model.ModelFingerprint} of the model the embeddings come from. */
    String fingerprint();

    /** Releases what the gallery holds open (files, threads); nothing for an in-memory gallery. */
    @Override
    default void close() {
    }
}
