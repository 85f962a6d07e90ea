package dev.oneshot.siamese.model;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.recipe.Recipe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a trained model <em>is</em>, beside its weights: the facts every user of the model needs
 * and none should have to type again.
 * <ul>
 *   <li>{@link #input()} — the image size, inversion, mirror and shift averaging ({@link InputSpec});</li>
 *   <li>{@link #normalized()} — embeddings on the unit sphere or not;</li>
 *   <li>{@link #metric()} — how two embeddings are compared, and which way τ points;</li>
 *   <li>{@link #calibration()} — τ and how it was chosen, once calibrated
 *       ({@link #threshold()} falls back to {@link Threshold#uncalibrated});</li>
 *   <li>{@link #recipe()} — how it was trained (absent for a network built in code);</li>
 *   <li>{@link #provenance()} — data, steps, time, seed, threads, what stopped training, version.</li>
 * </ul>
 * Immutable; the {@code with...} methods return a changed copy. Stored as JSON in the model
 * file's metadata ({@link SiameseModel#save}).
 */
public final class ModelCard {
    /** The version of the card's JSON form. */
    public static final int CARD_VERSION = 1;

    private final InputSpec input;
    private final boolean normalized;
    private final Metric metric;
    private final Threshold calibration;
    private final Recipe recipe;
    private final Provenance provenance;

    private ModelCard(Builder b) {
        this.input = Objects.requireNonNull(b.input, "ModelCard: input");
        this.normalized = b.normalized;
        this.metric = Objects.requireNonNull(b.metric, "ModelCard: metric");
        this.calibration = b.calibration;
        this.recipe = b.recipe;
        this.provenance = Objects.requireNonNull(b.provenance, "ModelCard: provenance");
        if (calibration != null && metric == Metric.BINARY_HEAD_PROBABILITY && calibration.tau() > 1) {
            throw new IllegalArgumentException("ModelCard: τ " + calibration.tau() + " is a probability for " + metric
                    + " and must lie in [0, 1]");
        }
    }

    /** A card for embeddings of {@code input}: unit-normalised, squared L2, uncalibrated, untrained. */
    public static Builder builder(InputSpec input) {
        return new Builder(input);
    }

    /** A builder holding this card's values. */
    public Builder toBuilder() {
        Builder b = new Builder(input);
        b.normalized = normalized;
        b.metric = metric;
        b.calibration = calibration;
        b.recipe = recipe;
        b.provenance = provenance;
        return b;
    }

    public InputSpec input() {
        return input;
    }

    /** Whether the embeddings are put on the unit sphere. */
    public boolean normalized() {
        return normalized;
    }

    public Metric metric() {
        return metric;
    }

    /** τ as calibrated on held-out pairs, if it was. */
    public Optional<Threshold> calibration() {
        return Optional.ofNullable(calibration);
    }

    /** The τ to use: the calibrated one, else {@link Threshold#uncalibrated}. */
    public Threshold threshold() {
        return calibration != null ? calibration : Threshold.uncalibrated(normalized);
    }

    /** The recipe the model was trained with, if any. */
    public Optional<Recipe> recipe() {
        return Optional.ofNullable(recipe);
    }

    public Provenance provenance() {
        return provenance;
    }

    /** The same card with τ calibrated. */
    public ModelCard withCalibration(Threshold t) {
        return toBuilder().calibration(t).build();
    }

    /** The same card with other provenance. */
    public ModelCard withProvenance(Provenance p) {
        return toBuilder().provenance(p).build();
    }

    /** The JSON form stored in model files. */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("card_version", CARD_VERSION);
        o.put("input", input.toJson());
        o.put("normalized", normalized);
        o.put("metric", metric.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (calibration != null) {
            o.put("threshold", calibration.toJson());
        }
        if (recipe != null) {
            o.put("recipe", recipe.toJson());
        }
        o.put("provenance", provenance.toJson());
        return o;
    }

    /** Reads {@link #toJson()}'s form; errors name {@code where} and the field. */
    public static ModelCard fromJson(JsonObject o) {
        o.requireOnly("card_version", "input", "normalized", "metric", "threshold", "recipe", "provenance");
        int version = o.integer("card_version", 1, Integer.MAX_VALUE);
        if (version != CARD_VERSION) {
            throw new IllegalArgumentException(o.where() + ".card_version: this code reads version " + CARD_VERSION
                    + ", got " + version);
        }
        Builder b = builder(InputSpec.fromJson(o.object("input")))
                .normalized(o.bool("normalized"))
                .metric(o.enumValue("metric", Metric.class))
                .provenance(Provenance.fromJson(o.object("provenance")));
        if (o.has("threshold")) {
            b.calibration(Threshold.fromJson(o.object("threshold")));
        }
        if (o.has("recipe")) {
            b.recipe(Recipe.fromJson(o.object("recipe")));
        }
        return b.build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelCard c && Json.write(toJson()).equals(Json.write(c.toJson()));
    }

    @Override
    public int hashCode() {
        return Json.write(toJson()).hashCode();
    }

    @Override
    public String toString() {
        return "ModelCard" + Json.write(toJson());
    }

    /** Builds a {@link ModelCard}; every field but the input has a default. */
    public static final class Builder {
        private final InputSpec input;
        private boolean normalized = true;
        private Metric metric = Metric.SQUARED_L2;
        private Threshold calibration;
        private Recipe recipe;
        private Provenance provenance = Provenance.untrained(0);

        private Builder(InputSpec input) {
            this.input = input;
        }

        /** Whether embeddings are put on the unit sphere (default: yes). */
        public Builder normalized(boolean on) {
            this.normalized = on;
            return this;
        }

        /** How embeddings are compared (default: squared L2). */
        public Builder metric(Metric m) {
            this.metric = m;
            return this;
        }

        /** τ as calibrated. */
        public Builder calibration(Threshold t) {
            this.calibration = t;
            return this;
        }

        /** The recipe the model was trained with. */
        public Builder recipe(Recipe r) {
            this.recipe = r;
            return this;
        }

        public Builder provenance(Provenance p) {
            this.provenance = p;
            return this;
        }

        public ModelCard build() {
            return new ModelCard(this);
        }
    }
}
