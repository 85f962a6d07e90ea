package dev.oneshot.nn.init;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Weight initialisers, filling a tensor in place (and returning it), every draw from a
 * {@link SeededRandom}. They follow {@code torch.nn.init}.
 *
 * <p><b>Fans</b>, as PyTorch computes them: for a Linear weight [out, in], fan_in = in and
 * fan_out = out; for a Conv2d weight [out, in, kh, kw], fan_in = in·kh·kw and
 * fan_out = out·kh·kw (the receptive field multiplies both).
 *
 * <p><b>Kaiming</b> (He et al. 2015) keeps the variance of activations constant through
 * layers with nonlinearity gain g: std = g/√fan_in; the uniform form has bound √3·std.
 * For ReLU g = √2; for leaky ReLU with slope a, g = √(2/(1 + a²)). PyTorch's default for
 * Linear and Conv2d is kaiming_uniform with a = √5, which gives bound 1/√fan_in.
 *
 * <p><b>Xavier</b> (Glorot &amp; Bengio 2010) balances forward and backward variance:
 * std = g·√(2/(fan_in + fan_out)); the uniform form has bound g·√(6/(fan_in + fan_out)).
 *
 * <p>Koch et al. 2015 (Siamese one-shot) is reproduced with {@link #normal}: conv weights
 * N(0, 10⁻²), biases N(0.5, 10⁻²), dense weights N(0, 2·10⁻¹) (their σ values).
 */
public final class Init {
    /** Gain for ReLU: √2. */
    public static final double RELU_GAIN = Math.sqrt(2.0);
    /** Gain for tanh: 5/3. */
    public static final double TANH_GAIN = 5.0 / 3.0;

    private Init() {
    }

    /** Gain √(2/(1 + a²)) of a leaky ReLU with negative slope a (a = 0: ReLU, √2). */
    public static double leakyReluGain(double a) {
        return Math.sqrt(2.0 / (1.0 + a * a));
    }

    /** fan_in = shape[1] · (product of shape[2:]); needs rank ≥ 2. */
    public static int fanIn(Tensor w) {
        int[] s = checkRank("fanIn", w);
        return s[1] * receptiveField(s);
    }

    /** fan_out = shape[0] · (product of shape[2:]); needs rank ≥ 2. */
    public static int fanOut(Tensor w) {
        int[] s = checkRank("fanOut", w);
        return s[0] * receptiveField(s);
    }

    private static int receptiveField(int[] s) {
        int r = 1;
        for (int i = 2; i < s.length; i++) {
            r *= s[i];
        }
        return r;
    }

    private static int[] checkRank(String op, Tensor w) {
        int[] s = w.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("Init." + op + ": fans need a tensor of rank ≥ 2 (a weight), got "
                    + Shape.toString(s));
        }
        return s;
    }

    /** Kaiming uniform, fan_in mode: U(−b, b) with b = gain·√(3/fan_in), gain = √(2/(1 + a²)). */
    public static Tensor kaimingUniform(Tensor w, double a, SeededRandom rng) {
        double bound = leakyReluGain(a) * Math.sqrt(3.0 / fanIn(w));
        return uniform(w, -bound, bound, rng);
    }

    /** Kaiming normal, fan_in mode: N(0, std²) with std = gain/√fan_in, gain = √(2/(1 + a²)). */
    public static Tensor kaimingNormal(Tensor w, double a, SeededRandom rng) {
        return normal(w, 0.0, leakyReluGain(a) / Math.sqrt(fanIn(w)), rng);
    }

    /** Kaiming uniform for ReLU (a = 0): bound √(6/fan_in). */
    public static Tensor kaimingUniform(Tensor w, SeededRandom rng) {
        return kaimingUniform(w, 0.0, rng);
    }

    /** Kaiming normal for ReLU (a = 0): std √(2/fan_in). */
    public static Tensor kaimingNormal(Tensor w, SeededRandom rng) {
        return kaimingNormal(w, 0.0, rng);
    }

    /** Xavier uniform: U(−b, b) with b = gain·√(6/(fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor w, double gain, SeededRandom rng) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(w) + fanOut(w)));
        return uniform(w, -bound, bound, rng);
    }

    /** Xavier normal: N(0, std²) with std = gain·√(2/(fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor w, double gain, SeededRandom rng) {
        return normal(w, 0.0, gain * Math.sqrt(2.0 / (fanIn(w) + fanOut(w))), rng);
    }

    /** N(mean, std²) elementwise. */
    public static Tensor normal(Tensor t, double mean, double std, SeededRandom rng) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("Init.normal: std must be ≥ 0, got " + std);
        }
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (mean + std * rng.nextGaussian());
        }
        return t;
    }

    /** U(lo, hi) elementwise. */
    public static Tensor uniform(Tensor t, double lo, double hi, SeededRandom rng) {
        if (!(hi >= lo)) {
            throw new IllegalArgumentException("Init.uniform: need lo ≤ hi, got lo=" + lo + " hi=" + hi);
        }
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return t;
    }

    /** Every element = value. */
    public static Tensor constant(Tensor t, double value) {
        java.util.Arrays.fill(t.data(), (float) value);
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0.0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1.0);
    }
}
