package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.init.Init;

/**
 * Fully connected layer: y = x·Wᵀ + b, for x [..., in], W [out, in] (PyTorch's layout),
 * b [out]; y is [..., out]. The product uses the matmul transpose flag, so Wᵀ is never copied.
 * Gradients (from core's matmul and broadcasting add): ∂L/∂W = Gᵀ·x, ∂L/∂x = G·W,
 * ∂L/∂b = Σ_rows G.
 *
 * <p>Default initialisation is PyTorch's: W ~ U(−1/√in, 1/√in) (kaiming_uniform with a = √5)
 * and b ~ U(−1/√in, 1/√in), drawn in that order from {@code rng}.
 */
public final class Linear extends Module {
    private final int in;
    private final int out;

    public Linear(int in, int out, boolean bias, SeededRandom rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        Init.kaimingUniform(registerParameter("weight", Tensor.zeros(out, in)), Math.sqrt(5.0), rng);
        if (bias) {
            double bound = 1.0 / Math.sqrt(in);
            Init.uniform(registerParameter("bias", Tensor.zeros(out)), -bound, bound, rng);
        }
    }

    /** Linear layer with a bias. */
    public Linear(int in, int out, SeededRandom rng) {
        this(in, out, true, rng);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null for a layer built without one. */
    public Tensor bias() {
        return namedParameters().get("bias");
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length == 0 || s[s.length - 1] != in) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): input " + Shape.toString(s)
                    + " must end in " + in + " features");
        }
        Tensor x2 = s.length == 2 ? x : x.reshape(-1, in);
        Tensor y = x2.matmul(weight(), false, true);
        Tensor b = bias();
        if (b != null) {
            y = y.add(b);
        }
        if (s.length == 2) {
            return y;
        }
        int[] outShape = s.clone();
        outShape[s.length - 1] = out;
        return y.reshape(outShape);
    }

    @Override
    public String spec() {
        return "Linear(" + in + "," + out + ",bias=" + (bias() != null) + ")";
    }

    @Override
    protected String extraRepr() {
        return "in=" + in + ", out=" + out + (bias() == null ? ", bias=false" : "");
    }
}
