package dev.oneshot.nn.optim;

/**
 * The default hyper-parameters of every optimiser, in one place. Every constructor and every
 * {@link Hyper} factory reads them from here; no other file repeats these numbers.
 *
 * <p>Values follow PyTorch, except that {@code SGD_LR} exists at all (PyTorch makes the SGD
 * learning rate mandatory).
 */
public final class Defaults {
    private Defaults() {
    }

    /** SGD learning rate. */
    public static final double SGD_LR = 0.01;
    /** SGD momentum μ (0 = plain gradient descent). */
    public static final double SGD_MOMENTUM = 0.0;
    /** Adam / AdamW learning rate. */
    public static final double ADAM_LR = 1e-3;
    /** Decay rate of Adam's first-moment average m. */
    public static final double ADAM_BETA1 = 0.9;
    /** Decay rate of Adam's second-moment average v. */
    public static final double ADAM_BETA2 = 0.999;
    /** Added to √v̂ so the update never divides by zero. */
    public static final double ADAM_EPS = 1e-8;
    /** Adam's L2 penalty (coupled: added to the gradient). */
    public static final double ADAM_WEIGHT_DECAY = 0.0;
    /** AdamW's decoupled weight decay. */
    public static final double ADAMW_WEIGHT_DECAY = 0.01;
    /** SGD weight decay. */
    public static final double SGD_WEIGHT_DECAY = 0.0;
}
