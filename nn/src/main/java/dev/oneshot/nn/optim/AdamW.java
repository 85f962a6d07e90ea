package dev.oneshot.nn.optim;

import dev.oneshot.core.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay, PyTorch's semantics. At
 * step t, first shrink the weights, then take the plain Adam step on the raw gradient:
 * <pre>
 *   p  = p · (1 − η·λ)
 *   m  = β₁·m + (1−β₁)·∇
 *   v  = β₂·v + (1−β₂)·∇²
 *   p -= (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
 * </pre>
 * Unlike {@link Adam}'s L2 penalty, the decay is not divided by √v, so every weight shrinks
 * at the same relative rate. Default λ is {@link Defaults#ADAMW_WEIGHT_DECAY}.
 */
public final class AdamW extends Adam {

    /** All parameters in one group with {@link Hyper#adamW()} defaults. */
    public AdamW(Map<String, Tensor> params) {
        this(single(params), Hyper.adamW());
    }

    /** All parameters in one group with the given hyper-parameters. */
    public AdamW(Map<String, Tensor> params, Hyper hyper) {
        this(single(params), hyper);
    }

    /** Several groups; unset group hyper-parameters come from {@link Hyper#adamW()}. */
    public AdamW(List<ParamGroup> groups) {
        this(groups, Hyper.adamW());
    }

    /** Several groups; unset group hyper-parameters come from {@code defaults}. */
    public AdamW(List<ParamGroup> groups, Hyper defaults) {
        super("AdamW", true, groups, defaults);
    }
}
