package dev.oneshot.siamese.recipe;

import dev.oneshot.core.json.JsonObject;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.AdamW;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.nn.optim.Sgd;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The optimiser of a recipe: which one, its base learning rate η₀ (the {@link Schedule} scales
 * it over the run) and weight decay; every other hyper-parameter keeps the defaults of
 * {@link Hyper} (Adam β₁ 0.9, β₂ 0.999, ε 1e-8; SGD momentum 0.9).
 *
 * @param kind        ADAM, ADAMW (decoupled weight decay) or SGD
 * @param lr          η₀ &gt; 0
 * @param weightDecay λ ≥ 0
 */
public record OptimizerSpec(Kind kind, double lr, double weightDecay) {
    /** The optimisers a recipe can name. */
    public enum Kind { ADAM, ADAMW, SGD }

    public OptimizerSpec {
        if (kind == null) {
            throw new IllegalArgumentException("OptimizerSpec: kind must not be null");
        }
        if (!(lr > 0) || Double.isInfinite(lr) || !(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("OptimizerSpec: need lr > 0 and weightDecay ≥ 0 (finite), got lr=" + lr
                    + " weightDecay=" + weightDecay);
        }
    }

    /** Adam at {@code lr}, no weight decay. */
    public static OptimizerSpec adam(double lr) {
        return new OptimizerSpec(Kind.ADAM, lr, 0);
    }

    public OptimizerSpec withLr(double v) {
        return new OptimizerSpec(kind, v, weightDecay);
    }

    /** The optimiser over {@code params} (name → parameter, as {@code Module.namedParameters()} gives them). */
    public Optimizer build(Map<String, Tensor> params) {
        return switch (kind) {
            case ADAM -> new Adam(params, Hyper.adam().withLr(lr).withWeightDecay(weightDecay));
            case ADAMW -> new AdamW(params, Hyper.adamW().withLr(lr).withWeightDecay(weightDecay));
            case SGD -> new Sgd(params, Hyper.sgd().withLr(lr).withWeightDecay(weightDecay));
        };
    }

    /** The JSON form: {@code {"kind":"adam","lr":0.001,"weight_decay":0.0}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kind", kind.name().toLowerCase(Locale.ROOT));
        o.put("lr", lr);
        o.put("weight_decay", weightDecay);
        return o;
    }

    /** Reads the JSON form. */
    public static OptimizerSpec fromJson(JsonObject o) {
        o.requireOnly("kind", "lr", "weight_decay");
        return new OptimizerSpec(o.enumValue("kind", Kind.class), o.number("lr", 1e-12, 100),
                o.number("weight_decay", 0, 0, 100));
    }
}
