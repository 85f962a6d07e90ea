package dev.oneshot.siamese.gallery;

import dev.oneshot.core.kernels.DistanceKernels;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.model.Metric;
import dev.oneshot.siamese.model.ModelFingerprint;
import dev.oneshot.siamese.model.SiameseModel;

import java.util.Map;

/**
 * The model side of a gallery: the {@link SiameseModel} that embeds images (optional: a gallery
 * of precomputed vectors has none), the Koch head for the binary mode (weights and bias copied
 * when the gallery is made), whether embeddings are unit-normalised, and the fingerprint.
 * Public so that galleries in other modules (the Lucene gallery) embed, check and score exactly
 * as {@link ExactGallery} does.
 */
public final class GalleryModel {
    final SiameseModel model;
    final BinaryVerificationHead head;
    final int dim;
    final boolean normalized;
    final String fingerprint;
    /** The head's weights w [dim] (null in squared-L2 mode) and bias b. */
    final float[] weights;
    final float bias;

    /** The model side for {@code model}; its head is used in the binary-head mode. */
    public static GalleryModel of(SiameseModel model, Metric metric) {
        return new GalleryModel(model, metric);
    }

    /** The model side of precomputed squared-L2 embeddings of width {@code dim} (no network). */
    public static GalleryModel ofEmbeddings(int dim, boolean normalized) {
        return new GalleryModel(null, null, dim, normalized, Metric.SQUARED_L2);
    }

    /** The embedding dimension. */
    public int dim() {
        return dim;
    }

    /** Whether the model's embeddings are unit vectors. */
    public boolean normalized() {
        return normalized;
    }

    /** The fingerprint taken when this was made (see {@link ModelFingerprint}). */
    public String fingerprint() {
        return fingerprint;
    }

    /** Whether scores come from the Koch head ({@link Metric#BINARY_HEAD_PROBABILITY}) rather than squared L2. */
    public boolean binaryHead() {
        return weights != null;
    }

    /** For a model; its head is used in the binary-head mode. */
    GalleryModel(SiameseModel model, Metric metric) {
        this(model, metric == Metric.BINARY_HEAD_PROBABILITY ? model.head().orElseThrow(() -> new IllegalArgumentException(
                "Gallery: metric " + metric + " needs a model with a BinaryVerificationHead; this model has none"))
                : null, model.embeddingDim(), model.card().normalized(), metric);
    }

    /** For precomputed embeddings (model null) or a model with an explicit head. */
    GalleryModel(SiameseModel model, BinaryVerificationHead head, int dim, boolean normalized, Metric metric) {
        if (dim <= 0) {
            throw new IllegalArgumentException("Gallery: embedding dimension must be > 0, got " + dim);
        }
        if ((metric == Metric.BINARY_HEAD_PROBABILITY) != (head != null)) {
            throw new IllegalArgumentException("Gallery: metric " + metric + (head == null
                    ? " needs a BinaryVerificationHead" : " takes no BinaryVerificationHead"));
        }
        this.model = model;
        this.head = head;
        this.dim = dim;
        this.normalized = normalized;
        this.fingerprint = currentFingerprint();
        if (head != null) {
            Tensor w = head.stateDict().get("fc.weight");
            if (w.numel() != dim) {
                throw new IllegalArgumentException("Gallery: the head takes embeddings of dimension " + w.numel()
                        + " but the gallery's dimension is " + dim);
            }
            weights = w.data().clone();
            bias = head.stateDict().get("fc.bias").data()[0];
        } else {
            weights = null;
            bias = 0f;
        }
    }

    /**
     * The model's fingerprint; for precomputed embeddings that of the head's state dict (binary
     * mode) or of nothing.
     */
    private String currentFingerprint() {
        if (model != null) {
            return model.fingerprint();
        }
        return ModelFingerprint.of(head != null ? head.stateDict() : Map.of());
    }

    /**
     * Embeddings of a batch (axis 0 = images; one image is [1, ...]) as [n·dim] floats: one
     * forward pass, eval mode (the network is left in eval mode), no graph.
     */
    public float[] embed(Tensor images) {
        if (model == null) {
            throw new IllegalStateException("Gallery: this gallery has no network (precomputed embeddings only); "
                    + "use the embedding methods or load it with its SiameseModel");
        }
        if (images.rank() < 1 || images.size(0) < 1) {
            throw new IllegalArgumentException("Gallery: images " + Shape.toString(images.shape())
                    + " must be a non-empty batch [n, ...] (one image is [1, ...])");
        }
        Tensor e = model.embed(images);
        if (e.size(1) != dim) {
            throw new IllegalArgumentException("Gallery: the network gives embeddings of dimension " + e.size(1)
                    + " but the gallery's dimension is " + dim);
        }
        return e.data().clone();
    }

    /** The embedding of exactly one image [1, ...]. */
    public float[] embedOne(Tensor image) {
        float[] e = embed(image);
        if (e.length != dim) {
            throw new IllegalArgumentException("Gallery: expected one image ([1, ...]), got " + e.length / dim);
        }
        return e;
    }

    /** The search key of a pair (lower = closer): squared L2, or −Σ w·|a − b| in the binary mode. */
    public float key(float[] a, float[] b) {
        return weights == null ? DistanceKernels.squaredL2(a, 0, b, 0, dim)
                : DistanceKernels.negWeightedL1(a, 0, b, 0, weights, dim);
    }

    /** Fails, naming both fingerprints, if the network's weights are no longer those the gallery was built with. */
    public void checkUnchanged() {
        String now = currentFingerprint();
        if (!now.equals(fingerprint)) {
            throw new IllegalStateException("Gallery: refusing to enroll with a different model: the gallery's "
                    + "embeddings come from model sha256:" + fingerprint + " but the network now has sha256:" + now);
        }
    }

    /** Score of a search key: the squared distance itself, or σ(logit) with logit = −key + b. */
    public float score(float key) {
        if (weights == null) {
            return key;
        }
        double logit = -(double) key + bias;
        return (float) (1.0 / (1.0 + Math.exp(-logit)));
    }

    /** Checks a vector's length against the gallery's dimension, naming both. */
    public void checkDim(String what, int length) {
        if (length != dim) {
            throw new IllegalArgumentException("Gallery: " + what + " has dimension " + length
                    + " but the gallery's dimension is " + dim);
        }
    }
}
