package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.BatchNormKernel;
import dev.oneshot.core.tensor.BufferPool;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Batch normalisation over axis 1 of x [N, C, ...] as one op, forward and backward each in a
 * few passes over x (instead of a chain of broadcast elementwise ops with a full-size
 * intermediate and gradient per link). With S the size of the axes after 1, m = N·S values per
 * channel, and μ_c, σ²_c either the batch statistics (training) or given constants (eval):
 * <pre>  r_c = 1/√(σ²_c + ε),   x̂ = (x − μ_c)·r_c,   y = γ_c·x̂ + β_c</pre>
 * Training uses μ_c = (1/m) Σ x and σ²_c = (1/m) Σ (x − μ_c)² (biased); both depend on x, and
 * the chain rule through them gives
 * <pre>  ∂L/∂x = (γ_c·r_c/m)·(m·g − Σ g − x̂·Σ g·x̂)</pre>
 * (sums over the channel's m values, g = ∂L/∂y). In eval the statistics are constants and
 * ∂L/∂x = γ_c·r_c·g. In both, ∂L/∂γ_c = Σ g·x̂ and ∂L/∂β_c = Σ g. x̂ is not stored: backward
 * recomputes it from x, μ and r. Sums run in double, channel by channel (the channels split
 * between threads; bitwise the same for any thread count).
 */
public final class BatchNorm {
    private static final String OP = "batchNorm";
    private static final String FUSED_OP = "batchNormReluMaxPool2d";

    private BatchNorm() {
    }

    /**
     * Training mode: normalises with the batch statistics, which are written to
     * {@code batchMean} and {@code batchVar} (biased) for the caller's running averages.
     *
     * @param x         [N, C, ...], rank ≥ 2, at least two values per channel
     * @param gamma     γ [C]
     * @param beta      β [C]
     * @param eps       ε > 0
     * @param batchMean [C] or null; modified: μ
     * @param batchVar  [C] or null; modified: σ² (biased)
     */
    public static Tensor train(Tensor x, Tensor gamma, Tensor beta, float eps, float[] batchMean, float[] batchVar) {
        int[] s = check(x, gamma, beta, eps);
        int batch = s[0];
        int channels = s[1];
        if (x.numel() == 0) {
            throw new IllegalArgumentException(OP + ": input " + Shape.toString(s) + " is empty: no batch statistics");
        }
        int spatial = x.numel() / Math.max(1, batch * channels);
        float[] mean = new float[channels];
        float[] var = new float[channels];
        float[] invStd = new float[channels];
        float[] scale = new float[channels];
        float[] xs = x.data();
        float[] out = BufferPool.floats(xs.length); // every entry is written
        // statistics, r and the affine map channel by channel, each channel in one sweep
        BatchNormKernel.trainForward(xs, batch, channels, spatial, gamma.data(), beta.data(), eps, mean, var,
                invStd, scale, out);
        if (batchMean != null) {
            System.arraycopy(mean, 0, batchMean, 0, channels);
        }
        if (batchVar != null) {
            System.arraycopy(var, 0, batchVar, 0, channels);
        }
        return record(x, gamma, beta, mean, invStd, out, true);
    }

    /**
     * Training mode followed by ReLU and 2×2, stride-2 max pooling, as one op
     * ({@code batchNormReluMaxPool2d}): y = max(maxpool(ŷ), 0) with ŷ = the normalised x of
     * {@link #train}. Bit for bit {@code train(...).reluMaxPool2d(2, 2)} — values, arg-max,
     * statistics and every gradient — without ŷ and ∂L/∂ŷ at full size: the forward pools each
     * plane as it normalises it, and the backward builds ∂L/∂ŷ (∂L/∂y·(y &gt; 0 ? 1 : 0) at each
     * window's winner, 0 elsewhere) one channel at a time in a per-thread buffer for the sums
     * Σg, Σg·x̂ and then for ∂L/∂x above.
     *
     * @param x [N, C, H, W], H and W ≥ 2 (a last odd row or column is left out of the windows)
     * @return y [N, C, H/2, W/2]
     */
    public static Tensor trainReluMaxPool2x2(Tensor x, Tensor gamma, Tensor beta, float eps, float[] batchMean,
                                             float[] batchVar) {
        int[] s = check(x, gamma, beta, eps);
        if (s.length != 4 || s[2] < 2 || s[3] < 2 || s[0] == 0 || s[1] == 0) {
            throw new IllegalArgumentException(FUSED_OP + ": input " + Shape.toString(s)
                    + " must be [N, C, H, W] with N, C >= 1 and H, W >= 2");
        }
        int batch = s[0];
        int channels = s[1];
        int height = s[2];
        int width = s[3];
        float[] mean = new float[channels];
        float[] var = new float[channels];
        float[] invStd = new float[channels];
        float[] scale = new float[channels];
        int[] outShape = {batch, channels, height / 2, width / 2};
        float[] out = BufferPool.floats(Shape.numel(outShape)); // every entry is written
        int[] argmax = BufferPool.ints(out.length);
        float[] xs = x.data();
        BatchNormKernel.trainForwardReluMax2x2(xs, batch, channels, height, width, gamma.data(), beta.data(), eps,
                mean, var, invStd, scale, out, argmax);
        if (batchMean != null) {
            System.arraycopy(mean, 0, batchMean, 0, channels);
        }
        if (batchVar != null) {
            System.arraycopy(var, 0, batchVar, 0, channels);
        }
        float[] gs = gamma.data();
        return Node.record(FUSED_OP, out, outShape, g -> {
            boolean needX = x.requiresGrad();
            if (needX || gamma.requiresGrad() || beta.requiresGrad()) {
                double[] sumG = new double[channels];
                double[] sumGXhat = new double[channels];
                float[] fresh = needX ? x.gradDataToOverwrite() : null;
                float[] gx = fresh != null ? fresh : needX ? x.gradData() : null;
                BatchNormKernel.backwardReluMax2x2(xs, g, out, argmax, batch, channels, height, width, mean, invStd,
                        gs, sumG, sumGXhat, gx, fresh != null);
                addAffineGrads(gamma, beta, sumG, sumGXhat);
            }
            BufferPool.give(argmax); // only this closure held it, and a node runs backward once
        }, x, gamma, beta);
    }

    /** ∂L/∂γ_c += Σ g·x̂ and ∂L/∂β_c += Σ g, for whichever of the two needs a gradient. */
    static void addAffineGrads(Tensor gamma, Tensor beta, double[] sumG, double[] sumGXhat) {
        if (gamma.requiresGrad()) {
            float[] gg = gamma.gradData();
            for (int c = 0; c < sumGXhat.length; c++) {
                gg[c] += (float) sumGXhat[c];
            }
        }
        if (beta.requiresGrad()) {
            float[] gb = beta.gradData();
            for (int c = 0; c < sumG.length; c++) {
                gb[c] += (float) sumG[c];
            }
        }
    }

    /**
     * Eval mode: normalises with the given statistics, which are constants (no gradient).
     *
     * @param mean μ [C]; not modified, not kept beyond the call
     * @param var  σ² [C]; not modified, not kept beyond the call
     */
    public static Tensor eval(Tensor x, Tensor gamma, Tensor beta, float eps, float[] mean, float[] var) {
        int[] s = check(x, gamma, beta, eps);
        if (mean.length != s[1] || var.length != s[1]) {
            throw new IllegalArgumentException(OP + ": input " + Shape.toString(s) + ": the statistics have "
                    + mean.length + " and " + var.length + " values, expected C = " + s[1]);
        }
        return apply(x, gamma, beta, eps, mean.clone(), var);
    }

    private static Tensor apply(Tensor x, Tensor gamma, Tensor beta, float eps, float[] mean, float[] var) {
        int[] s = x.shape();
        int batch = s[0];
        int channels = s[1];
        int spatial = x.numel() / Math.max(1, batch * channels);
        float[] invStd = invStd(var, eps);
        float[] scale = evalScale(gamma, invStd);
        float[] xs = x.data();
        float[] out = BufferPool.floats(xs.length); // every entry is written
        BatchNormKernel.affine(xs, batch, channels, spatial, mean, scale, beta.data(), out);
        return record(x, gamma, beta, mean, invStd, out, false);
    }

    /** 1/√(σ²_c + ε) per channel, the same arithmetic as {@code BatchNormKernel.trainForward}. */
    public static float[] invStd(float[] var, float eps) {
        float[] invStd = new float[var.length];
        for (int c = 0; c < var.length; c++) {
            invStd[c] = (float) (1.0 / Math.sqrt((double) var[c] + eps));
        }
        return invStd;
    }

    /**
     * γ_c / √(σ²_c + ε) per channel: eval mode is then y = (x − μ_c)·scale_c + β_c, computed in
     * exactly that order (so a kernel that fuses it gives the same floats).
     */
    public static float[] evalScale(Tensor gamma, float[] invStd) {
        float[] gs = gamma.data();
        float[] scale = new float[invStd.length];
        for (int c = 0; c < scale.length; c++) {
            scale[c] = gs[c] * invStd[c];
        }
        return scale;
    }

    /** Records y = out with the backward (batchStats: μ and σ² were x's own, so they carry gradient). */
    private static Tensor record(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] invStd, float[] out,
                                 boolean batchStats) {
        int[] s = x.shape();
        int batch = s[0];
        int channels = s[1];
        int spatial = x.numel() / Math.max(1, batch * channels);
        float[] xs = x.data();
        float[] gs = gamma.data();
        return Node.record(OP, out, s, g -> {
            boolean needX = x.requiresGrad();
            boolean needGamma = gamma.requiresGrad();
            boolean needBeta = beta.requiresGrad();
            if (!needX && !needGamma && !needBeta) {
                return;
            }
            double[] sumG = new double[channels];
            double[] sumGXhat = new double[channels];
            // Σg, Σg·x̂ and (needX) ∂L/∂x = (γr/m)(m·g − Σg − x̂·Σgx̂), channel by channel in one sweep
            float[] fresh = needX ? x.gradDataToOverwrite() : null; // the usual case: no zeroing pass
            float[] gx = fresh != null ? fresh : needX ? x.gradData() : null;
            BatchNormKernel.backward(xs, g, batch, channels, spatial, mean, invStd, gs, batchStats, sumG, sumGXhat,
                    gx, fresh != null);
            addAffineGrads(gamma, beta, sumG, sumGXhat);
        }, x, gamma, beta);
    }

    private static int[] check(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] s = x.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException(OP + ": input " + Shape.toString(s) + " must have rank >= 2 [N, C, ...]");
        }
        checkAffine(OP + ": input " + Shape.toString(s), s[1], gamma, beta, eps);
        return s;
    }

    /** γ and β must be [C], eps finite and positive; the message starts with {@code what}. */
    static void checkAffine(String what, int channels, Tensor gamma, Tensor beta, float eps) {
        if (gamma.rank() != 1 || gamma.size(0) != channels || beta.rank() != 1 || beta.size(0) != channels) {
            throw new IllegalArgumentException(what + ": weight " + Shape.toString(gamma.shape()) + " and bias "
                    + Shape.toString(beta.shape()) + " must be [C] = [" + channels + "]");
        }
        if (!(eps > 0) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException(what + ": eps must be finite and > 0, got " + eps);
        }
    }
}
