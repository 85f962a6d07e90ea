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
        double m = (double) batch * spatial;
        run(channels, x.length, c -> {
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
        run(channels, x.length, c -> {
            float mu = mean[c];
            float a = scale[c];
            float b = shift[c];
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                for (int i = off; i < off + spatial; i++) {
                    out[i] = (x[i] - mu) * a + b;
                }
            }
        });
    }

    /**
     * The two sums of the backward per channel: sumG[c] = Σ g and sumGXhat[c] = Σ g·x̂ with
     * x̂ = (x − mean[c])·invStd[c] (planes in float lanes, added in double).
     */
    public static void gradSums(float[] x, float[] g, int batch, int channels, int spatial, float[] mean,
                                float[] invStd, double[] sumG, double[] sumGXhat) {
        run(channels, x.length, c -> {
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
        run(channels, x.length, c -> {
            float mu = mean[c];
            float ac = a[c];
            float bc = b[c];
            float dc = d[c];
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
        });
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

    /** Calls {@code body} for every channel, channels split in contiguous ranges between threads. */
    private static void run(int channels, int elements, java.util.function.IntConsumer body) {
        int parts = elements < PARALLEL_MIN ? 1 : Math.min(Parallel.threads(), channels);
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
