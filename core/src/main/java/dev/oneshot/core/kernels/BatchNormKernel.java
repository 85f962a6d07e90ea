package dev.oneshot.core.kernels;

/**
 * The loops of batch normalisation over axis 1 of x viewed as [N, C, S] (S = the spatial size,
 * 1 for [N, C]); the maths is in {@code dev.oneshot.core.ops.BatchNorm}. Channels are
 * independent, so they are split between threads; each channel's sums run in one thread in a
 * fixed order, so the results are bitwise the same for any thread count. The per-plane sums
 * run four planes side by side ({@link ScalarPlaneLoops}; with the Vector API
 * {@code VectorBatchNorm}), each plane bit for bit its one-plane reference loop, so the two
 * paths give the same bits.
 */
public final class BatchNormKernel {
    /** Below this many elements the work stays on the calling thread. */
    private static final int PARALLEL_MIN = 1 << 15;

    /**
     * The loops over a channel's planes. The per-plane sums of the planes
     * {@code first + n·stride} (n &lt; planes, each {@code length} long) go into out[n]; each
     * is, bit for bit, the float of the one-plane reference loop ({@link ScalarPlaneLoops#sum},
     * {@link ScalarPlaneLoops#sumSquares}, {@link ScalarPlaneLoops#dotCentred}: four float
     * lanes, element i into lane i mod 4, the last length mod 4 elements into lane 0, then
     * ((l0 + l1) + (l2 + l3))); implementations differ only in how many planes run side by
     * side. The input gradient is elementwise.
     */
    interface PlaneLoops {
        void sum(float[] x, int first, int stride, int planes, int length, float shift, float[] out);

        void sumSquares(float[] x, int first, int stride, int planes, int length, float mu, float[] out);

        /** g's planes start at gFirst + n·gStride, x's at first + n·stride. */
        void dotCentred(float[] g, int gFirst, int gStride, float[] x, int first, int stride, int planes, int length,
                        float mu, float[] out);

        /** {@link #dotCentred} with plane n centred on its own mean mus[musFrom + n] (planes of several channels). */
        void dotCentredEach(float[] g, int gFirst, int gStride, float[] x, int first, int stride, int planes,
                            int length, float[] mus, int musFrom, float[] out);

        /**
         * The input gradient of one plane, elementwise: gx[i] += a·g[i + gFrom − xFrom] +
         * (b·(x[i] − mu) + d) for i in [xFrom, xFrom + length); with {@code overwrite},
         * gx[i] = 0 + (…) (the buffer's old contents unread). Each element is rounded the same
         * way on every path (multiply, then add; no fused multiply-add), so the paths agree bit
         * for bit.
         */
        void inputGrad(float[] x, float[] g, int gFrom, int xFrom, int length, float mu, float a, float b, float d,
                       float[] gx, boolean overwrite);

        /**
         * The pooling's gradient at the winners of outputs [from, to): buf[argmax[o] + shift] =
         * 0 + gy[o]·(z[o] &gt; 0 ? 1 : 0), each value rounded as that expression (a multiply by 1
         * or 0, then +0 added); the places are distinct (one winner per window). Nothing else of
         * buf is written.
         */
        void winnerGradients(float[] gy, float[] z, int[] argmax, int from, int to, int shift, float[] buf);
    }

    /** The Vector API plane loops ({@code VectorBatchNorm}, bitwise the same), or null without the module. */
    private static final PlaneLoops VECTOR = VectorSupport.load(PlaneLoops.class, "VectorBatchNorm");

    /** The fused pooling backward keeps a channel's whole pooling gradient up to this many floats (1 MB). */
    private static final int KEEP_MAX = 1 << 18;

    /** Planes shorter than this stay on the scalar loops (the vector loop takes 16 floats of a plane a step). */
    private static final int VECTOR_MIN = 16;

    /**
     * Per thread: the planes' float sums of one channel (slots 0, 1), the pooling gradient's planes
     * (slot 2) and the input gradient's coefficients (slot 3).
     */
    private static final ThreadLocal<float[][]> PARTS = ThreadLocal.withInitial(() -> new float[4][0]);

    private BatchNormKernel() {
    }

    /**
     * Batch statistics per channel: mean[c] = (1/m) Σ x and var[c] = (1/m) Σ (x − mean[c])²
     * (biased), m = N·S; each plane summed in float lanes, the planes in double.
     *
     * @param x    [N, C, S]; not modified
     * @param mean [C]; modified
     * @param var  [C]; modified
     */
    public static void stats(float[] x, int batch, int channels, int spatial, float[] mean, float[] var) {
        run(channels, x.length, c -> channelStats(x, batch, channels, spatial, c, mean, var));
    }

    /** {@link #stats} of channel c. */
    private static void channelStats(float[] x, int batch, int channels, int spatial, int c, float[] mean,
                                     float[] var) {
        channelStats(x, c * spatial, channels * spatial, batch, spatial, c, mean, var);
    }

    /** {@link #stats} of channel c whose N planes start at x[from + n·stride]. */
    static void channelStats(float[] x, int from, int stride, int batch, int spatial, int c, float[] mean,
                             float[] var) {
        double m = (double) batch * spatial;
        // summing x − first keeps a large common offset out of the float lanes
        float first = batch * spatial > 0 ? x[from] : 0f;
        PlaneLoops v = planeLoops(spatial);
        float[] part = parts(0, batch);
        v.sum(x, from, stride, batch, spatial, first, part);
        double s = 0;
        for (int n = 0; n < batch; n++) {
            s += (double) part[n];
        }
        double mu = first + s / m;
        float muF = (float) mu;
        v.sumSquares(x, from, stride, batch, spatial, muF, part);
        double q = 0;
        for (int n = 0; n < batch; n++) {
            q += (double) part[n];
        }
        // Σ (x − μ)² about the float μ, corrected to the exact mean: Σ (x − μ_f)² − m·(μ − μ_f)²
        double shift = mu - muF;
        mean[c] = muF;
        var[c] = (float) Math.max(0.0, q / m - shift * shift);
    }

    /**
     * The training forward in one sweep per channel: {@link #stats} (mean[c], var[c]), then
     * invStd[c] = 1/√(var[c] + eps) and scale[c] = gamma[c]·invStd[c], then
     * {@link #affine} with shift = beta, while the channel's values are still in cache (a
     * channel of a 28×28 layer of 128 images is 400 KB). Bitwise the same as those three steps.
     *
     * @param x      [N, C, S]; not modified
     * @param mean   [C]; modified
     * @param var    [C]; modified
     * @param invStd [C]; modified
     * @param scale  [C]; modified
     * @param out    [N, C, S]; modified (every entry written)
     */
    public static void trainForward(float[] x, int batch, int channels, int spatial, float[] gamma, float[] beta,
                                    float eps, float[] mean, float[] var, float[] invStd, float[] scale,
                                    float[] out) {
        run(channels, x.length, c -> {
            channelStats(x, batch, channels, spatial, c, mean, var);
            scale(c, var, gamma, eps, invStd, scale);
            channelAffine(x, batch, channels, spatial, c, mean, scale, beta, out);
        });
    }

    /**
     * The training forward of batch norm → ReLU → 2×2, stride-2 max pooling on [N, C, H, W], in
     * one sweep per channel: the statistics, invStd and scale of {@link #trainForward}, then
     * each plane's windows pooled from the normalised values v = (x − mean[c])·scale[c] +
     * beta[c] as they are computed ({@link Pooling#affineReluMax2x2}) — the full-size
     * normalised tensor is never written. Bit for bit {@link #trainForward} followed by
     * {@link Pooling#maxForward(float[], int, int, int, int, int, float[], int[], boolean)} with
     * the ReLU.
     *
     * @param out    [N, C, H/2, W/2]; modified (every entry written)
     * @param argmax [N, C, H/2, W/2]; modified: each output's winner as a flat index into x
     */
    public static void trainForwardReluMax2x2(float[] x, int batch, int channels, int height, int width,
                                              float[] gamma, float[] beta, float eps, float[] mean, float[] var,
                                              float[] invStd, float[] scale, float[] out, int[] argmax) {
        int spatial = height * width;
        int pooled = (height / 2) * (width / 2);
        run(channels, x.length, c -> {
            channelStats(x, batch, channels, spatial, c, mean, var);
            scale(c, var, gamma, eps, invStd, scale);
            for (int n = 0; n < batch; n++) {
                int plane = n * channels + c;
                Pooling.affineReluMax2x2(x, plane * spatial, height, width, mean[c], scale[c], beta[c], out,
                        plane * pooled, argmax);
            }
        });
    }

    /** invStd[c] = 1/√(var[c] + eps) (in double, rounded once) and scale[c] = gamma[c]·invStd[c]. */
    static void scale(int c, float[] var, float[] gamma, float eps, float[] invStd, float[] scale) {
        invStd[c] = (float) (1.0 / Math.sqrt((double) var[c] + eps));
        scale[c] = gamma[c] * invStd[c];
    }

    /**
     * The backward of {@link #trainForwardReluMax2x2} from the pooled gradient gy: the
     * normalised values' gradient g is gy·(y &gt; 0 ? 1 : 0) at each window's winner and 0
     * elsewhere; from it {@link #backward} with batch statistics. Per channel, g is scattered
     * into a per-thread buffer, summed, and kept there for the input gradient (a channel of up
     * to 1 MB; above, four planes at a time, scattered again for the input gradient), so the
     * full-size g is never written; bit for bit the max-pool backward into a zeroed tensor
     * followed by {@link #backward}.
     *
     * @param gy        ∂L/∂y [N, C, H/2, W/2]; not modified
     * @param y         the forward's output (its sign masks gy)
     * @param argmax    the forward's winners
     * @param gx        [N, C, H, W] or null; accumulated into, or written with {@code overwrite}
     */
    public static void backwardReluMax2x2(float[] x, float[] gy, float[] y, int[] argmax, int batch, int channels,
                                          int height, int width, float[] mean, float[] invStd, float[] gamma,
                                          double[] sumG, double[] sumGXhat, float[] gx, boolean overwrite) {
        int spatial = height * width;
        int pooled = (height / 2) * (width / 2);
        double m = (double) batch * spatial;
        // the channel's whole g kept for the second pass when it fits in L2, else scattered again
        boolean keep = (long) batch * spatial <= KEEP_MAX;
        run(channels, x.length, c -> {
            float mu = mean[c];
            float[] planes = parts(2, keep ? batch * spatial : 4 * spatial);
            int step = keep ? batch : 4; // planes scattered, then summed, at a time
            float[] partG = parts(0, step);
            float[] partGx = parts(1, step);
            PlaneLoops v = planeLoops(spatial);
            double sg = 0;
            double sgx = 0;
            for (int n0 = 0; n0 < batch; n0 += step) {
                int count = Math.min(step, batch - n0);
                int at = keep ? n0 * spatial : 0;
                for (int n = n0; n < n0 + count; n += 4) {
                    scatter(gy, y, argmax, n, Math.min(4, n0 + count - n), channels, c, spatial, pooled,
                            c * spatial, channels * spatial, planes, at + (n - n0) * spatial);
                }
                // the planes' sums as the unfused backward takes them: planes n0..n0+count−1 of x, stride C·S
                v.sum(planes, at, spatial, count, spatial, 0f, partG);
                v.dotCentred(planes, at, spatial, x, (n0 * channels + c) * spatial, channels * spatial, count,
                        spatial, mu, partGx);
                for (int k = 0; k < count; k++) {
                    sg += (double) partG[k];
                    sgx += (double) partGx[k];
                }
            }
            sumG[c] = sg;
            sumGXhat[c] = sgx * invStd[c];
            if (gx == null) {
                return;
            }
            float[] abd = parts(3, 3);
            coefficients(c, gamma, invStd, sumG, sumGXhat, m, abd);
            float a = abd[0];
            float b = abd[1];
            float d = abd[2];
            for (int n = 0; n < batch; n += 4) {
                int count = Math.min(4, batch - n);
                int at = keep ? n * spatial : 0;
                if (!keep) {
                    scatter(gy, y, argmax, n, count, channels, c, spatial, pooled, c * spatial, channels * spatial,
                            planes, 0);
                }
                for (int k = 0; k < count; k++) {
                    int off = ((n + k) * channels + c) * spatial;
                    v.inputGrad(x, planes, at + k * spatial, off, spatial, mu, a, b, d, gx, overwrite);
                }
            }
        });
    }

    /**
     * The input gradient's coefficients of channel c with batch statistics, into abd = [a, b, d]:
     * <pre>  a = γ·r,   b = −γ·r·r·Σgx̂/m,   d = −γ·r·Σg/m</pre>
     * (r = invStd; worked out in double, each rounded to float once).
     */
    static void coefficients(int c, float[] gamma, float[] invStd, double[] sumG, double[] sumGXhat, double m,
                             float[] abd) {
        double gr = (double) gamma[c] * invStd[c];
        abd[0] = (float) gr;
        abd[1] = (float) (-gr * invStd[c] * sumGXhat[c] / m);
        abd[2] = (float) (-gr * sumG[c] / m);
    }

    /**
     * Planes n..n+count−1 of channel c of the pooling's input gradient into buf (plane k at
     * from + k·S): zeros, and 0 + gy·(y &gt; 0 ? 1 : 0) at each window's winner (the 2×2 windows
     * do not overlap: one winner per place at most). The arg-max values of image n's plane are
     * flat indices into an array where that plane starts at argFirst + n·argStride.
     */
    static void scatter(float[] gy, float[] y, int[] argmax, int n, int count, int channels, int c, int spatial,
                        int pooled, int argFirst, int argStride, float[] buf, int from) {
        java.util.Arrays.fill(buf, from, from + count * spatial, 0f);
        PlaneLoops loops = planeLoops(pooled);
        for (int k = 0; k < count; k++) {
            int plane = (n + k) * channels + c;
            int shift = from + k * spatial - (argFirst + (n + k) * argStride); // argmax index → buf index
            loops.winnerGradients(gy, y, argmax, plane * pooled, (plane + 1) * pooled, shift, buf);
        }
    }

    /**
     * y = (x − mean[c])·scale[c] + shift[c] (x − mean first: no cancellation when the mean is
     * large against the spread).
     *
     * @param x   [N, C, S]; not modified
     * @param out [N, C, S]; modified (every entry written; may be {@code x} itself)
     */
    public static void affine(float[] x, int batch, int channels, int spatial, float[] mean, float[] scale,
                              float[] shift, float[] out) {
        run(channels, x.length, c -> channelAffine(x, batch, channels, spatial, c, mean, scale, shift, out));
    }

    /** {@link #affine} of channel c. */
    private static void channelAffine(float[] x, int batch, int channels, int spatial, int c, float[] mean,
                                      float[] scale, float[] shift, float[] out) {
        float mu = mean[c];
        float a = scale[c];
        float b = shift[c];
        for (int n = 0; n < batch; n++) {
            int off = (n * channels + c) * spatial;
            for (int i = off; i < off + spatial; i++) {
                out[i] = (x[i] - mu) * a + b;
            }
        }
    }

    /**
     * The two sums of the backward per channel: sumG[c] = Σ g and sumGXhat[c] = Σ g·x̂ with
     * x̂ = (x − mean[c])·invStd[c] (planes in float lanes, added in double).
     */
    public static void gradSums(float[] x, float[] g, int batch, int channels, int spatial, float[] mean,
                                float[] invStd, double[] sumG, double[] sumGXhat) {
        run(channels, x.length, c -> channelGradSums(x, g, batch, channels, spatial, c, mean, invStd, sumG, sumGXhat));
    }

    /** {@link #gradSums} of channel c. */
    private static void channelGradSums(float[] x, float[] g, int batch, int channels, int spatial, int c,
                                        float[] mean, float[] invStd, double[] sumG, double[] sumGXhat) {
        float mu = mean[c];
        double sg = 0;
        double sgx = 0;
        PlaneLoops v = planeLoops(spatial);
        float[] partG = parts(0, batch);
        float[] partGx = parts(1, batch);
        v.sum(g, c * spatial, channels * spatial, batch, spatial, 0f, partG);
        v.dotCentred(g, c * spatial, channels * spatial, x, c * spatial, channels * spatial, batch, spatial, mu,
                partGx);
        for (int n = 0; n < batch; n++) { // each plane's float sum widened and added in image order
            sg += (double) partG[n];
            sgx += (double) partGx[n];
        }
        sumG[c] = sg;
        sumGXhat[c] = sgx * invStd[c];
    }

    /**
     * The backward in one sweep per channel: {@link #gradSums}, then (when gx is not null)
     * the input gradient of {@link #accumulateInputGrad} with the coefficients
     * <pre>  a = γ·r,   b = −γ·r·r·Σgx̂/m,   d = −γ·r·Σg/m       (batchStats; else b = d = 0)</pre>
     * (r = invStd, m = N·S; worked out in double, rounded to float) while the channel's x and g
     * are still in cache. Bitwise the same as the two steps with those coefficients.
     *
     * @param gx        [N, C, S] or null (no input gradient); accumulated into, or written
     *                  with {@code overwrite} (see {@link #accumulateInputGrad})
     * @param batchStats whether mean and var were the batch's own (training)
     */
    public static void backward(float[] x, float[] g, int batch, int channels, int spatial, float[] mean,
                                float[] invStd, float[] gamma, boolean batchStats, double[] sumG,
                                double[] sumGXhat, float[] gx, boolean overwrite) {
        double m = (double) batch * spatial;
        run(channels, x.length, c -> {
            channelGradSums(x, g, batch, channels, spatial, c, mean, invStd, sumG, sumGXhat);
            if (gx == null) {
                return;
            }
            double gr = (double) gamma[c] * invStd[c];
            float a = (float) gr;
            float b = 0f;
            float d = 0f;
            if (batchStats) { // (γr/m)(m·g − Σg − x̂·Σgx̂), with x̂ = (x − μ)·r
                b = (float) (-gr * invStd[c] * sumGXhat[c] / m);
                d = (float) (-gr * sumG[c] / m);
            }
            channelInputGrad(x, g, batch, channels, spatial, c, mean[c], a, b, d, gx, overwrite);
        });
    }

    /**
     * gx += a[c]·g + b[c]·(x − mean[c]) + d[c] elementwise per channel (the batch-norm input
     * gradient, with the per-channel coefficients folded by the caller); with
     * {@code overwrite}, gx = 0 + (...) into a buffer of undefined contents (bit for bit the
     * same as accumulating into zeros).
     */
    public static void accumulateInputGrad(float[] x, float[] g, int batch, int channels, int spatial,
                                           float[] mean, float[] a, float[] b, float[] d, float[] gx,
                                           boolean overwrite) {
        run(channels, x.length, c -> channelInputGrad(x, g, batch, channels, spatial, c, mean[c], a[c], b[c], d[c],
                gx, overwrite));
    }

    /** {@link #accumulateInputGrad} of channel c. */
    private static void channelInputGrad(float[] x, float[] g, int batch, int channels, int spatial, int c,
                                         float mu, float ac, float bc, float dc, float[] gx, boolean overwrite) {
        PlaneLoops v = planeLoops(spatial);
        for (int n = 0; n < batch; n++) {
            int off = (n * channels + c) * spatial;
            v.inputGrad(x, g, off, off, spatial, mu, ac, bc, dc, gx, overwrite);
        }
    }

    /** {@code "vector-<bits>"} when the plane loops use the Vector API, else "scalar" ({@link VectorSupport#use} switches it). */
    public static String kernel() {
        return VectorSupport.pathOf(VECTOR);
    }

    /**
     * The plane loops for planes of this length: the Vector API ones when enabled and the planes
     * are long enough for a vector step, else the scalar ones (bitwise the same either way).
     */
    static PlaneLoops planeLoops(int length) {
        PlaneLoops v = length >= VECTOR_MIN ? VectorSupport.ifEnabled(VECTOR) : null;
        return v != null ? v : ScalarPlaneLoops.INSTANCE;
    }

    /**
     * out[n] = Σ x over the plane first + n·stride (n &lt; planes, each {@code length} long): bit
     * for bit {@link ConvKernel#rowSum} (the same four lanes; x − 0 is x), on the Vector API
     * when enabled.
     */
    static void planeSums(float[] x, int first, int stride, int planes, int length, float[] out) {
        planeLoops(length).sum(x, first, stride, planes, length, 0f, out);
    }

    /** This thread's buffer {@code slot} of at least n floats (contents undefined). */
    static float[] parts(int slot, int n) {
        float[][] holder = PARTS.get();
        if (holder[slot].length < n) {
            holder[slot] = new float[n];
        }
        return holder[slot];
    }

    /** Calls {@code body} for every channel, channels split in contiguous ranges (a few per thread). */
    static void run(int channels, int elements, java.util.function.IntConsumer body) {
        if (elements < PARALLEL_MIN || Parallel.threads() < 2) {
            for (int c = 0; c < channels; c++) {
                body.accept(c);
            }
        } else {
            ParallelFor.range(channels, body);
        }
    }
}
