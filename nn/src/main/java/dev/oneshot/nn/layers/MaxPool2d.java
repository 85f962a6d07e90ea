package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;

/**
 * Max pooling over k×k windows with stride s, no padding (core's {@code maxPool2d}):
 * y[n, c, oh, ow] = max_{i, j &lt; k} x[n, c, oh·s + i, ow·s + j]; the gradient goes to the arg-max.
 */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;

    public MaxPool2d(int kernel, int stride) {
        if (kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("MaxPool2d: kernel and stride must be positive, got kernel=" + kernel
                    + " stride=" + stride);
        }
        this.kernel = kernel;
        this.stride = stride;
    }

    /** Stride = kernel (non-overlapping windows), PyTorch's default. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel);
    }

    /** The side k of the square window. */
    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.maxPool2d(kernel, stride);
    }

    @Override
    public String spec() {
        return "MaxPool2d(k=" + kernel + ",s=" + stride + ")";
    }

    @Override
    protected String extraRepr() {
        return "kernel=" + kernel + ", stride=" + stride;
    }
}
