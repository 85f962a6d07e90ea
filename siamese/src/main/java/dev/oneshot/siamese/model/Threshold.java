package dev.oneshot.siamese.model;

import dev.oneshot.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decision threshold τ of a model and how it was chosen: two images are the same identity
 * when their squared distance d ≤ τ (see {@link Metric}), an identification is UNKNOWN when even
 * the nearest enrolled identity is farther than τ.
 *
 * @param tau      the threshold, ≥ 0; {@code +∞} accepts every answer (plain nearest neighbour)
 * @param chosenBy one line saying where τ comes from, e.g. {@code "EER on 2000 + 2000 pairs of orl:faces.zip"}
 */
public record Threshold(double tau, String chosenBy) {
    /**
     * τ for unit-length embeddings that nobody calibrated: ‖a − b‖² = 2 − 2·cos(a, b), so τ = 1
     * accepts a cosine similarity of at least 0.5.
     */
    public static final double UNIT_NORM_DEFAULT = 1.0;

    public Threshold {
        if (Double.isNaN(tau) || tau < 0) {
            throw new IllegalArgumentException("Threshold: τ must be ≥ 0 (or +∞), got " + tau);
        }
        if (chosenBy == null || chosenBy.isBlank()) {
            throw new IllegalArgumentException("Threshold: say how τ was chosen");
        }
    }

    /** The threshold of a model that was never calibrated: 1 for unit-length embeddings, else +∞. */
    public static Threshold uncalibrated(boolean normalized) {
        return normalized
                ? new Threshold(UNIT_NORM_DEFAULT, "default for unit-length embeddings (cosine ≥ 0.5)")
                : new Threshold(Double.POSITIVE_INFINITY, "none: the nearest identity is always the answer");
    }

    /** The JSON form; +∞ is written as {@code null}. */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tau", Double.isInfinite(tau) ? null : tau);
        o.put("chosen_by", chosenBy);
        return o;
    }

    /** Reads {@link #toJson()}'s form. */
    public static Threshold fromJson(JsonObject o) {
        o.requireOnly("tau", "chosen_by");
        double tau = o.has("tau") ? o.number("tau", 0, Double.MAX_VALUE) : Double.POSITIVE_INFINITY;
        return new Threshold(tau, o.string("chosen_by"));
    }
}
