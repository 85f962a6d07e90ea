package dev.oneshot.siamese.data;

import dev.oneshot.core.json.JsonObject;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A random distortion of training batches: {@link AffineAugment} (Koch et al.'s affine
 * transforms, for characters), {@link FaceAugment} (shift/rotation, brightness/contrast and
 * a mirror, for faces) or {@link #NONE}. Every draw comes from the given {@link SeededRandom},
 * in batch order, so the same seed gives the same batches.
 */
public sealed interface Augmentation permits AffineAugment, FaceAugment, Augmentation.None {
    /** No distortion: batches are trained on as they are. */
    Augmentation NONE = new None();

    /** A new {@code [b, C, H, W]} tensor, each image distorted with its own draw (in batch order). */
    Tensor augment(Tensor batch, SeededRandom rng);

    /** The identity (draws nothing from the generator). */
    record None() implements Augmentation {
        @Override
        public Tensor augment(Tensor batch, SeededRandom rng) {
            return batch;
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /**
     * The JSON form: {@code {"kind":"none"}}, {@code {"kind":"affine", <AffineAugment.Config fields>}}
     * or {@code {"kind":"faces", <FaceAugment.Config fields>}}, fields in snake case.
     */
    static Map<String, Object> toJson(Augmentation a) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (a instanceof AffineAugment affine) {
            AffineAugment.Config c = affine.config();
            o.put("kind", "affine");
            o.put("max_rotation_deg", c.maxRotationDeg());
            o.put("max_shear", c.maxShear());
            o.put("min_scale", c.minScale());
            o.put("max_scale", c.maxScale());
            o.put("max_translation", c.maxTranslation());
            o.put("probability", c.probability());
            o.put("fill", c.fill());
            if (c.maxThickening() > 0) {
                o.put("max_thickening", c.maxThickening());
            }
            if (c.elasticAlpha() > 0) {
                o.put("elastic_alpha", c.elasticAlpha());
                o.put("elastic_sigma", c.elasticSigma());
            }
        } else if (a instanceof FaceAugment face) {
            FaceAugment.Config c = face.config();
            o.put("kind", "faces");
            o.put("flip_probability", c.flipProbability());
            o.put("max_rotation_deg", c.maxRotationDeg());
            o.put("max_scale", c.maxScale());
            o.put("max_shift", c.maxShift());
            o.put("max_contrast", c.maxContrast());
            o.put("max_brightness", c.maxBrightness());
            if (c.eraseProbability() > 0) {
                o.put("erase_probability", c.eraseProbability());
            }
        } else {
            o.put("kind", "none");
        }
        return o;
    }

    /** Reads {@link #toJson}'s form; errors name the field. */
    static Augmentation fromJson(JsonObject o) {
        String kind = o.string("kind");
        switch (kind) {
            case "none" -> {
                o.requireOnly("kind");
                return NONE;
            }
            case "affine" -> {
                o.requireOnly("kind", "max_rotation_deg", "max_shear", "min_scale", "max_scale", "max_translation",
                        "probability", "fill", "max_thickening", "elastic_alpha", "elastic_sigma");
                double elasticAlpha = o.number("elastic_alpha", 0, 0, 1000);
                if (elasticAlpha > 0 && !o.has("elastic_sigma")) {
                    throw new IllegalArgumentException(o.where() + ".elastic_sigma: required (pixels, 0.5 to 100) when"
                            + " elastic_alpha is set, got nothing");
                }
                return new AffineAugment(new AffineAugment.Config(o.number("max_rotation_deg", 0, 180),
                        o.number("max_shear", 0, 10), o.number("min_scale", 0.01, 100), o.number("max_scale", 0.01, 100),
                        o.number("max_translation", 0, 1e6), o.number("probability", 0, 1),
                        (float) o.number("fill", 0, -1e6, 1e6), o.number("max_thickening", 0, 0, 1), elasticAlpha,
                        elasticAlpha > 0 ? o.number("elastic_sigma", 0.5, 100) : 0));
            }
            case "faces" -> {
                o.requireOnly("kind", "flip_probability", "max_rotation_deg", "max_scale", "max_shift", "max_contrast",
                        "max_brightness", "erase_probability");
                return new FaceAugment(new FaceAugment.Config(o.number("flip_probability", 0, 1),
                        o.number("max_rotation_deg", 0, 180), o.number("max_scale", 0, 0.999),
                        o.number("max_shift", 0, 1e6), o.number("max_contrast", 0, 0.999),
                        o.number("max_brightness", 0, 1), o.number("erase_probability", 0, 0, 1)));
            }
            default -> throw new IllegalArgumentException(o.where() + ".kind: expected one of none, affine, faces, got '"
                    + kind + "'");
        }
    }
}
