package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.Elementwise;
import dev.oneshot.core.tensor.BufferPool;
import dev.oneshot.core.tensor.Tensor;

/**
 * Elementwise functions y = f(x), each written as its value and its derivative dy/dx side by
 * side. The derivative may use x or the saved output y, whichever is cheaper and stabler
 * (for exp and sigmoid, y). Backward: ∂L/∂x = ∂L/∂y · f'(x).
 */
public enum UnaryOp {
    /** y = −x;  dy/dx = −1. */
    NEG("neg") {
        float value(float x) { return -x; }
        float derivative(float x, float y) { return -1f; }
    },
    /** y = eˣ;  dy/dx = eˣ = y. */
    EXP("exp") {
        float value(float x) { return (float) Math.exp(x); }
        float derivative(float x, float y) { return y; }
    },
    /** y = ln x;  dy/dx = 1/x. */
    LOG("log") {
        float value(float x) { return (float) Math.log(x); }
        float derivative(float x, float y) { return 1f / x; }
    },
    /** y = √x;  dy/dx = 1/(2√x) = 1/(2y). */
    SQRT("sqrt") {
        float value(float x) { return (float) Math.sqrt(x); }
        float derivative(float x, float y) { return 0.5f / y; }
    },
    /** y = |x|;  dy/dx = sign(x) (0 at x = 0, the subgradient PyTorch uses). */
    ABS("abs") {
        float value(float x) { return Math.abs(x); }
        float derivative(float x, float y) { return Math.signum(x); }
    },
    /** y = x²;  dy/dx = 2x. */
    SQUARE("square") {
        float value(float x) { return x * x; }
        float derivative(float x, float y) { return 2f * x; }
    },
    /** y = max(x, 0);  dy/dx = 1 if x &gt; 0 else 0. NaN stays NaN, so a diverged run shows. */
    RELU("relu") {
        float value(float x) { return Math.max(x, 0f); } // branch-free; Math.max keeps NaN
        float derivative(float x, float y) { return x > 0f ? 1f : 0f; }
    },
    /** y = σ(x) = 1/(1 + e⁻ˣ) (computed without overflow);  dy/dx = y(1 − y). */
    SIGMOID("sigmoid") {
        float value(float x) {
            if (x >= 0f) {
                return (float) (1.0 / (1.0 + Math.exp(-x)));
            }
            double e = Math.exp(x);
            return (float) (e / (1.0 + e));
        }
        float derivative(float x, float y) { return y * (1f - y); }
    },
    /** y = tanh x;  dy/dx = 1 − y². */
    TANH("tanh") {
        float value(float x) { return (float) Math.tanh(x); }
        float derivative(float x, float y) { return 1f - y * y; }
    },
    /**
     * y = ln(1 + eˣ), computed stably as max(x, 0) + log1p(e^−|x|);  dy/dx = σ(x).
     * Finite for x = ±1000, where the naive form overflows.
     */
    SOFTPLUS("softplus") {
        float value(float x) { return (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)))); }
        float derivative(float x, float y) { return SIGMOID.value(x); }
    };

    private final String opName;

    UnaryOp(String opName) {
        this.opName = opName;
    }

    abstract float value(float x);

    abstract float derivative(float x, float y);

    /** The op's name as used in error messages and the gradient-check table. */
    public String opName() {
        return opName;
    }

    /** y = f(x) elementwise, recording the backward ∂L/∂x += ∂L/∂y · f'(x). */
    public Tensor apply(Tensor x) {
        if (this == RELU) {
            return relu(x);
        }
        float[] xs = x.data();
        float[] ys = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ys[i] = value(xs[i]);
        }
        return Node.record(opName, ys, x.shape(), gy -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gx = x.gradData();
            for (int i = 0; i < xs.length; i++) {
                gx[i] += gy[i] * derivative(xs[i], ys[i]);
            }
        }, x);
    }

    /**
     * ReLU without the per-element virtual call of the generic path, so that C2 can vectorise
     * both loops (the generic loop calls {@link #value}/{@link #derivative} through the enum's
     * subclasses, which is megamorphic in a program using several functions).
     * <pre>  y = max(x, 0)                     (Math.max: relu(NaN) = NaN)
     *   ∂L/∂x += ∂L/∂y · (x &gt; 0 ? 1 : 0)   (the mask computed without a branch)</pre>
     * Both loops are {@link Elementwise}'s, split between the kernel threads. Bitwise the same
     * results as the generic path, for any thread count.
     */
    private static Tensor relu(Tensor x) {
        float[] xs = x.data();
        float[] ys = BufferPool.floats(xs.length); // every entry is written
        Elementwise.relu(xs, ys);
        return Node.record(RELU.opName, ys, x.shape(), gy -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] fresh = x.gradDataToOverwrite(); // the usual case: no zeroing pass
            if (fresh != null) {
                Elementwise.reluBackwardOverwrite(xs, gy, fresh);
            } else {
                Elementwise.reluBackward(xs, gy, x.gradData());
            }
        }, x);
    }
}
