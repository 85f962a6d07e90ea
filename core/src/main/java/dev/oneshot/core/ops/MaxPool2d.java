package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.Pooling;
import dev.oneshot.core.tensor.BufferPool;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * 2-D max pooling of an NCHW batch, each channel of each image on its own, without padding:
 * <pre>  y[n, c, oh, ow] = max_{i, j &lt; k} x[n, c, oh·s + i, ow·s + j]</pre>
 * for x [N, C, H, W], window k×k and stride s; y is [N, C, OH, OW] with OH = floor((H − k)/s) + 1
 * and OW = floor((W − k)/s) + 1. Rows and columns the last window does not reach are ignored.
 *
 * <p>Backward: max picks one element, so ∂y/∂x is 1 at the arg-max and 0 elsewhere, and
 * ∂L/∂x[argmax(n, c, oh, ow)] += ∂L/∂y[n, c, oh, ow]. The forward records the arg-max (the
 * first maximum on a tie) as a flat index into x for every output.
 *
 * <p>With the ReLU folded in ({@link #applyRelu}, op {@code reluMaxPool2d}):
 * <pre>  y = maxpool(relu(x)) = relu(maxpool(x)) = max(m, 0),   m = the window maximum of x</pre>
 * relu is monotone, so it commutes with the max; m &gt; 0 is then also the first maximum of
 * relu(x) in the window, and y is bit for bit what relu followed by max pooling gives (relu
 * as {@code Math.max(v, 0f)}: NaN stays NaN, −0 becomes +0). Backward:
 * <pre>  ∂L/∂x[argmax] += ∂L/∂y · (y &gt; 0 ? 1 : 0)</pre>
 * — no gradient where the window has no positive value; the same values (signed zeros
 * included) as ReLU's and max pooling's backwards in sequence, without the full-size ReLU
 * output, its gradient and their two passes.
 */
public final class MaxPool2d {

    private MaxPool2d() {
    }

    /**
     * @param input  x [N, C, H, W]
     * @param kernel k ≥ 1, the window side, at most H and W
     * @param stride s ≥ 1 (k for non-overlapping windows)
     * @return y [N, C, OH, OW]
     */
    public static Tensor apply(Tensor input, int kernel, int stride) {
        return apply(input, kernel, stride, false);
    }

    /**
     * maxpool(relu(x)) in one pass (see the class comment).
     *
     * @param input  x [N, C, H, W]
     * @param kernel k ≥ 1, the window side, at most H and W
     * @param stride s ≥ 1
     * @return y [N, C, OH, OW], every entry ≥ 0 or NaN
     */
    public static Tensor applyRelu(Tensor input, int kernel, int stride) {
        return apply(input, kernel, stride, true);
    }

    private static Tensor apply(Tensor input, int kernel, int stride, boolean relu) {
        String op = relu ? "reluMaxPool2d" : "maxPool2d";
        int[] xs = input.shape();
        if (xs.length != 4) {
            throw new IllegalArgumentException(op + ": input " + Shape.toString(xs)
                    + " must be 4-D [N, C, H, W], but has rank " + xs.length);
        }
        if (kernel < 1) {
            throw new IllegalArgumentException(op + ": input " + Shape.toString(xs)
                    + ": kernel must be >= 1, got " + kernel);
        }
        if (stride < 1) {
            throw new IllegalArgumentException(op + ": input " + Shape.toString(xs)
                    + ": stride must be >= 1, got " + stride);
        }
        if (kernel > xs[2] || kernel > xs[3]) {
            throw new IllegalArgumentException(op + ": input " + Shape.toString(xs) + ": kernel " + kernel + "x"
                    + kernel + " does not fit the " + xs[2] + "x" + xs[3] + " image");
        }
        int planes = xs[0] * xs[1];
        int[] outShape = {xs[0], xs[1], (xs[2] - kernel) / stride + 1, (xs[3] - kernel) / stride + 1};
        float[] out = BufferPool.floats(Shape.numel(outShape)); // every entry is written
        boolean recording = Grad.isEnabled() && input.requiresGrad();
        int[] argmax = recording ? BufferPool.ints(out.length) : null; // inference needs no arg-max
        Pooling.maxForward(input.data(), planes, xs[2], xs[3], kernel, stride, out, argmax, relu);
        return Node.record(op, out, outShape, g -> {
            if (argmax != null) {
                float[] fresh = input.gradDataToOverwrite(); // the usual case: zeroed plane by plane
                Pooling.maxBackward(g, argmax, fresh != null ? fresh : input.gradData(), planes, fresh != null,
                        relu ? out : null);
                BufferPool.give(argmax); // only this closure held it, and a node runs backward once
            }
        }, input);
    }
}
