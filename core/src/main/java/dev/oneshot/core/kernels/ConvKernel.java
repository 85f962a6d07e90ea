package dev.oneshot.core.kernels;

import dev.oneshot.core.tensor.BufferPool;

/**
 * The batch loops of a 2-D convolution by im2col + GEMM (the maths and the gradient formulas
 * are in {@code dev.oneshot.core.ops.Conv2d}). Images are independent, so the batch is split
 * between threads — a few large pieces of work instead of one small, barely parallel GEMM
 * per image — and each thread keeps its own scratch buffers across calls.
 *
 * <p><b>Images side by side.</b> Consecutive images' im2col matrices are written next to each
 * other into one [K, B·P] panel (K = C·KH·KW, P = OH·OW), so one GEMM serves B images: W is
 * packed once per block instead of once per image, and a small output (P = 9 at 3×3) still
 * fills the micro-kernel's strips. Forward takes B = {@link #imagesPerGemm}(P); backward takes
 * the {@link #GROUP} images of a ∂W partial, gathering their ∂L/∂y into one [F, B·P] matrix, so
 * a group's ∂W partial is one GEMM with inner dimension B·P and its ∂cols another.
 *
 * <p><b>Determinism.</b> Every output and every ∂x element is computed by one thread exactly as
 * on one thread. ∂W, the only sum over images, is accumulated per fixed group of
 * {@link #GROUP} consecutive images (in image order) and the group partials are then added
 * to ∂W in group order; the grouping does not depend on the thread count, so ∂W is bitwise
 * the same for 1, 2, ... threads.
 */
public final class ConvKernel {
    /** Images per ∂W partial sum. */
    static final int GROUP = 8;

    /**
     * Forward: output columns one GEMM should have at least (images are put side by side until
     * their OH·OW columns reach it, at most {@link #MAX_IMAGES_PER_GEMM}). A 3×3 output has 9
     * columns: alone, it would leave most of the micro-kernel's 32-column strip empty and pack
     * W again for every image.
     */
    static final int TARGET_COLUMNS = 256;
    static final int MAX_IMAGES_PER_GEMM = 16;

    /** Below this many ∂L/∂y elements the bias gradient stays on the calling thread. */
    private static final int BIAS_PARALLEL_MIN = 1 << 15;

    /**
     * Per thread: [0] the cols matrix (then ∂cols), [1] the GEMM output or the gathered ∂L/∂y,
     * [2] the biased conv planes of a block before pooling, or in the backward a group's bias plane sums.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private ConvKernel() {
    }

    /** This thread's scratch buffer {@code slot} of at least {@code size} floats (contents undefined). */
    private static float[] scratch(int slot, int size) {
        float[][] holder = SCRATCH.get();
        if (holder[slot].length < size) {
            holder[slot] = new float[size];
        }
        return holder[slot];
    }

    /** Images per forward GEMM for OH·OW = p output pixels (depends on the geometry only). */
    static int imagesPerGemm(int p) {
        return Math.max(1, Math.min(MAX_IMAGES_PER_GEMM, (TARGET_COLUMNS + p - 1) / p));
    }

    /**
     * y_n = W·im2col(x_n) + b for every image n.
     *
     * @param g       geometry of one image
     * @param batch   N
     * @param filters F
     * @param x       [N, C, H, W]; not modified
     * @param w       [F, C·KH·KW]; not modified
     * @param b       [F] or null; not modified
     * @param out     [N, F, OH·OW]; modified (every entry written)
     */
    public static void forward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] b,
                               float[] out) {
        int k = g.patchSize();
        int p = g.outPixels();
        int imageSize = g.imageSize();
        if (batch == 0) {
            return;
        }
        if (batch == 1 || k == 0) {
            // one image: one GEMM (Gemm may split a large one between threads); or an empty patch
            float[] cols = scratch(0, k * p);
            for (int n = 0; n < batch; n++) {
                Im2Col.im2col(g, x, n * imageSize, cols, 0);
                Gemm.multiply(false, false, filters, p, k, w, 0, cols, 0, out, n * filters * p, false);
                addBias(b, out, n, filters, p);
            }
            return;
        }
        // Blocks of B consecutive images on a grid fixed by the geometry alone (never by the
        // thread count): the B images' cols side by side form one [K, B·P] matrix, one GEMM
        // gives [F, B·P], which is scattered to the images' [F, P] planes with the bias.
        int per = imagesPerGemm(p);
        int blocks = (batch + per - 1) / per;
        // one block per part, claimed by whichever thread is free (Parallel.run)
        int parts = Parallel.threads() < 2 ? 1 : blocks;
        int chunk = (blocks + parts - 1) / parts; // blocks per part
        Parallel.run(parts, part -> {
            for (int blk = part * chunk; blk < Math.min(blocks, (part + 1) * chunk); blk++) {
                int n0 = blk * per;
                int nb = Math.min(per, batch - n0);
                int cols = nb * p;
                float[] panel = scratch(0, k * cols);
                for (int j = 0; j < nb; j++) {
                    Im2Col.im2col(g, x, (n0 + j) * imageSize, panel, j * p, cols);
                }
                if (nb == 1) {
                    Gemm.block(false, false, filters, p, k, w, 0, panel, 0, out, n0 * filters * p, false,
                            0, filters, 0, p);
                    addBias(b, out, n0, filters, p);
                    continue;
                }
                float[] y = scratch(1, filters * cols);
                Gemm.block(false, false, filters, cols, k, w, 0, panel, 0, y, 0, false, 0, filters, 0, cols);
                for (int j = 0; j < nb; j++) {
                    for (int f = 0; f < filters; f++) {
                        int src = f * cols + j * p;
                        int dst = ((n0 + j) * filters + f) * p;
                        float bf = b == null ? 0f : b[f];
                        for (int q = 0; q < p; q++) {
                            out[dst + q] = y[src + q] + bf;
                        }
                    }
                }
            }
        });
    }

    /**
     * pooled_n = maxpool2×2(relu(W·im2col(x_n) + b)) for every image n: {@link #forward} and
     * {@link Pooling#maxForward(float[], int, int, int, int, int, float[], int[], boolean)}
     * (k = s = 2, ReLU folded in) bit for bit, without the full-size conv output. Each block's
     * GEMM output gets its bias and is pooled by the thread that computed it while it is still
     * in cache; the [N, F, OH, OW] tensor between the two never exists.
     *
     * @param out    [N, F, OH/2, OW/2]; modified (every entry written)
     * @param argmax [N, F, OH/2, OW/2] or null (inference); modified: each maximum's flat index
     *               into the [N, F, OH, OW] conv output that was not built
     */
    public static void forwardReluMaxPool2x2(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w,
                                             float[] b, float[] out, int[] argmax) {
        forwardReluMaxPool2x2(g, batch, filters, x, w, b, null, null, null, out, argmax);
    }

    /**
     * {@link #forwardReluMaxPool2x2(Im2Col.Geometry, int, int, float[], float[], float[], float[], int[])}
     * with a batch norm in eval mode between the conv and the ReLU: each conv output v (bias
     * included) becomes (v − mean[f])·scale[f] + shift[f] before the pooling — the arithmetic of
     * {@link BatchNormKernel#affine}, so the values are bit for bit those of the three ops.
     *
     * @param mean  [F] or null (no batch norm; then scale and shift are null too)
     */
    public static void forwardReluMaxPool2x2(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w,
                                             float[] b, float[] mean, float[] scale, float[] shift, float[] out,
                                             int[] argmax) {
        int k = g.patchSize();
        int p = g.outPixels();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int pooled = (oh / 2) * (ow / 2);
        int imageSize = g.imageSize();
        if (batch == 0) {
            return;
        }
        int per = imagesPerGemm(p);
        int blocks = (batch + per - 1) / per;
        int parts = Parallel.threads() < 2 ? 1 : blocks;
        int chunk = (blocks + parts - 1) / parts;
        DirectConv3x3 direct = direct(g);
        int[] corner = direct == null ? null : windowCorners(g); // window w's top-left pixel in its plane
        Parallel.run(parts, part -> {
            for (int blk = part * chunk; blk < Math.min(blocks, (part + 1) * chunk); blk++) {
                int n0 = blk * per;
                int nb = Math.min(per, batch - n0);
                int cols = nb * p;
                if (direct != null) { // one input channel, 3×3, stride 1: no im2col, no GEMM, no gathers
                    directBlock(direct, g, x, n0, nb, filters, w, b, mean, scale, shift, out, argmax, corner);
                    continue;
                }
                float[] panel = scratch(0, k * cols);
                for (int j = 0; j < nb; j++) {
                    Im2Col.im2col(g, x, (n0 + j) * imageSize, panel, j * p, cols);
                }
                float[] y = scratch(1, filters * cols);
                Gemm.block(false, false, filters, cols, k, w, 0, panel, 0, y, 0, false, 0, filters, 0, cols);
                float[] planes = y; // nb = 1: y is already the image's [F, P] planes
                if (nb == 1) {
                    addBias(b, y, 0, filters, p);
                    if (mean != null) {
                        for (int f = 0; f < filters; f++) {
                            normalise(y, f * p, p, mean[f], scale[f], shift[f]);
                        }
                    }
                } else {                   // [F, nb·P] → [nb, F, P], plus the bias (and the batch norm)
                    planes = scratch(2, filters * cols);
                    for (int j = 0; j < nb; j++) {
                        for (int f = 0; f < filters; f++) {
                            int src = f * cols + j * p;
                            int dst = (j * filters + f) * p;
                            float bf = b == null ? 0f : b[f];
                            for (int q = 0; q < p; q++) {
                                planes[dst + q] = y[src + q] + bf;
                            }
                            if (mean != null) {
                                normalise(planes, dst, p, mean[f], scale[f], shift[f]);
                            }
                        }
                    }
                }
                Pooling.reluMax2x2(planes, 0, nb * filters, oh, ow, out, n0 * filters * pooled, argmax,
                        n0 * filters * p);
            }
        });
    }

    /**
     * A 3×3, stride-1 convolution of one single-channel image for a 2×2 pooling, written in
     * window order, bit for bit the vector GEMM's W·im2col(x) ({@code VectorDirectConv}).
     */
    interface DirectConv3x3 {
        /** Floats the kernel may write past a quarter's last row (the gap to leave after each). */
        int slack();

        /**
         * Filter w[wo .. wo + 9) over the image whose zero-padded rows are split into even and odd
         * columns (row r at split[even + r·rowLength] and split[odd + r·rowLength]): window
         * (y', x')'s four outputs go
         * to y[out + q·quarterStride + y'·windowCols + x'] for q = top-left, top-right,
         * bottom-left, bottom-right.
         */
        void quarters(float[] split, int even, int odd, int rowLength, int windowRows, int windowCols, float[] w,
                      int wo, float[] y, int out, int quarterStride);
    }

    private static final DirectConv3x3 DIRECT = VectorSupport.load(DirectConv3x3.class, "VectorDirectConv");

    /**
     * out[o + i·bRows + j] = Σ_{q &lt; n} a[aOffset + i·n + q] · b[bOffset + j·n + q]: every dot
     * product of aRows rows with bRows rows ({@code VectorRowDots}; its javadoc gives the order).
     */
    interface RowDots {
        void dots(float[] a, int aOffset, int aRows, float[] b, int bOffset, int bRows, int n, float[] out,
                  int outOffset);
    }

    private static final RowDots ROW_DOTS = VectorSupport.load(RowDots.class, "VectorRowDots");

    /** The direct kernel when it gives the GEMM's bits: one channel, 3×3, stride 1, the vector GEMM in use. */
    private static DirectConv3x3 direct(Im2Col.Geometry g) {
        boolean fits = g.channels() == 1 && g.kernelH() == 3 && g.kernelW() == 3 && g.stride() == 1;
        return fits && Gemm.vectorInUse() ? VectorSupport.ifEnabled(DIRECT) : null;
    }

    /**
     * The direct path of {@link #forwardReluMaxPool2x2} for a block of images n0 … n0 + nb − 1:
     * each image zero-padded and split into even and odd columns (scratch 0), each filter's
     * four quarters written into y (image j of filter f at f·cols + j·4·stride, a gap of
     * {@link DirectConv3x3#slack()} after each quarter for the vectors' overhang), then the
     * bias (and batch norm) and the pooling from the quarters.
     */
    private static void directBlock(DirectConv3x3 direct, Im2Col.Geometry g, float[] x, int n0, int nb,
                                    int filters, float[] w, float[] b, float[] mean, float[] scale, float[] shift,
                                    float[] out, int[] argmax, int[] corner) {
        int pad = g.padding();
        int h = g.height();
        int wd = g.width();
        int ow = g.outWidth();
        int windowRows = g.outHeight() / 2;
        int windowCols = ow / 2;
        int windows = windowRows * windowCols;
        int stride = windows + direct.slack();       // one quarter and its gap
        int cols = nb * 4 * stride;
        int rowLength = windowCols + direct.slack() + 1; // ≥ ⌈(W + 2p)/2⌉: x' + 1 + lanes stay in the row
        int rows = h + 2 * pad;
        int image = rows * rowLength;
        float[] split = scratch(0, 2 * nb * image);  // even columns, then odd columns
        java.util.Arrays.fill(split, 0, 2 * nb * image, 0f);
        int oddBase = nb * image;
        for (int j = 0; j < nb; j++) {
            for (int r = 0; r < h; r++) {
                int src = (n0 + j) * h * wd + r * wd;
                int dst = j * image + (r + pad) * rowLength;
                for (int c = 0; c < wd; c++) {
                    int padded = c + pad;
                    split[(padded & 1) * oddBase + dst + (padded >> 1)] = x[src + c];
                }
            }
        }
        float[] y = scratch(1, filters * cols);
        int p = g.outPixels();
        for (int f = 0; f < filters; f++) {
            float bf = b == null ? 0f : b[f];
            for (int j = 0; j < nb; j++) {
                int from = f * cols + j * 4 * stride;
                direct.quarters(split, j * image, oddBase + j * image, rowLength, windowRows, windowCols, w, f * 9,
                        y, from, stride);
                float bias = bf;
                if (mean != null) { // bias and batch norm in place, each as its op computes it
                    for (int q = 0; q < 4; q++) {
                        addConstant(y, from + q * stride, windows, bf);
                        normalise(y, from + q * stride, windows, mean[f], scale[f], shift[f]);
                    }
                    bias = 0f;
                }
                int plane = (n0 + j) * filters + f;
                Pooling.reluMaxOfQuarters(y, from, windows, stride, bias, out, plane * windows, argmax, corner,
                        plane * p, ow);
            }
        }
    }

    /** corner[w] = 2y'·OW + 2x' for window w = y'·(OW/2) + x' of a 2×2 pooling of the conv output. */
    private static int[] windowCorners(Im2Col.Geometry g) {
        int ow = g.outWidth();
        int cols = ow / 2;
        int[] corner = new int[(g.outHeight() / 2) * cols];
        for (int w = 0; w < corner.length; w++) {
            corner[w] = 2 * (w / cols) * ow + 2 * (w % cols);
        }
        return corner;
    }

    /** v ← v + c over v[from, from + n). */
    private static void addConstant(float[] v, int from, int n, float c) {
        for (int i = from; i < from + n; i++) {
            v[i] += c;
        }
    }

    /** v ← (v − mu)·a + shift over v[from, from + n): batch norm in eval mode, as {@link BatchNormKernel#affine}. */
    private static void normalise(float[] v, int from, int n, float mu, float a, float shift) {
        for (int i = from; i < from + n; i++) {
            v[i] = (v[i] - mu) * a + shift;
        }
    }

    private static void addBias(float[] b, float[] out, int n, int filters, int p) {
        if (b == null) {
            return;
        }
        for (int f = 0; f < filters; f++) {
            int row = (n * filters + f) * p;
            float bf = b[f];
            for (int q = 0; q < p; q++) {
                out[row + q] += bf;
            }
        }
    }

    /**
     * ∂W += Σ_n G_n·im2col(x_n)ᵀ and ∂x_n += col2im(Wᵀ·G_n) for every image n (either may be
     * skipped by passing null). ∂b is left to the caller.
     *
     * @param gy [N, F, OH·OW], ∂L/∂y; not modified
     * @param gw [F, C·KH·KW] or null; accumulated into
     * @param gx [N, C, H, W] or null; accumulated into
     */
    public static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] gy,
                                float[] gw, float[] gx) {
        backward(g, batch, filters, x, w, gy, gw, gx, false);
    }

    /**
     * {@link #backward(Im2Col.Geometry, int, int, float[], float[], float[], float[], float[])};
     * with {@code gxOverwrite}, gx has undefined contents and each image's ∂x is zeroed by the
     * thread that scatter-adds into it, just before (bit for bit the same as accumulating into
     * zeros, without a separate zeroing pass).
     */
    public static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] gy,
                                float[] gw, float[] gx, boolean gxOverwrite) {
        backward(g, batch, filters, x, w, gy, gw, gx, gxOverwrite, null);
    }

    /**
     * {@link #backward(Im2Col.Geometry, int, int, float[], float[], float[], float[], float[], boolean)}
     * and, with gb, {@link #biasBackward} bit for bit — its plane sums taken from each group's copy
     * of ∂L/∂y while it is in cache, instead of another pass over ∂L/∂y.
     *
     * @param gb [F] or null; accumulated into
     */
    public static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] gy,
                                float[] gw, float[] gx, boolean gxOverwrite, float[] gb) {
        int p = g.outPixels();
        backward(g, batch, filters, x, w, (n0, nb, gcat, cols) -> {
            for (int j = 0; j < nb; j++) {
                for (int f = 0; f < filters; f++) {
                    System.arraycopy(gy, ((n0 + j) * filters + f) * p, gcat, f * cols + j * p, p);
                }
            }
        }, gw, gx, gxOverwrite, gb);
    }

    /**
     * The backward of {@link #forwardReluMaxPool2x2(Im2Col.Geometry, int, int, float[], float[], float[], float[], int[])}
     * from the pooled gradient, bit for bit {@link Pooling#maxBackward(float[], int[], float[], int, boolean, float[])}
     * (with the ReLU mask) into a zeroed ∂L/∂y, then {@link #backward} and {@link #biasBackward}
     * — without that full-size ∂L/∂y: each group of images routes its pooled gradient straight
     * into the [F, nb·P] matrix its GEMMs read, and the bias gradient is summed from it, plane by
     * plane, then over images in order (biasBackward's order).
     *
     * @param gPooled ∂L/∂z [N, F, OH/2, OW/2]; not modified
     * @param argmax  the forward's arg-max (flat indices into [N, F, OH, OW]); not modified
     * @param pooled  z, the forward's output (the ReLU mask: no gradient where z is not &gt; 0)
     * @param gb      [F] or null; accumulated into
     */
    public static void backwardReluMaxPool2x2(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w,
                                              float[] gPooled, int[] argmax, float[] pooled, float[] gw,
                                              float[] gx, boolean gxOverwrite, float[] gb) {
        int p = g.outPixels();
        int per = (g.outHeight() / 2) * (g.outWidth() / 2);
        backward(g, batch, filters, x, w, (n0, nb, gcat, cols) -> {
            java.util.Arrays.fill(gcat, 0, filters * cols, 0f);
            for (int j = 0; j < nb; j++) {
                for (int f = 0; f < filters; f++) {
                    int plane = (n0 + j) * filters + f;
                    int shift = f * cols + j * p - plane * p; // conv-output index → gcat index
                    for (int o = plane * per; o < (plane + 1) * per; o++) {
                        gcat[argmax[o] + shift] += gPooled[o] * Elementwise.reluSlope(pooled[o]);
                    }
                }
            }
        }, gw, gx, gxOverwrite, gb);
    }

    /** Fills the [F, nb·P] matrix G of images n0 .. n0 + nb − 1 (row f, column j·P + q) with ∂L/∂y. */
    @FunctionalInterface
    interface GroupGradient {
        void fill(int n0, int nb, float[] gcat, int cols);
    }

    /** The group loop of the backwards; with gb, the bias gradient from each group's G. */
    static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w,
                                 GroupGradient source, float[] gw, float[] gx, boolean gxOverwrite, float[] gb) {
        if ((gw == null && gx == null && gb == null) || batch == 0) {
            return;
        }
        int k = g.patchSize();
        int p = g.outPixels();
        int imageSize = g.imageSize();
        int groups = (batch + GROUP - 1) / GROUP;
        // every partial is written whole (accumulate = false) by its group's one GEMM
        float[] partials = gw == null ? null : BufferPool.floats(groups * filters * k);
        float[] planeSums = gb == null ? null : BufferPool.floats(batch * filters);
        int parts = Parallel.threads() < 2 ? 1 : groups; // one group per part
        int chunk = (groups + parts - 1) / parts; // groups per part
        // The GEMM's SIMD loop runs along C's rows: when the patch is shorter than the filter
        // count (a first layer, K = C·3·3 = 9 against F = 32), compute ∂Wᵀ [K, F] instead of
        // ∂W [F, K] so that loop is F long rather than a mostly scalar 9. On the vector path that
        // short patch skips the GEMM: its packing of cols and Gᵀ cost more than the products
        // (JFR, triplet step), and the K·F dot products of rows nb·P long need none (RowDots).
        boolean transposed = k < filters;
        Parallel.run(parts, part -> {
            for (int grp = part * chunk; grp < Math.min(groups, (part + 1) * chunk); grp++) {
                // the group's nb images side by side: G [F, nb·P] gathered from ∂L/∂y, cols [K, nb·P]
                int n0 = grp * GROUP;
                int nb = Math.min(GROUP, batch - n0);
                int cols = nb * p;
                float[] gcat = scratch(1, filters * cols);
                source.fill(n0, nb, gcat, cols);
                if (planeSums != null) { // ∂b's terms: Σ_q G[n, f, q] per plane (rowSum's bits, four planes at a time)
                    float[] sums = scratch(2, nb);
                    for (int f = 0; f < filters; f++) {
                        BatchNormKernel.planeSums(gcat, f * cols, p, nb, p, sums);
                        for (int j = 0; j < nb; j++) {
                            planeSums[(n0 + j) * filters + f] = sums[j];
                        }
                    }
                }
                float[] panel = scratch(0, k * cols); // cols, then ∂cols
                if (gw != null) {
                    for (int j = 0; j < nb; j++) {
                        Im2Col.im2col(g, x, (n0 + j) * imageSize, panel, j * p, cols);
                    }
                    RowDots dots = transposed && Gemm.vectorInUse() ? VectorSupport.ifEnabled(ROW_DOTS) : null;
                    if (dots != null) { // partialᵀ [K, F]: K·F dot products of rows nb·P long, no packing
                        dots.dots(panel, 0, k, gcat, 0, filters, cols, partials, grp * filters * k);
                    } else if (transposed) { // partialᵀ [K, F] = cols [K, nb·P] · Gᵀ [nb·P, F]
                        Gemm.block(false, true, k, filters, cols, panel, 0, gcat, 0,
                                partials, grp * filters * k, false, 0, k, 0, filters);
                    } else {          // partial [F, K] = G [F, nb·P] · colsᵀ [nb·P, K]
                        Gemm.block(false, true, filters, k, cols, gcat, 0, panel, 0,
                                partials, grp * filters * k, false, 0, filters, 0, k);
                    }
                }
                if (gx != null) { // ∂cols [K, nb·P] = Wᵀ [K, F] · G [F, nb·P], scatter-added into each ∂x_n
                    Gemm.block(true, false, k, cols, filters, w, 0, gcat, 0, panel, 0, false, 0, k, 0, cols);
                    for (int j = 0; j < nb; j++) {
                        if (gxOverwrite) {
                            java.util.Arrays.fill(gx, (n0 + j) * imageSize, (n0 + j + 1) * imageSize, 0f);
                        }
                        Im2Col.col2im(g, panel, j * p, cols, gx, (n0 + j) * imageSize);
                    }
                }
            }
        });
        if (gw != null) {
            for (int grp = 0; grp < groups; grp++) {
                int off = grp * filters * k;
                if (transposed) {
                    for (int f = 0; f < filters; f++) {
                        for (int kk = 0; kk < k; kk++) {
                            gw[f * k + kk] += partials[off + kk * filters + f];
                        }
                    }
                } else {
                    for (int i = 0; i < filters * k; i++) {
                        gw[i] += partials[off + i];
                    }
                }
            }
            BufferPool.give(partials);
        }
        if (gb != null) { // ∂b[f] += Σ_n (plane sum), images in order, as biasBackward adds them
            for (int f = 0; f < filters; f++) {
                for (int n = 0; n < batch; n++) {
                    gb[f] += planeSums[n * filters + f];
                }
            }
            BufferPool.give(planeSums);
        }
    }

    /**
     * ∂b[f] += Σ_{n, q} G[n, f, q]: the bias gradient, one row sum per image and filter added
     * in image order. Filters are split between the kernel threads (each ∂b[f] summed by one
     * thread exactly as on one thread: bitwise the same for any thread count).
     *
     * @param gy [N, F, P], ∂L/∂y; not modified
     * @param gb [F]; accumulated into
     */
    public static void biasBackward(float[] gy, int batch, int filters, int p, float[] gb) {
        int parts = (long) batch * filters * p < BIAS_PARALLEL_MIN ? 1 : Math.min(Parallel.threads(), filters);
        int chunk = (filters + parts - 1) / parts;
        Parallel.run(parts, part -> {
            float[] sums = new float[batch];
            for (int f = part * chunk; f < Math.min(filters, (part + 1) * chunk); f++) {
                // rowSum of each image's plane f, four planes side by side (BatchNorm's plane sums: the same bits)
                BatchNormKernel.planeSums(gy, f * p, filters * p, batch, p, sums);
                for (int n = 0; n < batch; n++) {
                    gb[f] += sums[n];
                }
            }
        });
    }

    /**
     * Σ g[from .. from + length) with four running sums (lanes q mod 4) added at the end,
     * ((s0 + s1) + (s2 + s3)): a single running sum waits for each add to finish (a chain of
     * OH·OW dependent adds per filter and image); four chains run side by side.
     */
    static float rowSum(float[] g, int from, int length) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int q = 0;
        for (; q + 4 <= length; q += 4) {
            s0 += g[from + q];
            s1 += g[from + q + 1];
            s2 += g[from + q + 2];
            s3 += g[from + q + 3];
        }
        for (; q < length; q++) {
            s0 += g[from + q];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
