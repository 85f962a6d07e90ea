package dev.oneshot.core.kernels;

/**
 * The loops of batch normalisation over axis 1 of x viewed as [N, C, S] (S = the spatial size,
 * 1 for [N, C]); the maths is in {@code dev.oneshot.core.ops.BatchNorm}. Channels are
 * independent, so they are split between threads; each channel's sums run in one thread in a
 * fixed order, so the results are bitwise the same for any thread count.
 */
public final class BatchNormKernel {
    /** Below this many elements the work stays on the calling thread. */
    private static final int PARALLEL_MIN = 1 << 15;

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
        double m = (double) batch * spatial;
        // summing x − first keeps a large common offset out of the float lanes
        float first = batch * spatial > 0 ? x[c * spatial] : 0f;
        double s = 0;
        for (int n = 0; n < batch; n++) {
            s += sum(x, (n * channels + c) * spatial, spatial, first);
        }
        double mu = first + s / m;
        float muF = (float) mu;
        double q = 0;
        for (int n = 0; n < batch; n++) {
            q += sumSquares(x, (n * channels + c) * spatial, spatial, muF);
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
            invStd[c] = (float) (1.0 / Math.sqrt((double) var[c] + eps));
            scale[c] = gamma[c] * invStd[c];
            channelAffine(x, batch, channels, spatial, c, mean, scale, beta, out);
        });
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
        for (int n = 0; n < batch; n++) {
            int off = (n * channels + c) * spatial;
            sg += sum(g, off, spatial, 0f);
            sgx += dotCentred(g, x, off, spatial, mu);
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
        for (int n = 0; n < batch; n++) {
            int off = (n * channels + c) * spatial;
            if (overwrite) {
                for (int i = off; i < off + spatial; i++) {
                    gx[i] = 0f + (ac * g[i] + (bc * (x[i] - mu) + dc));
                }
            } else {
                for (int i = off; i < off + spatial; i++) {
                    gx[i] += ac * g[i] + (bc * (x[i] - mu) + dc);
                }
            }
        }
    }

    /*
     * The sums over one plane (S values) run in float in four interleaved lanes, added
     * ((l0 + l1) + (l2 + l3)) at the end, so that four adds are in flight instead of a chain of
     * dependent double adds; the planes' sums are then added in double, in image order.
     */

    /** Σ (x[i] − shift) over x[from .. from + length). */
    private static double sum(float[] x, int from, int length, float shift) {
        float l0 = 0f;
        float l1 = 0f;
        float l2 = 0f;
        float l3 = 0f;
        int i = from;
        int end = from + length;
        for (; i + 4 <= end; i += 4) {
            l0 += x[i] - shift;
            l1 += x[i + 1] - shift;
            l2 += x[i + 2] - shift;
            l3 += x[i + 3] - shift;
        }
        for (; i < end; i++) {
            l0 += x[i] - shift;
        }
        return (double) ((l0 + l1) + (l2 + l3));
    }

    /** Σ (x[i] − mu)² over x[from .. from + length). */
    private static double sumSquares(float[] x, int from, int length, float mu) {
        float l0 = 0f;
        float l1 = 0f;
        float l2 = 0f;
        float l3 = 0f;
        int i = from;
        int end = from + length;
        for (; i + 4 <= end; i += 4) {
            float d0 = x[i] - mu;
            float d1 = x[i + 1] - mu;
            float d2 = x[i + 2] - mu;
            float d3 = x[i + 3] - mu;
            l0 += d0 * d0;
            l1 += d1 * d1;
            l2 += d2 * d2;
            l3 += d3 * d3;
        }
        for (; i < end; i++) {
            float d = x[i] - mu;
            l0 += d * d;
        }
        return (double) ((l0 + l1) + (l2 + l3));
    }

    /** Σ g[i]·(x[i] − mu) over [from .. from + length). */
    private static double dotCentred(float[] g, float[] x, int from, int length, float mu) {
        float l0 = 0f;
        float l1 = 0f;
        float l2 = 0f;
        float l3 = 0f;
        int i = from;
        int end = from + length;
        for (; i + 4 <= end; i += 4) {
            l0 += g[i] * (x[i] - mu);
            l1 += g[i + 1] * (x[i + 1] - mu);
            l2 += g[i + 2] * (x[i + 2] - mu);
            l3 += g[i + 3] * (x[i + 3] - mu);
        }
        for (; i < end; i++) {
            l0 += g[i] * (x[i] - mu);
        }
        return (double) ((l0 + l1) + (l2 + l3));
    }

    /** Calls {@code body} for every channel, channels split in contiguous ranges (a few per thread). */
    private static void run(int channels, int elements, java.util.function.IntConsumer body) {
        int threads = Parallel.threads();
        int parts = elements < PARALLEL_MIN || threads < 2 ? 1
                : Math.min(Elementwise.PARTS_PER_THREAD * threads, channels);
        if (parts < 2) {
            for (int c = 0; c < channels; c++) {
                body.accept(c);
            }
            return;
        }
        int chunk = (channels + parts - 1) / parts;
        Parallel.run(parts, part -> {
            for (int c = part * chunk; c < Math.min(channels, (part + 1) * chunk); c++) {
                body.accept(c);
            }
        });
    }
}
