package dev.oneshot.nn.optim;

/**
 * The hyper-parameters of one parameter group, validated on construction.
 *
 * <p>All optimisers share this record; each reads the fields it needs (SGD: lr, momentum,
 * weightDecay, nesterov; Adam/AdamW: lr, beta1, beta2, eps, weightDecay).
 * Start from {@link #sgd()}, {@link #adam()} or {@link #adamW()} and change fields with the
 * {@code with...} methods: {@code Hyper.sgd().withLr(0.05).withMomentum(0.9)}.
 *
 * @param lr          learning rate η ≥ 0
 * @param momentum    SGD momentum μ in [0, 1)
 * @param weightDecay weight decay λ ≥ 0
 * @param beta1       Adam β₁ in [0, 1)
 * @param beta2       Adam β₂ in [0, 1)
 * @param eps         Adam ε ≥ 0
 * @param nesterov    SGD Nesterov momentum (needs μ > 0, checked by {@link Sgd})
 */
public record Hyper(double lr, double momentum, double weightDecay, double beta1, double beta2, double eps,
                    boolean nesterov) {

    public Hyper {
        requireAtLeastZero("lr", lr);
        requireUnitInterval("momentum", momentum);
        requireAtLeastZero("weightDecay", weightDecay);
        requireUnitInterval("beta1", beta1);
        requireUnitInterval("beta2", beta2);
        requireAtLeastZero("eps", eps);
    }

    /** SGD defaults from {@link Defaults}. */
    public static Hyper sgd() {
        return new Hyper(Defaults.SGD_LR, Defaults.SGD_MOMENTUM, Defaults.SGD_WEIGHT_DECAY,
                Defaults.ADAM_BETA1, Defaults.ADAM_BETA2, Defaults.ADAM_EPS, false);
    }

    /** Adam defaults from {@link Defaults}. */
    public static Hyper adam() {
        return new Hyper(Defaults.ADAM_LR, Defaults.SGD_MOMENTUM, Defaults.ADAM_WEIGHT_DECAY,
                Defaults.ADAM_BETA1, Defaults.ADAM_BETA2, Defaults.ADAM_EPS, false);
    }

    /** AdamW defaults from {@link Defaults} (as Adam, but weight decay 0.01). */
    public static Hyper adamW() {
        return adam().withWeightDecay(Defaults.ADAMW_WEIGHT_DECAY);
    }

    public Hyper withLr(double v) {
        return new Hyper(v, momentum, weightDecay, beta1, beta2, eps, nesterov);
    }

    public Hyper withMomentum(double v) {
        return new Hyper(lr, v, weightDecay, beta1, beta2, eps, nesterov);
    }

    public Hyper withWeightDecay(double v) {
        return new Hyper(lr, momentum, v, beta1, beta2, eps, nesterov);
    }

    public Hyper withBetas(double b1, double b2) {
        return new Hyper(lr, momentum, weightDecay, b1, b2, eps, nesterov);
    }

    public Hyper withEps(double v) {
        return new Hyper(lr, momentum, weightDecay, beta1, beta2, v, nesterov);
    }

    public Hyper withNesterov(boolean v) {
        return new Hyper(lr, momentum, weightDecay, beta1, beta2, eps, v);
    }

    private static void requireAtLeastZero(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("Hyper: " + name + " must be a finite number >= 0, got " + v);
        }
    }

    private static void requireUnitInterval(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("Hyper: " + name + " must be in [0, 1), got " + v);
        }
    }
}
