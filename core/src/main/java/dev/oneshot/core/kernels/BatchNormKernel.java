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
     * (biased), m = N·S, both summed in double.
     *
     * @param x    [N, C, S]; not modified
     * @param mean [C]; modified
     * @param var  [C]; modified
     */
    public static void stats(float[] x, int batch, int channels, int spatial, float[] mean, float[] var) {
        double m = (double) batch * spatial;
        run(channels, x.length, c -> {
            double s = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                s += sum(x, off, spatial);
            }
            double mu = s / m;
            double q = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    double d = x[off + i] - mu;
                    q += d * d;
                }
            }
            mean[c] = (float) mu;
            var[c] = (float) (q / m);
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
     * x̂ = (x − mean[c])·invStd[c], in double.
     */
    public static void gradSums(float[] x, float[] g, int batch, int channels, int spatial, float[] mean,
                                float[] invStd, double[] sumG, double[] sumGXhat) {
        run(channels, x.length, c -> {
            float mu = mean[c];
            double sg = 0;
            double sgx = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                for (int i = off; i < off + spatial; i++) {
                    sg += g[i];
                    sgx += g[i] * (x[i] - mu);
                }
            }
            sumG[c] = sg;
            sumGXhat[c] = sgx * invStd[c];
        });
    }

    /**
     * gx += a[c]·g + b[c]·(x − mean[c]) + d[c] elementwise per channel (the batch-norm input
     * gradient, with the per-channel coefficients folded by the caller).
     */
    public static void accumulateInputGrad(float[] x, float[] g, int batch, int channels, int spatial,
                                           float[] mean, float[] a, float[] b, float[] d, float[] gx) {
        run(channels, x.length, c -> {
            float mu = mean[c];
            float ac = a[c];
            float bc = b[c];
            float dc = d[c];
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * spatial;
                for (int i = off; i < off + spatial; i++) {
                    gx[i] += ac * g[i] + (bc * (x[i] - mu) + dc);
                }
            }
        });
    }

    private static double sum(float[] x, int from, int length) {
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 2 <= length; i += 2) {
            s0 += x[from + i];
            s1 += x[from + i + 1];
        }
        if (i < length) {
            s0 += x[from + i];
        }
        return s0 + s1;
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
