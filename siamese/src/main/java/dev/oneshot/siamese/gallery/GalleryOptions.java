package dev.oneshot.siamese.gallery;

import dev.oneshot.siamese.model.Metric;

/**
 * A gallery's search settings.
 *
 * @param metric how scores are computed and which way τ points (see {@link Metric})
 * @param policy how identities with several images are scored
 * @param tau    the threshold: the largest accepted squared distance for {@link Metric#SQUARED_L2},
 *               the smallest accepted probability for {@link Metric#BINARY_HEAD_PROBABILITY};
 *               equality is accepted in both
 */
public record GalleryOptions(Metric metric, Policy policy, double tau) {
    public GalleryOptions {
        if (metric == null || policy == null) {
            throw new IllegalArgumentException("GalleryOptions: metric and policy must not be null");
        }
        if (Double.isNaN(tau)) {
            throw new IllegalArgumentException("GalleryOptions: tau is NaN");
        }
        if (metric == Metric.BINARY_HEAD_PROBABILITY && (tau < 0 || tau > 1)) {
            throw new IllegalArgumentException("GalleryOptions: tau " + tau + " is a probability threshold for "
                    + metric + " and must lie in [0, 1]");
        }
        if (metric == Metric.SQUARED_L2 && tau < 0) {
            throw new IllegalArgumentException("GalleryOptions: tau " + tau + " is a squared distance, must be >= 0");
        }
    }

    /** Squared L2, nearest image, known when distance ≤ {@code maxDistance} (+∞ accepts everything). */
    public static GalleryOptions squaredL2(double maxDistance) {
        return new GalleryOptions(Metric.SQUARED_L2, Policy.NEAREST_IMAGE, maxDistance);
    }

    /** Koch binary head, nearest image, known when probability ≥ {@code minProbability}. */
    public static GalleryOptions binaryHead(double minProbability) {
        return new GalleryOptions(Metric.BINARY_HEAD_PROBABILITY, Policy.NEAREST_IMAGE, minProbability);
    }

    public GalleryOptions withPolicy(Policy p) {
        return new GalleryOptions(metric, p, tau);
    }

    public GalleryOptions withTau(double t) {
        return new GalleryOptions(metric, policy, t);
    }
}
