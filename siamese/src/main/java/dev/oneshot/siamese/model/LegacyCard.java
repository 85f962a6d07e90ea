package dev.oneshot.siamese.model;

import dev.oneshot.siamese.data.InputSpec;

import java.nio.file.Path;
import java.util.Map;

/**
 * The card of a model file written before model cards existed: the embedding network alone, its
 * facts as flat metadata keys ({@code image_size} "28" or "28x23", {@code normalize},
 * {@code invert}, {@code mirror_average}, {@code tau}, {@code tau_criterion}, {@code seed},
 * {@code data}, {@code steps}, {@code stop_reason}, {@code best_validation_accuracy}). Missing
 * keys take the values those versions assumed (28×28, normalised, not inverted).
 */
final class LegacyCard {
    private LegacyCard() {
    }

    static ModelCard from(Map<String, String> meta, Path file) {
        int[] size = InputSpec.parseSize(meta.getOrDefault("image_size", "28"), file + ": metadata image_size");
        InputSpec input = InputSpec.of(size[0], size[1]);
        if (bool(meta, "invert", false, file)) {
            input = input.inverted();
        }
        if (bool(meta, "mirror_average", false, file)) {
            input = input.mirrorAveraged();
        }
        boolean normalized = bool(meta, "normalize", true, file);
        Provenance p = new Provenance(meta.getOrDefault("data", "unknown"), "unknown",
                number(meta, "steps", 0, file).longValue(), 0, number(meta, "seed", 0, file).longValue(), 0,
                meta.getOrDefault("stop_reason", "unknown"),
                number(meta, "best_validation_accuracy", Double.NaN, file).doubleValue(),
                "unknown (a model file from before model cards)", Provenance.UNKNOWN);
        ModelCard.Builder b = ModelCard.builder(input).normalized(normalized).provenance(p);
        String tau = meta.get("tau");
        if (tau != null) {
            double t = number(meta, "tau", Double.NaN, file).doubleValue();
            if (t >= 0) {
                b.calibration(new Threshold(t, meta.getOrDefault("tau_criterion", "calibrated")));
            }
        }
        return b.build();
    }

    private static boolean bool(Map<String, String> meta, String key, boolean fallback, Path file) {
        String v = meta.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(file + ": metadata " + key + " must be true or false, got '" + v + "'");
        }
        return v.equals("true");
    }

    private static Number number(Map<String, String> meta, String key, double fallback, Path file) {
        String v = meta.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return v.contains(".") || v.contains("e") || v.contains("E") || v.contains("N")
                    ? (Number) Double.parseDouble(v) : (Number) Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": metadata " + key + " must be a number, got '" + v + "'");
        }
    }
}
