package dev.oneshot.nn.optim;

import dev.oneshot.core.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and weight decay, with
 * PyTorch's semantics (dampening 0). For each parameter p with gradient ∇, per step:
 * <pre>
 *   g   = ∇ + λ·p                      (weight decay λ, skipped when λ = 0)
 *   buf = g                   on the first step with μ &gt; 0
 *   buf = μ·buf + g           afterwards
 *   g   = g + μ·buf           if nesterov, else g = buf    (only when μ &gt; 0)
 *   p  -= η·g
 * </pre>
 * State: {@code momentum_buffer} (allocated the first time μ &gt; 0). Arithmetic is float32,
 * hyper-parameters rounded to float, in the same order as PyTorch's single-tensor loop.
 */
public class Sgd extends Optimizer {
    private static final int BUF = 0;

    /** All parameters in one group with {@link Hyper#sgd()} defaults. */
    public Sgd(Map<String, Tensor> params) {
        this(single(params), Hyper.sgd());
    }

    /** All parameters in one group with the given hyper-parameters. */
    public Sgd(Map<String, Tensor> params, Hyper hyper) {
        this(single(params), hyper);
    }

    /** Several groups; unset group hyper-parameters come from {@link Hyper#sgd()}. */
    public Sgd(List<ParamGroup> groups) {
        this(groups, Hyper.sgd());
    }

    /** Several groups; unset group hyper-parameters come from {@code defaults}. */
    public Sgd(List<ParamGroup> groups, Hyper defaults) {
        super("Sgd", new String[] {"momentum_buffer"}, groups, defaults);
    }

    @Override
    protected void validate(Hyper h) {
        if (h.nesterov() && h.momentum() <= 0) {
            throw new IllegalArgumentException("Sgd: nesterov momentum needs momentum > 0, got " + h.momentum());
        }
    }

    @Override
    protected void update(Hyper h, int index, float[] p, float[] grad, long step) {
        float lr = (float) h.lr();
        float wd = (float) h.weightDecay();
        float mu = (float) h.momentum();
        int n = p.length;
        if (mu == 0f) {
            for (int j = 0; j < n; j++) {
                float g = wd == 0f ? grad[j] : grad[j] + wd * p[j];
                p[j] = p[j] + -lr * g;
            }
            return;
        }
        float[] buf = stateOrNull(BUF, index);
        boolean first = buf == null;
        if (first) {
            buf = state(BUF, index);
        }
        boolean nesterov = h.nesterov();
        for (int j = 0; j < n; j++) {
            float g = wd == 0f ? grad[j] : grad[j] + wd * p[j];
            float b = first ? g : buf[j] * mu + g;
            buf[j] = b;
            float d = nesterov ? g + mu * b : b;
            p[j] = p[j] + -lr * d;
        }
    }
}
