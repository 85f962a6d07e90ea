package dev.oneshot.nn.optim;

import dev.oneshot.core.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba) with PyTorch's semantics, including bias correction. For each
 * parameter p with gradient ∇, at its step t = 1, 2, ...:
 * <pre>
 *   g  = ∇ + λ·p                                  (L2 weight decay, coupled; skipped when λ = 0)
 *   m  = β₁·m + (1−β₁)·g
 *   v  = β₂·v + (1−β₂)·g²
 *   p -= (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
 * </pre>
 * The bias corrections 1−βᵗ are computed in double from the step count. State:
 * {@code exp_avg} (m) and {@code exp_avg_sq} (v), zeros before the first step.
 * {@link AdamW} decouples the weight decay instead.
 */
public class Adam extends Optimizer {
    private static final int EXP_AVG = 0;
    private static final int EXP_AVG_SQ = 1;
    private static final String[] SLOTS = {"exp_avg", "exp_avg_sq"};

    private final boolean decoupled;

    /** All parameters in one group with {@link Hyper#adam()} defaults. */
    public Adam(Map<String, Tensor> params) {
        this(single(params), Hyper.adam());
    }

    /** All parameters in one group with the given hyper-parameters. */
    public Adam(Map<String, Tensor> params, Hyper hyper) {
        this(single(params), hyper);
    }

    /** Several groups; unset group hyper-parameters come from {@link Hyper#adam()}. */
    public Adam(List<ParamGroup> groups) {
        this(groups, Hyper.adam());
    }

    /** Several groups; unset group hyper-parameters come from {@code defaults}. */
    public Adam(List<ParamGroup> groups, Hyper defaults) {
        this("Adam", false, groups, defaults);
    }

    /** For {@link AdamW}: {@code decoupled} selects p −= η·λ·p instead of g += λ·p. */
    Adam(String kind, boolean decoupled, List<ParamGroup> groups, Hyper defaults) {
        super(kind, SLOTS, groups, defaults);
        this.decoupled = decoupled;
    }

    @Override
    protected final void update(Hyper h, int index, float[] p, float[] grad, long step) {
        float[] m = state(EXP_AVG, index);
        float[] v = state(EXP_AVG_SQ, index);
        float beta1 = (float) h.beta1();
        float beta2 = (float) h.beta2();
        float oneMinusBeta1 = (float) (1 - h.beta1());
        float oneMinusBeta2 = (float) (1 - h.beta2());
        double biasCorrection1 = 1 - Math.pow(h.beta1(), step);
        double biasCorrection2 = 1 - Math.pow(h.beta2(), step);
        float negStepSize = (float) -(h.lr() / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float eps = (float) h.eps();
        float wd = decoupled ? 0f : (float) h.weightDecay();
        float decay = decoupled ? (float) (1 - h.lr() * h.weightDecay()) : 1f;
        int n = p.length;
        for (int j = 0; j < n; j++) {
            float pj = decay == 1f ? p[j] : p[j] * decay;
            float g = wd == 0f ? grad[j] : grad[j] + wd * pj;
            float mj = m[j] * beta1 + oneMinusBeta1 * g;
            float vj = v[j] * beta2 + oneMinusBeta2 * g * g;
            m[j] = mj;
            v[j] = vj;
            float denom = (float) Math.sqrt(vj) / bc2Sqrt + eps;
            p[j] = pj + negStepSize * (mj / denom);
        }
    }
}
