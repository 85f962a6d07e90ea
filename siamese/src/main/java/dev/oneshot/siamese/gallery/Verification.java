package dev.oneshot.siamese.gallery;

/**
 * The answer of {@link Gallery#verify}: are two images the same identity?
 *
 * @param same  whether the score passed τ in the metric's direction
 * @param score squared L2 distance or binary-head probability, per the gallery's {@link dev.oneshot.siamese.model.Metric}
 */
public record Verification(boolean same, float score) {
}
