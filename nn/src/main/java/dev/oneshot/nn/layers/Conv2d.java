package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.init.Init;

/**
 * 2-D convolution layer over NCHW batches (core's {@code conv2d}: im2col + GEMM):
 * <pre>  y[n, f, oh, ow] = b[f] + Σ_{c, i, j} W[f, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]</pre>
 * with W [out, in, k, k] (PyTorch's layout), b [out], square kernel k, stride s, zero padding p.
 * Output size OH = (H + 2p − k)/s + 1 (rounded down), likewise OW.
 *
 * <p>Default initialisation is PyTorch's: with fan_in = in·k·k, W ~ U(−1/√fan_in, 1/√fan_in)
 * (kaiming_uniform with a = √5) and b ~ U(−1/√fan_in, 1/√fan_in), in that order.
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias,
                  SeededRandom rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: need positive channels, kernel, stride and padding ≥ 0, got in="
                    + inChannels + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride
                    + " padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        Tensor w = registerParameter("weight", Tensor.zeros(outChannels, inChannels, kernel, kernel));
        Init.kaimingUniform(w, Math.sqrt(5.0), rng);
        if (bias) {
            double bound = 1.0 / Math.sqrt(Init.fanIn(w));
            Init.uniform(registerParameter("bias", Tensor.zeros(outChannels)), -bound, bound, rng);
        }
    }

    /** Convolution with a bias, stride 1 and no padding. */
    public Conv2d(int inChannels, int outChannels, int kernel, SeededRandom rng) {
        this(inChannels, outChannels, kernel, 1, 0, true, rng);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The side k of the square kernel. */
    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    /** Zero padding p on every side. */
    public int padding() {
        return padding;
    }

    /** The bias, or null for a layer built without one. */
    public Tensor bias() {
        return namedParameters().get("bias");
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.conv2d(weight(), bias(), stride, padding);
    }

    @Override
    public String spec() {
        return "Conv2d(" + inChannels + "," + outChannels + ",k=" + kernel + ",s=" + stride + ",p=" + padding
                + ",bias=" + (bias() != null) + ")";
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding
                + (bias() == null ? ", bias=false" : "");
    }
}
