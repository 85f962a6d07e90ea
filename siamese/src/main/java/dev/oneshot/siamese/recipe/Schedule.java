package dev.oneshot.siamese.recipe;

import dev.oneshot.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learning rate over a run as a fraction of the optimiser's base rate, as a function of
 * the training progress p ∈ [0, 1]: p = step / steps for a fixed step count, or elapsed / budget
 * when a run is given minutes instead — so the same schedule is laid over whatever length the
 * run has.
 */
public sealed interface Schedule {
    /** The factor η(p)/η₀ at progress {@code p} (clamped to [0, 1]). */
    double factor(double p);

    /** The JSON form, with a {@code kind}. */
    Map<String, Object> toJson();

    /** η(p) = η₀. */
    record Constant() implements Schedule {
        @Override
        public double factor(double p) {
            return 1;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", "constant");
            return o;
        }
    }

    /**
     * Half a cosine from η₀ down to {@code finalFraction}·η₀:
     * η(p) = η₀ · (f + (1 − f)(1 + cos πp) / 2). The last steps are small ones, instead of the
     * noisy final weights of a constant rate.
     */
    record Cosine(double finalFraction) implements Schedule {
        public Cosine {
            if (!(finalFraction >= 0 && finalFraction <= 1)) {
                throw new IllegalArgumentException("Schedule.Cosine: finalFraction must be in [0, 1], got " + finalFraction);
            }
        }

        @Override
        public double factor(double p) {
            double q = Math.min(1, Math.max(0, p));
            return finalFraction + (1 - finalFraction) * (1 + Math.cos(Math.PI * q)) / 2;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", "cosine");
            o.put("final_fraction", finalFraction);
            return o;
        }
    }

    /** Reads the JSON form. */
    static Schedule fromJson(JsonObject o) {
        String kind = o.string("kind");
        switch (kind) {
            case "constant" -> {
                o.requireOnly("kind");
                return new Constant();
            }
            case "cosine" -> {
                o.requireOnly("kind", "final_fraction");
                return new Cosine(o.number("final_fraction", 0, 1));
            }
            default -> throw new IllegalArgumentException(o.where() + ".kind: expected one of constant, cosine, got '"
                    + kind + "'");
        }
    }
}
