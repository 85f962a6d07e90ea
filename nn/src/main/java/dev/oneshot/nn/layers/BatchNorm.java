package dev.oneshot.nn.layers;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.init.Init;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015) over axis 1 (the features or channels) of
 * x [N, C, ...]; the statistics are taken over every other axis (m = N·(spatial size) values
 * per channel):
 * <pre>  μ_c = (1/m) Σ x,   σ²_c = (1/m) Σ (x − μ_c)²       (biased, for normalising)
 *   y = γ_c · (x − μ_c) / √(σ²_c + ε) + β_c</pre>
 * In training mode the batch statistics are used and the running statistics updated as
 * PyTorch does, with the <em>unbiased</em> variance for the running estimate:
 * <pre>  running_mean ← (1 − momentum)·running_mean + momentum·μ
 *   running_var  ← (1 − momentum)·running_var  + momentum·σ²·m/(m − 1)</pre>
 * In eval mode μ and σ² are the running statistics (constants). momentum = 0.1, ε = 10⁻⁵,
 * γ = 1, β = 0 initially. The forward and the backward (including the paths through μ and σ²
 * in training) are core's fused {@code batchNorm} op, {@link dev.oneshot.core.ops.BatchNorm}.
 *
 * <p>Names follow PyTorch: {@code weight} (γ), {@code bias} (β), buffers {@code running_mean},
 * {@code running_var}, {@code num_batches_tracked}. The last is a float scalar here (PyTorch
 * stores an int64); exact up to 2²⁴ batches.
 */
public abstract class BatchNorm extends Module {
    private final int features;
    private final float eps;
    private final float momentum;

    protected BatchNorm(int features, double eps, double momentum) {
        if (features <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": need features > 0, eps > 0, momentum in"
                    + " [0, 1], got " + features + ", " + eps + ", " + momentum);
        }
        this.features = features;
        this.eps = (float) eps;
        this.momentum = (float) momentum;
        registerParameter("weight", Init.ones(Tensor.zeros(features)));
        registerParameter("bias", Tensor.zeros(features));
        registerBuffer("running_mean", Tensor.zeros(features));
        registerBuffer("running_var", Tensor.ones(features));
        registerBuffer("num_batches_tracked", Tensor.scalar(0f));
    }

    /** Whether this layer accepts an input of the given rank (1d: 2 or 3; 2d: 4). */
    protected abstract boolean acceptsRank(int rank);

    public Tensor weight() {
        return parameter("weight");
    }

    public Tensor bias() {
        return parameter("bias");
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    /** The number of features (channels) C. */
    public int features() {
        return features;
    }

    /** ε, added to the variance before the square root (as the float the forward adds). */
    public float eps() {
        return eps;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        checkInput(s);
        if (isTraining()) {
            int m = x.numel() / features;
            float[] mean = new float[features];
            float[] var = new float[features];
            Tensor y = dev.oneshot.core.ops.BatchNorm.train(x, weight(), bias(), eps, mean, var);
            updateRunningStats(mean, var, m);
            return y;
        }
        return dev.oneshot.core.ops.BatchNorm.eval(x, weight(), bias(), eps, runningMean().data(), runningVar().data());
    }

    /**
     * {@code forward(x)} followed by ReLU and 2×2, stride-2 max pooling: in training one op
     * (core's {@code BatchNorm.trainReluMaxPool2x2}, bit for bit the three layers in sequence,
     * without the full-size normalised tensor and its gradient), the running statistics updated
     * as {@link #forward} does; in eval the three ops in sequence.
     *
     * @param x [N, C, H, W]
     */
    public Tensor forwardReluMaxPool2x2(Tensor x) {
        int[] s = x.shape();
        if (!isTraining() || s.length != 4 || s[2] < 2 || s[3] < 2) {
            return forward(x).reluMaxPool2d(2, 2);
        }
        checkInput(s);
        float[] mean = new float[features];
        float[] var = new float[features];
        Tensor y = dev.oneshot.core.ops.BatchNorm.trainReluMaxPool2x2(x, weight(), bias(), eps, mean, var);
        updateRunningStats(mean, var, x.numel() / features);
        return y;
    }

    /**
     * {@code conv.forward(x)} followed by this layer, ReLU and 2×2, stride-2 max pooling. In
     * training with a gradient recorded, for a convolution core's
     * {@code Conv2d.fusesTrainingBatchNorm} accepts (a first layer: stride 1, C·KH·KW ≤ 27), one
     * op ({@code Conv2d.trainBatchNormReluMaxPool2x2}: bit for bit the layers in sequence,
     * without the conv output or its gradient at full size), the running statistics updated as
     * {@link #forward} does; otherwise {@code forwardReluMaxPool2x2(conv.forward(x))}.
     *
     * @param x [N, C, H, W], the convolution's input
     */
    public Tensor forwardConvReluMaxPool2x2(Conv2d conv, Tensor x) {
        if (!isTraining() || !Grad.isEnabled()
                || !dev.oneshot.core.ops.Conv2d.fusesTrainingBatchNorm(x, conv.weight(), conv.stride(), conv.padding())) {
            return forwardReluMaxPool2x2(conv.forward(x));
        }
        int[] w = conv.weight().shape();
        int[] s = {x.size(0), w[0], x.size(2) + 2 * conv.padding() - w[2] + 1, x.size(3) + 2 * conv.padding() - w[3] + 1};
        checkInput(s);
        float[] mean = new float[features];
        float[] var = new float[features];
        Tensor y = dev.oneshot.core.ops.Conv2d.trainBatchNormReluMaxPool2x2(x, conv.weight(), conv.bias(),
                conv.stride(), conv.padding(), weight(), bias(), eps, mean, var);
        updateRunningStats(mean, var, Shape.numel(s) / features);
        return y;
    }

    private void checkInput(int[] s) {
        if (!acceptsRank(s.length) || s[1] != features) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + features + "): unexpected input "
                    + Shape.toString(s));
        }
        if (isTraining() && Shape.numel(s) / features < 2) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": training needs more than one value "
                    + "per channel, got input " + Shape.toString(s));
        }
    }

    private void updateRunningStats(float[] mean, float[] var, int m) {
        try (Grad.Scope off = Grad.off()) {
            float[] rm = runningMean().data();
            float[] rv = runningVar().data();
            double unbias = (double) m / (m - 1);
            for (int c = 0; c < features; c++) {
                rm[c] = (float) ((1.0 - momentum) * rm[c] + momentum * (double) mean[c]);
                rv[c] = (float) ((1.0 - momentum) * rv[c] + momentum * var[c] * unbias);
            }
            buffer("num_batches_tracked").data()[0] += 1f;
        }
    }

    @Override
    public String spec() {
        return getClass().getSimpleName() + "(" + features + ",eps=" + eps + ",momentum=" + momentum + ")";
    }

    @Override
    protected String extraRepr() {
        return features + ", eps=" + eps + ", momentum=" + momentum;
    }
}
