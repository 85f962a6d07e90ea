package dev.oneshot.siamese.gallery;

import dev.oneshot.core.kernels.TopK;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.twin.InputCheck;
import dev.oneshot.siamese.model.Metric;
import dev.oneshot.siamese.model.SiameseModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The file gallery: a {@link Gallery} held in memory and searched exactly (brute force, see
 * {@link GallerySearch}), saved to and loaded from one file by {@link GalleryFile}. Enrolling
 * costs one forward pass; recognition embeds only the query and scans every stored embedding.
 *
 * <p><b>Scores and τ</b> ({@link Metric}): squared L2 — lower is closer, known when
 * distance ≤ τ; binary head — higher is closer, known when probability ≥ τ. Equality counts
 * as known in both. An unknown answer still names the nearest identity and its score.
 *
 * <p><b>Images</b> are always a batch with the batch on axis 0; one image is [1, ...]. The
 * network is put in eval mode (and left there) and run without a graph.
 *
 * <p><b>Thread safety</b>: a {@link ReentrantReadWriteLock}. Searches hold the read lock (many
 * at once); enroll and remove hold the write lock only to change the rows (the forward pass
 * runs before, outside the lock). So every answer is computed against one consistent state:
 * the gallery as it was before or after each enrollment, never in between.
 */
public final class ExactGallery implements Gallery {
    final GalleryOptions options;
    final GalleryModel model;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final Identities ids = new Identities();
    RowStore images;
    final Prototypes prototypes;

    ExactGallery(GalleryModel model, GalleryOptions options) {
        this.model = model;
        this.options = options;
        this.images = new RowStore(model.dim);
        this.prototypes = options.policy() == Policy.CLASS_MEAN_PROTOTYPE
                ? new Prototypes(model.dim, model.normalized) : null;
    }

    /**
     * An empty gallery for {@code model}: squared L2, nearest image, τ from the model card (its
     * calibrated τ, else {@link dev.oneshot.siamese.model.Threshold#uncalibrated}).
     */
    public static ExactGallery of(SiameseModel model) {
        return of(model, GalleryOptions.squaredL2(model.card().threshold().tau()));
    }

    /** An empty gallery for {@code model} with other options (the binary-head metric needs a model with a head). */
    public static ExactGallery of(SiameseModel model, GalleryOptions options) {
        return new ExactGallery(new GalleryModel(model, options.metric()), options);
    }

    /**
     * An empty gallery of precomputed squared-L2 embeddings of width {@code dim} (no network:
     * only the embedding methods work); {@code normalized} says whether they are unit vectors
     * (the class-mean policy renormalises its prototypes then).
     */
    public static ExactGallery ofEmbeddings(int dim, boolean normalized, GalleryOptions options) {
        return new ExactGallery(new GalleryModel(null, null, dim, normalized, options.metric()), options);
    }

    /** An empty gallery of precomputed embeddings scored by a Koch head ({@link Metric#BINARY_HEAD_PROBABILITY}). */
    public static ExactGallery ofEmbeddings(int dim, BinaryVerificationHead head, GalleryOptions options) {
        return new ExactGallery(new GalleryModel(null, head, dim, false, options.metric()), options);
    }

    // ------------------------------------------------------------------ enrolment

    /**
     * Enrolls every image of the batch (axis 0) under {@code id}, in one forward pass. Refused
     * if the network's weights differ from those the gallery was made or loaded with (the check
     * hashes the weights, see {@link dev.oneshot.siamese.model.ModelFingerprint}). Returns the number of images added.
     */
    @Override
    public int enroll(String id, Tensor images) {
        InputCheck.requireFinite("Gallery.enroll('" + id + "'): images", images);
        model.checkUnchanged();
        float[] rows = model.embed(images);
        return enrollRows(id, rows, rows.length / model.dim);
    }

    /** Enrolls one precomputed embedding (stored as given, so it must come from the same model). */
    @Override
    public void enrollEmbedding(String id, float[] embedding) {
        model.checkDim("the embedding for '" + id + "'", embedding.length);
        enrollRows(id, embedding, 1);
    }

    /** Enrolls {@code n} precomputed embeddings, rows of {@code rows} [n·dim], under one id. */
    @Override
    public int enrollEmbeddings(String id, float[] rows, int n) {
        model.checkDim("each of the " + n + " embeddings for '" + id + "'", n > 0 ? rows.length / n : -1);
        if ((long) n * model.dim != rows.length) {
            throw new IllegalArgumentException("Gallery: " + rows.length + " floats are not " + n + " rows of " + model.dim);
        }
        return enrollRows(id, rows, n);
    }

    private int enrollRows(String id, float[] rows, int n) {
        Identities.checkName(id);
        for (float v : rows) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("Gallery: an embedding for '" + id + "' has a non-finite value " + v);
            }
        }
        lock.writeLock().lock();
        try {
            int label = ids.labelOrAdd(id);
            for (int i = 0; i < n; i++) {
                images.add(rows, i * model.dim, label);
                if (prototypes != null) {
                    prototypes.add(label, rows, i * model.dim);
                }
            }
            return n;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes an identity and all its images; returns how many images it had. */
    @Override
    public int remove(String id) {
        lock.writeLock().lock();
        try {
            int label = ids.labelOf(id);
            int before = images.size;
            images = images.without(label);
            if (prototypes != null) {
                prototypes.remove(label);
            }
            ids.remove(label);
            return before - images.size;
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ search

    @Override
    public GalleryModel model() {
        return model;
    }

    /** The best identity for a precomputed query embedding. */
    @Override
    public Match identifyEmbedding(float[] query) {
        model.checkDim("the query", query.length);
        InputCheck.requireFinite("Gallery.identifyEmbedding: query", query);
        lock.readLock().lock();
        try {
            RowStore s = searched();
            if (s.size == 0) {
                return Match.empty();
            }
            TopK top = GallerySearch.scratch(1);
            GallerySearch.one(s, query, 0, model.weights, top);
            return match(top, 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The k ≥ 1 best distinct identities for a query embedding, best first; fewer if fewer are enrolled. */
    @Override
    public List<Match> identifyEmbedding(float[] query, int k) {
        model.checkDim("the query", query.length);
        InputCheck.requireFinite("Gallery.identifyEmbedding: query", query);
        if (k < 1) {
            throw new IllegalArgumentException("Gallery: k must be >= 1, got " + k);
        }
        return read(() -> {
            TopK top = GallerySearch.scratch(k);
            GallerySearch.one(searched(), query, 0, model.weights, top);
            List<Match> out = new ArrayList<>(top.size());
            for (int i = 0; i < top.size(); i++) {
                out.add(match(top, i));
            }
            return out;
        });
    }

    /** The best identity for each of m query embeddings (rows of {@code queries} [m·dim]). */
    @Override
    public List<Match> identifyEmbeddings(float[] queries, int m) {
        if (m < 0 || (long) m * model.dim != queries.length) {
            throw new IllegalArgumentException("Gallery: " + queries.length + " floats are not " + m
                    + " queries of the gallery's dimension " + model.dim);
        }
        InputCheck.requireFinite("Gallery.identifyEmbeddings: queries", queries);
        return read(() -> {
            List<Match> out = new ArrayList<>(m);
            for (TopK top : GallerySearch.many(searched(), queries, m, 1, model.weights)) {
                out.add(top.size() == 0 ? Match.empty() : match(top, 0));
            }
            return out;
        });
    }

    /** Are two images ([1, ...] each) the same identity? One forward pass for both. */
    @Override
    public Verification verify(Tensor imageA, Tensor imageB) {
        InputCheck.requireFinite("Gallery.verify: first image", imageA);
        InputCheck.requireFinite("Gallery.verify: second image", imageB);
        float[] both = model.embed(Tensor.concat(0, imageA, imageB));
        if (both.length != 2 * model.dim) {
            throw new IllegalArgumentException("Gallery: verify takes one image each ([1, ...])");
        }
        return verifyEmbeddings(Arrays.copyOf(both, model.dim),
                Arrays.copyOfRange(both, model.dim, 2 * model.dim));
    }

    /** Are two embeddings the same identity, per the metric and τ? */
    @Override
    public Verification verifyEmbeddings(float[] a, float[] b) {
        model.checkDim("the first embedding", a.length);
        model.checkDim("the second embedding", b.length);
        InputCheck.requireFinite("Gallery.verifyEmbeddings: first embedding", a);
        InputCheck.requireFinite("Gallery.verifyEmbeddings: second embedding", b);
        float score = model.score(model.key(a, b));
        return new Verification(options.metric().accepts(score, options.tau()), score);
    }

    private <T> T read(Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private RowStore searched() {
        return prototypes != null ? prototypes.protos() : images;
    }

    private Match match(TopK top, int i) {
        float score = model.score(top.key(i));
        return new Match(ids.name(top.label(i)), score, options.metric().accepts(score, options.tau()));
    }


    // ------------------------------------------------------------------ description

    /** Identity names in enrolment order. */
    @Override
    public List<String> identities() {
        return read(ids::names);
    }

    /** Number of enrolled images (rows). */
    @Override
    public int imageCount() {
        return read(() -> images.size);
    }

    @Override
    public int dim() {
        return model.dim;
    }

    @Override
    public boolean normalized() {
        return model.normalized;
    }

    @Override
    public GalleryOptions options() {
        return options;
    }

    /** The {@link dev.oneshot.siamese.model.ModelFingerprint} of the model the embeddings come from. */
    @Override
    public String fingerprint() {
        return model.fingerprint;
    }
}
