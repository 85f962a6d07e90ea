package dev.oneshot.siamese.gallery;

/**
 * One answer of {@link Gallery#identify}: the nearest enrolled identity, its score and whether
 * the score passed the threshold τ.
 *
 * @param nearest the best-scoring identity, reported even when unknown (for explanation);
 *                null only when the gallery is empty
 * @param score   squared L2 distance (lower = closer) or binary-head probability (higher =
 *                closer), per the gallery's {@link dev.oneshot.siamese.model.Metric}; NaN when the gallery is empty
 * @param known   whether the score passed τ ({@link dev.oneshot.siamese.model.Metric#accepts})
 */
public record Match(String nearest, float score, boolean known) {
    /** The identity reported for a query that matches nobody closely enough. */
    public static final String UNKNOWN = "<unknown>";

    /** The identity: {@link #nearest} when known, else {@link #UNKNOWN}. */
    public String identity() {
        return known ? nearest : UNKNOWN;
    }

    static Match empty() {
        return new Match(null, Float.NaN, false);
    }
}
