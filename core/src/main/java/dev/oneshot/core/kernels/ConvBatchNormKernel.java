package dev.oneshot.core.kernels;

import dev.oneshot.core.tensor.BufferPool;

/**
 * Convolution → batch norm (training) → ReLU → 2×2 max pooling for a convolution with a short
 * patch — a first layer: one or three input channels, K = C·KH·KW ≤ {@link #MAX_PATCH}, stride
 * 1 — without its full-size output y or the gradient ∂L/∂y. Such a layer has the network's
 * largest activations (Conv-4's first block: 128 images × 64 channels × 28×28, 25.7 MB) and
 * almost no arithmetic (9 multiply-adds per output), so writing y and ∂L/∂y and reading them
 * back costs more than computing y again: each channel's planes are recomputed from the padded
 * images (a few KB each, in cache) wherever they are needed.
 *
 * <ul>
 *   <li>Forward, one channel per task: its N planes into a per-thread buffer, the batch
 *   statistics ({@link BatchNormKernel}'s sums), then each plane normalised, ReLU'd and pooled
 *   ({@link Pooling#affineReluMax2x2}).</li>
 *   <li>Backward, pass 1, images split between threads, planes in memory order: y recomputed,
 *   the pooled gradient scattered to the winners, each plane's Σg and Σg·(y − μ) in float; then
 *   per channel the planes' sums added in image order, as the unfused backward adds them.</li>
 *   <li>Backward, pass 2: the convolution's group loop ({@link ConvKernel#backward}), each group's
 *   ∂L/∂y built plane by plane in memory order — y recomputed, g scattered, the batch-norm input
 *   gradient a·g + b·(y − μ) + d — and handed to the ∂W, ∂b (and ∂x) products while in cache.</li>
 * </ul>
 * The pooled arrays (∂L/∂z, z, the winners) are read in memory order in both passes: read one
 * channel at a time, each plane is a short run far from the last, which the prefetcher does not
 * follow.
 *
 * <p>Every value is computed by the same arithmetic in the same order as the unfused ops
 * (im2col + GEMM's W·im2col(x) + b; {@link BatchNormKernel#trainForwardReluMax2x2} and
 * {@link BatchNormKernel#backwardReluMax2x2}; {@link ConvKernel#backward}): outputs, statistics
 * and gradients are bit for bit theirs, for any thread count.
 */
public final class ConvBatchNormKernel {
    /** The longest patch C·KH·KW recomputed rather than stored (a 3×3 kernel over three channels). */
    public static final int MAX_PATCH = 27;

    /**
     * One filter's output plane over one image, in raster order, from the image's zero-padded
     * copy [C, H + 2p, W + 2p]: y[yFrom + oh·OW + ow] = (Σ_k w[wFrom + k]·x_k) + b with k =
     * c·KH·KW + i·KW + j in im2col's row order and the GEMM's rounding — one fused multiply-add
     * per k from +0 on the vector GEMM's path, a multiply then an add on the scalar one — and the
     * bias added last, as {@link ConvKernel#forward} adds it. Reads only the image's padded copy
     * and writes only the plane.
     */
    interface ConvPlanes {
        void plane(float[] padded, int padFrom, Im2Col.Geometry g, float[] w, int wFrom, float[] b, int f,
                   float[] y, int yFrom);
    }

    private static final ConvPlanes VECTOR = VectorSupport.load(ConvPlanes.class, "VectorConvPlanes");

    /** Per thread: [0] a channel's planes (forward), [1] a plane and its gradient (pass 1), [2] a gradient plane. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private ConvBatchNormKernel() {
    }

    /** Whether this convolution is one these loops take: stride 1, a patch of at most {@link #MAX_PATCH}, a 2×2 output at least. */
    public static boolean applies(Im2Col.Geometry g) {
        return g.stride() == 1 && g.patchSize() <= MAX_PATCH && g.outHeight() >= 2 && g.outWidth() >= 2;
    }

    /** The floats of one padded image [C, H + 2p, W + 2p]. */
    private static int paddedImage(Im2Col.Geometry g) {
        return g.channels() * (g.height() + 2 * g.padding()) * (g.width() + 2 * g.padding());
    }

    /**
     * The batch's images with p zeros on every side, [N, C, H + 2p, W + 2p]: what the forward and
     * the backward convolve (a pool buffer; give it back after the backward).
     *
     * @param x [N, C, H, W]; not modified
     */
    public static float[] pad(Im2Col.Geometry g, int batch, float[] x) {
        int p = g.padding();
        int wp = g.width() + 2 * p;
        int hp = g.height() + 2 * p;
        float[] padded = BufferPool.floats(batch * paddedImage(g));
        java.util.Arrays.fill(padded, 0f);
        for (int plane = 0; plane < batch * g.channels(); plane++) {
            for (int r = 0; r < g.height(); r++) {
                System.arraycopy(x, (plane * g.height() + r) * g.width(), padded, (plane * hp + r + p) * wp + p,
                        g.width());
            }
        }
        return padded;
    }

    /**
     * The training forward: per filter f, y_f = W_f·im2col(x) + b_f over the batch, its batch
     * statistics and scale ({@link BatchNormKernel#trainForwardReluMax2x2}'s), and the pooled
     * relu((y − mean)·scale + beta) with each window's winner.
     *
     * @param padded from {@link #pad}
     * @param w      [F, K]; not modified
     * @param b      [F] or null; not modified
     * @param out    [N, F, OH/2, OW/2]; modified (every entry written)
     * @param argmax [N, F, OH/2, OW/2]; modified: each winner's index n·OH·OW + (place in the plane)
     */
    public static void trainForward(Im2Col.Geometry g, int batch, int filters, float[] padded, float[] w, float[] b,
                                    float[] gamma, float[] beta, float eps, float[] mean, float[] var,
                                    float[] invStd, float[] scale, float[] out, int[] argmax) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int spatial = oh * ow;
        int pooled = (oh / 2) * (ow / 2);
        int per = paddedImage(g);
        int k = g.patchSize();
        ConvPlanes planes = planes();
        BatchNormKernel.run(filters, batch * filters * spatial, f -> {
            float[] y = scratch(0, batch * spatial);
            for (int n = 0; n < batch; n++) {
                planes.plane(padded, n * per, g, w, f * k, b, f, y, n * spatial);
            }
            BatchNormKernel.channelStats(y, 0, spatial, batch, spatial, f, mean, var);
            BatchNormKernel.scale(f, var, gamma, eps, invStd, scale);
            for (int n = 0; n < batch; n++) {
                Pooling.affineReluMax2x2(y, n * spatial, oh, ow, mean[f], scale[f], beta[f], out,
                        (n * filters + f) * pooled, argmax);
            }
        });
    }

    /**
     * The backward of {@link #trainForward} from the pooled gradient gy: sumG[f] = Σg and
     * sumGXhat[f] = Σg·x̂ (the batch norm's ∂β and ∂γ), then — when any of gw, gb, gx is wanted —
     * the convolution's backward from ∂L/∂y = a·g + b·(y − μ) + d
     * ({@link BatchNormKernel#coefficients}), built group by group.
     *
     * @param x      [N, C, H, W], the input; not modified
     * @param padded the forward's {@link #pad}
     * @param gy     ∂L/∂z [N, F, OH/2, OW/2]; not modified
     * @param pooled z, the forward's output (its sign masks gy)
     * @param argmax the forward's winners
     * @param gw     [F, K] or null; accumulated into
     * @param gb     [F] or null; accumulated into
     * @param gx     [N, C, H, W] or null; accumulated into, or written with {@code gxOverwrite}
     */
    public static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] padded, float[] w,
                                float[] b, float[] gy, float[] pooled, int[] argmax, float[] mean, float[] invStd,
                                float[] gamma, double[] sumG, double[] sumGXhat, float[] gw, float[] gb, float[] gx,
                                boolean gxOverwrite) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int spatial = oh * ow;
        int windows = (oh / 2) * (ow / 2);
        int per = paddedImage(g);
        int k = g.patchSize();
        ConvPlanes planes = planes();
        BatchNormKernel.PlaneLoops v = BatchNormKernel.planeLoops(spatial);
        // pass 1: each plane's float sums, plane (n, f) at n·F + f
        float[] partG = new float[batch * filters];
        float[] partGx = new float[batch * filters];
        BatchNormKernel.run(batch, batch * filters * spatial, n -> {
            float[] buf = scratch(1, 8 * spatial); // four planes of y (channels f..f+3), then their g
            float[] sum = BatchNormKernel.parts(0, 4);
            float[] dot = BatchNormKernel.parts(1, 4);
            for (int f0 = 0; f0 < filters; f0 += 4) {
                int count = Math.min(4, filters - f0);
                for (int j = 0; j < count; j++) {
                    planes.plane(padded, n * per, g, w, (f0 + j) * k, b, f0 + j, buf, j * spatial);
                }
                // g of planes (n, f0..f0+count−1), consecutive in the pooled arrays (as images n·F + f0, ...
                // of one channel); each plane's winners index channel f's planes, image n's at n·S
                BatchNormKernel.scatter(gy, pooled, argmax, n * filters + f0, count, 1, 0, spatial, windows,
                        n * spatial, 0, buf, 4 * spatial);
                v.sum(buf, 4 * spatial, spatial, count, spatial, 0f, sum);
                v.dotCentredEach(buf, 4 * spatial, spatial, buf, 0, spatial, count, spatial, mean, f0, dot);
                System.arraycopy(sum, 0, partG, n * filters + f0, count);
                System.arraycopy(dot, 0, partGx, n * filters + f0, count);
            }
        });
        for (int f = 0; f < filters; f++) { // each plane's float sum widened and added in image order
            double sg = 0;
            double sgx = 0;
            for (int n = 0; n < batch; n++) {
                sg += (double) partG[n * filters + f];
                sgx += (double) partGx[n * filters + f];
            }
            sumG[f] = sg;
            sumGXhat[f] = sgx * invStd[f];
        }
        if (gw == null && gb == null && gx == null) {
            return;
        }
        double m = (double) batch * spatial;
        float[] abd = new float[3 * filters];
        float[] one = new float[3];
        for (int f = 0; f < filters; f++) {
            BatchNormKernel.coefficients(f, gamma, invStd, sumG, sumGXhat, m, one);
            System.arraycopy(one, 0, abd, 3 * f, 3);
        }
        // pass 2: ∂L/∂y plane by plane, image by image (the pooled arrays' order)
        ConvKernel.backward(g, batch, filters, x, w, (n0, nb, gcat, cols) -> {
            float[] gPlane = scratch(2, spatial);
            for (int j = 0; j < nb; j++) {
                for (int f = 0; f < filters; f++) {
                    int at = f * cols + j * spatial;
                    planes.plane(padded, (n0 + j) * per, g, w, f * k, b, f, gcat, at);
                    BatchNormKernel.scatter(gy, pooled, argmax, n0 + j, 1, filters, f, spatial, windows, 0, spatial,
                            gPlane, 0);
                    v.inputGrad(gcat, gPlane, 0, at, spatial, mean[f], abd[3 * f], abd[3 * f + 1], abd[3 * f + 2],
                            gcat, true); // y read and ∂L/∂y written in place, element by element
                }
            }
        }, gw, gx, gxOverwrite, gb);
    }

    /** The plane loop whose rounding matches the GEMM in use. */
    private static ConvPlanes planes() {
        if (Gemm.vectorInUse()) {
            ConvPlanes vector = VectorSupport.ifEnabled(VECTOR);
            return vector != null ? vector : SCALAR_FMA;
        }
        return SCALAR;
    }

    /** The scalar GEMM's rounding: c = c + w·x. */
    private static final ConvPlanes SCALAR = (padded, padFrom, g, w, wFrom, b, f, y, yFrom) ->
            scalarPlane(false, padded, padFrom, g, w, wFrom, b, f, y, yFrom);

    /** The vector GEMM's rounding, one element at a time: c = fma(w, x, c). */
    private static final ConvPlanes SCALAR_FMA = (padded, padFrom, g, w, wFrom, b, f, y, yFrom) ->
            scalarPlane(true, padded, padFrom, g, w, wFrom, b, f, y, yFrom);

    /** {@link ConvPlanes#plane} one output at a time: c = fma(w, x, c) or c = c + w·x from +0. */
    static void scalarPlane(boolean fma, float[] padded, int padFrom, Im2Col.Geometry g, float[] w,
                                    int wFrom, float[] b, int f, float[] y, int yFrom) {
        int wp = g.width() + 2 * g.padding();
        int planeSize = (g.height() + 2 * g.padding()) * wp;
        int kh = g.kernelH();
        int kw = g.kernelW();
        int ow = g.outWidth();
        for (int r = 0; r < g.outHeight(); r++) {
            for (int q = 0; q < ow; q++) {
                float acc = 0f;
                int t = wFrom;
                for (int c = 0; c < g.channels(); c++) {
                    for (int i = 0; i < kh; i++) {
                        int row = padFrom + c * planeSize + (r + i) * wp + q;
                        for (int j = 0; j < kw; j++, t++) {
                            acc = fma ? Math.fma(w[t], padded[row + j], acc) : acc + w[t] * padded[row + j];
                        }
                    }
                }
                y[yFrom + r * ow + q] = b == null ? acc : acc + b[f];
            }
        }
    }

    /** This thread's scratch buffer {@code slot} of at least {@code size} floats (contents undefined). */
    private static float[] scratch(int slot, int size) {
        float[][] holder = SCRATCH.get();
        if (holder[slot].length < size) {
            holder[slot] = new float[size];
        }
        return holder[slot];
    }
}
