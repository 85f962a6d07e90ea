package dev.oneshot.nn.optim;

import dev.oneshot.core.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named parameters that share hyper-parameters, e.g. one layer with its own learning rate and
 * momentum (Koch et al. tune both per layer).
 *
 * <p>Each hyper-parameter is either set on the group or left unset; unset ones come from the
 * optimiser's defaults when the optimiser is built (as in PyTorch's param groups):
 * <pre>{@code
 * var groups = List.of(ParamGroup.of(conv1).lr(0.05).momentum(0.9), ParamGroup.of(rest));
 * Sgd sgd = new Sgd(groups, Hyper.sgd().withLr(0.01).withMomentum(0.5));
 * }</pre>
 * Immutable: the setters return a new group.
 */
public final class ParamGroup {
    private final Map<String, Tensor> params;
    private final Double lr;
    private final Double momentum;
    private final Double weightDecay;
    private final Double beta1;
    private final Double beta2;
    private final Double eps;
    private final Boolean nesterov;

    private ParamGroup(Map<String, Tensor> params, Double lr, Double momentum, Double weightDecay,
                       Double beta1, Double beta2, Double eps, Boolean nesterov) {
        this.params = params;
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.nesterov = nesterov;
    }

    /** A group of name → parameter (insertion order kept), all hyper-parameters unset. */
    public static ParamGroup of(Map<String, Tensor> params) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException("ParamGroup: need at least one parameter");
        }
        Map<String, Tensor> copy = new LinkedHashMap<>();
        params.forEach((name, t) -> {
            if (name == null || t == null) {
                throw new IllegalArgumentException("ParamGroup: null name or parameter (" + name + ")");
            }
            if (!t.isLeaf()) {
                throw new IllegalArgumentException("ParamGroup: parameter '" + name
                        + "' is not a leaf tensor (it was produced by an op); optimisers update leaves");
            }
            copy.put(name, t);
        });
        return new ParamGroup(Collections.unmodifiableMap(copy), null, null, null, null, null, null, null);
    }

    /** The parameters, in insertion order (unmodifiable). */
    public Map<String, Tensor> params() {
        return params;
    }

    public ParamGroup lr(double v) {
        return new ParamGroup(params, v, momentum, weightDecay, beta1, beta2, eps, nesterov);
    }

    public ParamGroup momentum(double v) {
        return new ParamGroup(params, lr, v, weightDecay, beta1, beta2, eps, nesterov);
    }

    public ParamGroup weightDecay(double v) {
        return new ParamGroup(params, lr, momentum, v, beta1, beta2, eps, nesterov);
    }

    public ParamGroup betas(double b1, double b2) {
        return new ParamGroup(params, lr, momentum, weightDecay, b1, b2, eps, nesterov);
    }

    public ParamGroup eps(double v) {
        return new ParamGroup(params, lr, momentum, weightDecay, beta1, beta2, v, nesterov);
    }

    public ParamGroup nesterov(boolean v) {
        return new ParamGroup(params, lr, momentum, weightDecay, beta1, beta2, eps, v);
    }

    /** This group's hyper-parameters: the ones set here, the rest from {@code defaults} (validated). */
    public Hyper resolve(Hyper defaults) {
        return new Hyper(
                lr != null ? lr : defaults.lr(),
                momentum != null ? momentum : defaults.momentum(),
                weightDecay != null ? weightDecay : defaults.weightDecay(),
                beta1 != null ? beta1 : defaults.beta1(),
                beta2 != null ? beta2 : defaults.beta2(),
                eps != null ? eps : defaults.eps(),
                nesterov != null ? nesterov : defaults.nesterov());
    }
}
