package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.ConvBatchNormKernel;
import dev.oneshot.core.kernels.ConvKernel;
import dev.oneshot.core.kernels.Im2Col;
import dev.oneshot.core.kernels.KernelSwitch;
import dev.oneshot.core.kernels.Pooling;
import dev.oneshot.core.kernels.SmallImageConv;
import dev.oneshot.core.kernels.WinogradConv;
import dev.oneshot.core.tensor.BufferPool;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * 2-D convolution (strictly, cross-correlation, as in every deep-learning library) of a batch
 * of images with a bank of filters, with zero padding:
 * <pre>  y[n, f, oh, ow] = b[f] + Σ_{c, i, j} w[f, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]</pre>
 * for x [N, C, H, W], w [F, C, KH, KW], b [F] (optional), stride s and padding p; y is
 * [N, F, OH, OW] with OH = (H + 2p − KH)/s + 1 and OW = (W + 2p − KW)/s + 1 (rounded down).
 *
 * <p>Computed by im2col: for each image, cols_n = im2col(x_n) is [K, P] with K = C·KH·KW and
 * P = OH·OW, and y_n = W·cols_n with W viewed as [F, K]. That is one GEMM per image.
 *
 * <p>Backward, with G_n = ∂L/∂y_n viewed as [F, P]; the product rule on y_n = W·cols_n gives
 * <pre>  ∂L/∂W    += G_n · cols_nᵀ                      (summed over n)
 *   ∂L/∂x_n  += col2im(Wᵀ · G_n)                  (col2im scatter-adds each window back)
 *   ∂L/∂b[f] += Σ_{n, oh, ow} G[n, f, oh, ow]</pre>
 * The GEMM kernel takes transpose flags, so no transpose is materialised. cols_n is not kept
 * from the forward pass (it is C·KH·KW times larger than the image); backward rebuilds it
 * into a per-thread scratch buffer. The batch loops live in {@link ConvKernel}, which splits
 * the images between threads and sums ∂W in a fixed order (deterministic for any thread count).
 *
 * <p>A 3×3, stride-1, padding-1 convolution of several input channels runs instead by Winograd's
 * F(2×2, 3×3) ({@link WinogradConv}: 2.25× fewer multiplications, forward and backward), whose
 * values and gradients equal these to float rounding; {@link #WINOGRAD_PROPERTY} and the two
 * setters below switch it off. In training, a convolution of images no larger than its kernel's
 * footprint (Conv-4's 3×3 last block) runs as one product Y = X·U over the batch with the
 * weights unrolled into U ({@link SmallImageConv}), under the same switch.
 */
public final class Conv2d {
    private static final String OP = "conv2d";
    private static final String FUSED = "conv2dReluMaxPool2d";
    private static final String FUSED_BN = "conv2dBatchNormReluMaxPool2d";
    private static final String FUSED_BN_TRAIN = "conv2dTrainBatchNormReluMaxPool2d";

    private Conv2d() {
    }

    /**
     * @param input   x [N, C, H, W]
     * @param weight  w [F, C, KH, KW]
     * @param bias    b [F], or null for no bias
     * @param stride  s ≥ 1, the same along both axes
     * @param padding p ≥ 0 zeros added on every side
     * @return y [N, F, OH, OW]
     */
    public static Tensor apply(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        Im2Col.Geometry geo = geometry(input, weight, bias, stride, padding);
        int batch = input.size(0);
        int filters = weight.size(0);
        float[] xs = input.data();
        float[] ws = weight.data();
        float[] bs = bias == null ? null : bias.data();

        int[] outShape = {batch, filters, geo.outHeight(), geo.outWidth()};
        float[] out = BufferPool.floats(Shape.numel(outShape)); // every entry is written
        boolean recording = recording(input, weight, bias);
        if (recording && smallImageTraining(geo, filters)) {
            float[] u = SmallImageConv.unroll(geo, filters, ws);
            SmallImageConv.forward(geo, batch, filters, xs, u, bs, out);
            return Node.record(OP, out, outShape, g -> {
                float[] gw = weight.requiresGrad() ? weight.gradData() : null;
                float[] fresh = input.requiresGrad() ? input.gradDataToOverwrite() : null;
                float[] gx = fresh != null ? fresh : input.requiresGrad() ? input.gradData() : null;
                SmallImageConv.backward(geo, batch, filters, xs, u, g, gw, gx, fresh != null);
                if (bias != null && bias.requiresGrad()) {
                    ConvKernel.biasBackward(g, batch, filters, geo.outPixels(), bias.gradData());
                }
                BufferPool.give(u);
            }, input, weight, bias);
        }
        boolean winograd = recording && winogradTraining(geo);
        if (winograd) {
            WinogradConv.forward(geo, batch, filters, xs, ws, bs, out);
        } else {
            ConvKernel.forward(geo, batch, filters, xs, ws, bs, out);
        }
        return Node.record(OP, out, outShape, g -> backward(geo, input, weight, bias, g, winograd), input, weight,
                bias);
    }

    /**
     * Whether training runs this convolution as one product with its unrolled weights
     * ({@link SmallImageConv}: images no larger than the kernel's footprint, such as Conv-4's
     * 3×3 last block): with the fast training arithmetic on ({@link #setWinogradTraining}).
     */
    private static boolean smallImageTraining(Im2Col.Geometry geo, int filters) {
        return winogradTraining && SmallImageConv.applies(geo, filters);
    }

    /**
     * conv2d, ReLU and 2×2 stride-2 max pooling in one op:
     * <pre>  z = maxpool2×2(relu(conv2d(x, w, b)))</pre>
     * bit for bit {@code x.conv2d(w, b, s, p).reluMaxPool2d(2, 2)}, values and gradients, without
     * the full-size conv output: each block of images is convolved, biased and pooled while it
     * is in cache. Backward: ∂L/∂y[argmax] = ∂L/∂z · (z &gt; 0 ? 1 : 0) and 0 elsewhere (the max
     * pool's and ReLU's backward), then conv2d's backward above — ∂L/∂y routed straight into
     * each group of images' GEMM input, never built at full size either. A 3×3, stride-1,
     * padding-1 conv of several input channels runs by Winograd's F(2×2, 3×3) instead (values to
     * float rounding; see {@link #setWinogradInference}, {@link #setWinogradTraining}): in
     * inference pooled tile by tile, in training too (with the arg-max), and the pooled gradient
     * routed back tile by tile.
     *
     * @return z [N, F, OH/2, OW/2] (OH, OW the conv's output size, halved rounding down)
     */
    public static Tensor applyReluMaxPool2x2(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        Im2Col.Geometry geo = pooledGeometry(FUSED, input, weight, bias, stride, padding);
        int batch = input.size(0);
        int filters = weight.size(0);
        if (recording(input, weight, bias) && smallImageTraining(geo, filters)) {
            // the unrolled product's output is already one small tensor: the two ops, the conv's bits
            return apply(input, weight, bias, stride, padding).reluMaxPool2d(2, 2);
        }
        int[] outShape = {batch, filters, geo.outHeight() / 2, geo.outWidth() / 2};
        float[] out = BufferPool.floats(Shape.numel(outShape)); // every entry is written
        boolean recording = recording(input, weight, bias);
        int[] argmax = recording ? BufferPool.ints(out.length) : null; // inference needs no arg-max
        boolean winogradTraining = recording && winogradTraining(geo);
        if (!recording && winograd(geo)) {
            WinogradConv.forwardReluMaxPool2x2(geo, batch, filters, input.data(), weight.data(),
                    bias == null ? null : bias.data(), null, null, null, out);
        } else if (winogradTraining) { // each pooling window one Winograd tile, pooled with its arg-max
            WinogradConv.forwardReluMaxPool2x2Training(geo, batch, filters, input.data(), weight.data(),
                    bias == null ? null : bias.data(), out, argmax);
        } else if (batch > 1) {
            ConvKernel.forwardReluMaxPool2x2(geo, batch, filters, input.data(), weight.data(),
                    bias == null ? null : bias.data(), out, argmax);
        } else { // one image: the conv's GEMM split between threads beats a fused pass on one
            float[] y = BufferPool.floats(batch * filters * geo.outPixels());
            ConvKernel.forward(geo, batch, filters, input.data(), weight.data(), bias == null ? null : bias.data(), y);
            Pooling.maxForward(y, batch * filters, geo.outHeight(), geo.outWidth(), 2, 2, out, argmax, true);
            BufferPool.give(y);
        }
        return Node.record(FUSED, out, outShape, g -> {
            if (argmax == null) {
                return;
            }
            if (batch > 1 || winogradTraining) { // the pooled gradient routed straight into the conv's backward
                boolean needX = input.requiresGrad();
                float[] gw = weight.requiresGrad() ? weight.gradData() : null;
                float[] fresh = needX ? input.gradDataToOverwrite() : null; // the usual case: zeroed image by image
                float[] gx = fresh != null ? fresh : needX ? input.gradData() : null;
                float[] gb = bias != null && bias.requiresGrad() ? bias.gradData() : null;
                if (winogradTraining) {
                    WinogradConv.backwardReluMaxPool2x2(geo, batch, filters, input.data(), weight.data(), g, argmax,
                            out, gw, gx, fresh != null, gb);
                } else {
                    ConvKernel.backwardReluMaxPool2x2(geo, batch, filters, input.data(), weight.data(), g, argmax,
                            out, gw, gx, fresh != null, gb);
                }
            } else {         // one image, no Winograd: the max-pool's backward, then the conv's
                float[] gy = BufferPool.floats(batch * filters * geo.outPixels()); // zeroed plane by plane
                Pooling.maxBackward(g, argmax, gy, batch * filters, true, out);
                backward(geo, input, weight, bias, gy, false);
                BufferPool.give(gy);
            }
            BufferPool.give(argmax); // only this closure held it, and a node runs backward once
        }, input, weight, bias);
    }

    /**
     * Inference only: conv2d, batch norm in eval mode, ReLU and 2×2 stride-2 max pooling in one
     * pass, bit for bit {@code BatchNorm.eval(x.conv2d(w, b, s, p), γ, β, ε, μ, σ²).reluMaxPool2d(2, 2)}
     * (each conv output v becomes (v − μ_f)·γ_f/√(σ²_f + ε) + β_f, the eval op's arithmetic, while
     * its block is in cache). A 3×3, stride-1, padding-1 conv of several input channels runs by
     * Winograd's F(2×2, 3×3) instead, equal to float rounding ({@link #setWinogradInference}).
     * Records no gradient: call it under {@code Grad.off()} or on tensors that need none.
     *
     * @throws IllegalStateException if a gradient would be recorded
     */
    public static Tensor inferBatchNormReluMaxPool2x2(Tensor input, Tensor weight, Tensor bias, int stride,
                                                      int padding, Tensor gamma, Tensor beta, float eps,
                                                      float[] mean, float[] var) {
        if (Grad.isEnabled() && (input.requiresGrad() || weight.requiresGrad() || gamma.requiresGrad()
                || beta.requiresGrad() || (bias != null && bias.requiresGrad()))) {
            throw new IllegalStateException(FUSED_BN + " records no gradient: call it under Grad.off()");
        }
        Im2Col.Geometry geo = pooledGeometry(FUSED_BN, input, weight, bias, stride, padding);
        int filters = weight.size(0);
        if (gamma.numel() != filters || beta.numel() != filters || mean.length != filters || var.length != filters) {
            throw new IllegalArgumentException(FUSED_BN + ": weight " + Shape.toString(weight.shape())
                    + " has F = " + filters + " filters, but the batch norm has γ " + Shape.toString(gamma.shape())
                    + ", β " + Shape.toString(beta.shape()) + ", " + mean.length + " means and " + var.length
                    + " variances");
        }
        int batch = input.size(0);
        int[] outShape = {batch, filters, geo.outHeight() / 2, geo.outWidth() / 2};
        float[] out = BufferPool.floats(Shape.numel(outShape)); // every entry is written
        float[] scale = BatchNorm.evalScale(gamma, BatchNorm.invStd(var, eps));
        if (winograd(geo)) {
            WinogradConv.forwardReluMaxPool2x2(geo, batch, filters, input.data(), weight.data(),
                    bias == null ? null : bias.data(), mean, scale, beta.data(), out);
        } else {
            ConvKernel.forwardReluMaxPool2x2(geo, batch, filters, input.data(), weight.data(),
                    bias == null ? null : bias.data(), mean, scale, beta.data(), out, null);
        }
        return Tensor.wrap(out, outShape);
    }

    /**
     * Whether {@link #trainBatchNormReluMaxPool2x2} takes this convolution: stride 1, a patch
     * C·KH·KW of at most {@link ConvBatchNormKernel#MAX_PATCH} (a first layer), a conv output of
     * at least 2×2, and not one that trains by Winograd.
     */
    public static boolean fusesTrainingBatchNorm(Tensor input, Tensor weight, int stride, int padding) {
        int[] xs = input.shape();
        int[] ws = weight.shape();
        if (xs.length != 4 || ws.length != 4 || xs[1] != ws[1] || stride != 1 || padding < 0) {
            return false;
        }
        int oh = xs[2] + 2 * padding - ws[2] + 1;
        int ow = xs[3] + 2 * padding - ws[3] + 1;
        if (ws[2] < 1 || ws[3] < 1 || oh < 2 || ow < 2) {
            return false;
        }
        Im2Col.Geometry geo = new Im2Col.Geometry(xs[1], xs[2], xs[3], ws[2], ws[3], stride, padding);
        return ConvBatchNormKernel.applies(geo) && !winogradTraining(geo);
    }

    /**
     * Convolution, batch norm in training mode, ReLU and 2×2 stride-2 max pooling as one op:
     * <pre>  z = maxpool2×2(relu(batchNorm_train(conv2d(x, w, b), γ, β)))</pre>
     * bit for bit {@code BatchNorm.trainReluMaxPool2x2(x.conv2d(w, b, s, p), γ, β, eps, …)} —
     * output, batch statistics and every gradient (w, b, γ, β, and x when it needs one) — for a
     * convolution {@link #fusesTrainingBatchNorm} accepts. Neither the conv output y nor ∂L/∂y is
     * stored: with a patch of a few taps, recomputing y where it is needed costs less than writing
     * and reading it ({@link ConvBatchNormKernel}). ∂L/∂y is the batch norm's input gradient
     * (γr/m)(m·g − Σg − x̂·Σg·x̂) with g = ∂L/∂z at each window's winner where z &gt; 0, and 0
     * elsewhere; the convolution's gradients follow from it as in {@link #apply}.
     *
     * @param batchMean [F] or null; receives the batch's means (for the running statistics)
     * @param batchVar  [F] or null; receives the batch's biased variances
     * @return z [N, F, OH/2, OW/2]
     */
    public static Tensor trainBatchNormReluMaxPool2x2(Tensor input, Tensor weight, Tensor bias, int stride,
                                                      int padding, Tensor gamma, Tensor beta, float eps,
                                                      float[] batchMean, float[] batchVar) {
        Im2Col.Geometry geo = pooledGeometry(FUSED_BN_TRAIN, input, weight, bias, stride, padding);
        String what = FUSED_BN_TRAIN + ": input " + Shape.toString(input.shape()) + " and weight "
                + Shape.toString(weight.shape());
        if (!fusesTrainingBatchNorm(input, weight, stride, padding)) {
            throw new IllegalArgumentException(what + ": needs stride 1 and C·KH·KW <= " + ConvBatchNormKernel.MAX_PATCH
                    + " (got stride " + stride + ", C·KH·KW = " + geo.patchSize() + ") on a path that does not train"
                    + " by Winograd");
        }
        int batch = input.size(0);
        int filters = weight.size(0);
        BatchNorm.checkAffine(what, filters, gamma, beta, eps);
        if ((long) batch * geo.outPixels() < 2) {
            throw new IllegalArgumentException(what + ": batch norm in training needs more than one value per channel");
        }
        float[] padded = ConvBatchNormKernel.pad(geo, batch, input.data());
        float[] mean = new float[filters];
        float[] var = new float[filters];
        float[] invStd = new float[filters];
        float[] scale = new float[filters];
        int[] outShape = {batch, filters, geo.outHeight() / 2, geo.outWidth() / 2};
        float[] out = BufferPool.floats(Shape.numel(outShape)); // every entry is written
        int[] argmax = BufferPool.ints(out.length);
        float[] ws = weight.data();
        float[] bs = bias == null ? null : bias.data();
        ConvBatchNormKernel.trainForward(geo, batch, filters, padded, ws, bs, gamma.data(), beta.data(), eps, mean,
                var, invStd, scale, out, argmax);
        if (batchMean != null) {
            System.arraycopy(mean, 0, batchMean, 0, filters);
        }
        if (batchVar != null) {
            System.arraycopy(var, 0, batchVar, 0, filters);
        }
        return Node.record(FUSED_BN_TRAIN, out, outShape, g -> {
            boolean needX = input.requiresGrad();
            float[] gw = weight.requiresGrad() ? weight.gradData() : null;
            float[] gb = bias != null && bias.requiresGrad() ? bias.gradData() : null;
            float[] fresh = needX ? input.gradDataToOverwrite() : null;
            float[] gx = fresh != null ? fresh : needX ? input.gradData() : null;
            if (gw != null || gb != null || gx != null || gamma.requiresGrad() || beta.requiresGrad()) {
                double[] sumG = new double[filters];
                double[] sumGXhat = new double[filters];
                ConvBatchNormKernel.backward(geo, batch, filters, input.data(), padded, ws, bs, g, out, argmax, mean,
                        invStd, gamma.data(), sumG, sumGXhat, gw, gb, gx, fresh != null);
                BatchNorm.addAffineGrads(gamma, beta, sumG, sumGXhat);
            }
            BufferPool.give(argmax); // only this closure held them, and a node runs backward once
            BufferPool.give(padded);
        }, input, weight, bias, gamma, beta);
    }

    /**
     * The system property that switches Winograd's F(2×2, 3×3) off for inference and training
     * ({@code false}, {@code 0}, {@code off}): every convolution then runs the direct arithmetic,
     * bit for bit that of versions before it. {@link #setWinogradInference} and
     * {@link #setWinogradTraining} set either at run time.
     */
    public static final String WINOGRAD_PROPERTY = "oneshot.winograd";
    /** The environment variable read when {@link #WINOGRAD_PROPERTY} is not set. */
    public static final String WINOGRAD_ENVIRONMENT = "ONESHOT_WINOGRAD";

    private static volatile boolean winogradInference = winogradSwitch();

    private static boolean winogradSwitch() {
        return KernelSwitch.on(WINOGRAD_PROPERTY, WINOGRAD_ENVIRONMENT, "Winograd's F(2x2, 3x3)");
    }

    /**
     * Whether inference (no gradient recorded) runs 3×3, stride-1, padding-1 convolutions of
     * several input channels followed by ReLU and a 2×2 pool by Winograd's F(2×2, 3×3)
     * ({@link WinogradConv}: 2.25× fewer multiplications, values equal to float rounding rather
     * than bit for bit). On unless {@link #WINOGRAD_PROPERTY} says off; off, inference gives the
     * direct arithmetic's exact bits.
     */
    public static void setWinogradInference(boolean on) {
        winogradInference = on;
    }

    /** See {@link #setWinogradInference}. */
    public static boolean winogradInference() {
        return winogradInference;
    }

    /** Winograd for this inference: switched on, its geometry, and more than one input channel (one uses the direct kernel). */
    private static boolean winograd(Im2Col.Geometry geo) {
        return winogradInference && geo.channels() > 1 && WinogradConv.applies(geo);
    }

    private static volatile boolean winogradTraining = winogradSwitch();

    /**
     * Whether training (a gradient recorded) runs 3×3, stride-1, padding-1 convolutions of
     * several input channels by Winograd's F(2×2, 3×3), forward and backward
     * ({@link WinogradConv#forward}, {@link WinogradConv#backward}): 2.25× fewer multiplications
     * on even-sized images, values and gradients equal to the direct arithmetic's to float
     * rounding. The same switch lets training run a convolution of images no larger than its
     * kernel as one product with the unrolled weights ({@link SmallImageConv}; the direct
     * arithmetic's products, summed in another order). On unless {@link #WINOGRAD_PROPERTY} says
     * off; off, training runs im2col + GEMM, the arithmetic of earlier versions bit for bit.
     */
    public static void setWinogradTraining(boolean on) {
        winogradTraining = on;
    }

    /** See {@link #setWinogradTraining}. */
    public static boolean winogradTraining() {
        return winogradTraining;
    }

    private static boolean winogradTraining(Im2Col.Geometry geo) {
        return winogradTraining && geo.channels() > 1 && WinogradConv.applies(geo);
    }

    /** Whether an op on these tensors records a gradient. */
    private static boolean recording(Tensor input, Tensor weight, Tensor bias) {
        return Grad.isEnabled() && (input.requiresGrad() || weight.requiresGrad()
                || (bias != null && bias.requiresGrad()));
    }

    /** ∂W, ∂x and ∂b (as each input requires) from G = ∂L/∂y [N, F, OH, OW], by Winograd or im2col + GEMM. */
    private static void backward(Im2Col.Geometry geo, Tensor input, Tensor weight, Tensor bias, float[] g,
                                 boolean winograd) {
        int batch = input.size(0);
        int filters = weight.size(0);
        boolean needX = input.requiresGrad();
        boolean needW = weight.requiresGrad();
        float[] gw = needW ? weight.gradData() : null;
        float[] fresh = needX ? input.gradDataToOverwrite() : null; // the usual case: zeroed image by image
        float[] gx = fresh != null ? fresh : needX ? input.gradData() : null;
        // ∂b[f] += Σ_{n, q} G[n, f, q], summed where the kernels read G
        float[] gb = bias != null && bias.requiresGrad() ? bias.gradData() : null;
        if (winograd) {
            WinogradConv.backward(geo, batch, filters, input.data(), weight.data(), g, gw, gx, fresh != null, gb);
        } else {
            ConvKernel.backward(geo, batch, filters, input.data(), weight.data(), g, gw, gx, fresh != null, gb);
        }
    }

    /** {@link #geometry}, and a conv output of at least 2×2 for the pooling window. */
    private static Im2Col.Geometry pooledGeometry(String op, Tensor input, Tensor weight, Tensor bias, int stride,
                                                  int padding) {
        Im2Col.Geometry geo = geometry(input, weight, bias, stride, padding);
        if (geo.outHeight() < 2 || geo.outWidth() < 2) {
            throw new IllegalArgumentException(op + ": input " + Shape.toString(input.shape()) + " and weight "
                    + Shape.toString(weight.shape()) + ": the " + geo.outHeight() + "x" + geo.outWidth()
                    + " conv output is smaller than the 2x2 pooling window");
        }
        return geo;
    }

    /** Checks every shape and hyper-parameter, naming the op and the shapes on failure. */
    private static Im2Col.Geometry geometry(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        int[] xs = input.shape();
        int[] ws = weight.shape();
        String both = OP + ": input " + Shape.toString(xs) + " and weight " + Shape.toString(ws);
        if (xs.length != 4) {
            throw new IllegalArgumentException(OP + ": input " + Shape.toString(xs)
                    + " must be 4-D [N, C, H, W], but has rank " + xs.length);
        }
        if (ws.length != 4) {
            throw new IllegalArgumentException(OP + ": weight " + Shape.toString(ws)
                    + " must be 4-D [F, C, KH, KW], but has rank " + ws.length);
        }
        if (xs[1] != ws[1]) {
            throw new IllegalArgumentException(both + ": channels differ (" + xs[1] + " != " + ws[1] + ")");
        }
        if (ws[2] == 0 || ws[3] == 0) {
            throw new IllegalArgumentException(both + ": the kernel " + ws[2] + "x" + ws[3] + " is empty");
        }
        if (bias != null && (bias.rank() != 1 || bias.size(0) != ws[0])) {
            throw new IllegalArgumentException(both + ": bias " + Shape.toString(bias.shape())
                    + " must be [F] = [" + ws[0] + "]");
        }
        if (stride < 1) {
            throw new IllegalArgumentException(both + ": stride must be >= 1, got " + stride);
        }
        if (padding < 0) {
            throw new IllegalArgumentException(both + ": padding must be >= 0, got " + padding);
        }
        int paddedH = xs[2] + 2 * padding;
        int paddedW = xs[3] + 2 * padding;
        if (ws[2] > paddedH || ws[3] > paddedW) {
            throw new IllegalArgumentException(both + ": kernel " + ws[2] + "x" + ws[3]
                    + " does not fit the " + paddedH + "x" + paddedW + " image (padding " + padding + ")");
        }
        return new Im2Col.Geometry(xs[1], xs[2], xs[3], ws[2], ws[3], stride, padding);
    }
}
