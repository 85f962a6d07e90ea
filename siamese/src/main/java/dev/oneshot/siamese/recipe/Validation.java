package dev.oneshot.siamese.recipe;

import dev.oneshot.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run checks itself on classes it does not train on: N-way one-shot episodes every few
 * steps; the best weights by validation accuracy are the ones kept, and a run of a step count
 * stops early after {@code patience} validations without a gain (a run given minutes uses them all).
 *
 * <p>The validation classes come from the command's {@code --val} data, or else a class-disjoint
 * part of the training data: {@code classFraction} of its classes (of its alphabets for
 * Omniglot; the last people by number for ORL), at least {@link #MIN_CLASSES}. With
 * {@link #NONE}, or when the data has too few classes to spare, every class trains and the last
 * weights are kept.
 *
 * @param classFraction the part of the training classes set aside when no validation data is given, in (0, 0.5]
 * @param way           N of the N-way one-shot episodes (at most the validation classes)
 * @param episodes      episodes per validation
 * @param everySteps    validate after every this many steps (and at the end)
 * @param patience      stop after this many validations without a better accuracy
 */
public record Validation(double classFraction, int way, int episodes, int everySteps, int patience) {
    /** No validation: all classes train, the last weights are kept. */
    public static final Validation NONE = new Validation(0, 2, 0, 1, 1);
    /** The fewest validation classes a run sets aside (fewer cannot make 2-way episodes worth the name). */
    public static final int MIN_CLASSES = 2;

    public Validation {
        if (!(classFraction >= 0 && classFraction <= 0.5) || way < 2 || episodes < 0 || everySteps < 1 || patience < 1) {
            throw new IllegalArgumentException("Validation: need classFraction in [0, 0.5], way ≥ 2, episodes ≥ 0, "
                    + "everySteps ≥ 1, patience ≥ 1; got " + classFraction + ", " + way + ", " + episodes + ", "
                    + everySteps + ", " + patience);
        }
    }

    /** Whether the run validates at all. */
    public boolean enabled() {
        return episodes > 0;
    }

    /** The JSON form; {@link #NONE} is {@code {"episodes":0}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        if (!enabled()) {
            o.put("episodes", 0);
            return o;
        }
        o.put("class_fraction", classFraction);
        o.put("way", way);
        o.put("episodes", episodes);
        o.put("every_steps", everySteps);
        o.put("patience", patience);
        return o;
    }

    /** Reads the JSON form. */
    public static Validation fromJson(JsonObject o) {
        o.requireOnly("class_fraction", "way", "episodes", "every_steps", "patience");
        int episodes = o.integer("episodes", 0, 10_000_000);
        if (episodes == 0) {
            return NONE;
        }
        return new Validation(o.number("class_fraction", 0, 0.5), o.integer("way", 2, 10_000), episodes,
                o.integer("every_steps", 1, 100_000_000), o.integer("patience", 1, Integer.MAX_VALUE));
    }
}
